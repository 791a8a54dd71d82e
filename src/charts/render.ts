/**
 * Headless rendering of Vega-Lite specs to SVG and PNG. vega and vega-lite
 * are loaded lazily from their UMD bundles (never their ESM entry, whose
 * top-level await breaks tslab's require): importing stratolab costs nothing
 * until a chart is rendered.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { VegaLiteSpec } from './spec.js';

interface Vega {
  View: new (runtime: unknown, opts: { renderer: string }) => { toSVG(): Promise<string>; finalize(): void };
  parse(spec: unknown): unknown;
}
interface VegaLite {
  compile(spec: unknown): { spec: unknown };
}

let loaded: { vega: Vega; vl: VegaLite } | null = null;
const req = createRequire(import.meta.url);

/** Directory of an installed package, found by walking up node_modules from here. */
function packageDir(name: string): string {
  let dir = path.dirname(new URL(import.meta.url).pathname);
  for (;;) {
    const cand = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(cand, 'package.json'))) return cand;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the ${name} package (npm install)`);
    dir = up;
  }
}

/** Evaluates a UMD bundle as CommonJS, with `deps` for its requires. */
function loadUmd(file: string, deps: Record<string, unknown>): unknown {
  const mod = { exports: {} as Record<string, unknown> };
  const src = readFileSync(file, 'utf8');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('exports', 'module', 'require', src)(mod.exports, mod, (n: string) => (n in deps ? deps[n] : req(n)));
  return mod.exports;
}

function libs(): { vega: Vega; vl: VegaLite } {
  if (!loaded) {
    const vega = loadUmd(path.join(packageDir('vega'), 'build', 'vega.js'), {}) as Vega;
    const vl = loadUmd(path.join(packageDir('vega-lite'), 'build', 'vega-lite.min.js'), { vega }) as VegaLite;
    loaded = { vega, vl };
  }
  return loaded;
}

/** Compiles a Vega-Lite spec to a Vega spec. */
export function toVega(spec: VegaLiteSpec): unknown {
  return libs().vl.compile(spec).spec;
}

/** Renders a Vega-Lite spec to SVG text. */
export async function toSVG(spec: VegaLiteSpec): Promise<string> {
  const { vega } = libs();
  const view = new vega.View(vega.parse(toVega(spec)), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders a Vega-Lite spec to PNG bytes (resvg; system fonts, DejaVu Sans). */
export async function toPNG(spec: VegaLiteSpec, opts: { scale?: number } = {}): Promise<Uint8Array> {
  const svg = await toSVG(spec);
  const { Resvg } = req('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  const r = new Resvg(svg, {
    background: 'white',
    fitTo: opts.scale && opts.scale !== 1 ? { mode: 'zoom', value: opts.scale } : { mode: 'original' },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}

/** Writes a chart to `out`: .svg, .png, .vl.json (the spec) or .html (self-contained, SVG inline). */
export async function writeChart(spec: VegaLiteSpec, out: string): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  if (out.endsWith('.vl.json') || out.endsWith('.json')) return writeFile(out, JSON.stringify(spec, null, 2));
  if (out.endsWith('.svg')) return writeFile(out, await toSVG(spec));
  if (out.endsWith('.png')) return writeFile(out, await toPNG(spec));
  if (out.endsWith('.html')) {
    const svg = await toSVG(spec);
    const title = typeof spec.title === 'object' && spec.title ? String((spec.title as { text?: string }).text ?? '') : String(spec.title ?? 'chart');
    const esc = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return writeFile(out, `<!doctype html><html><head><meta charset="utf-8"><title>${esc}</title></head><body>${svg}</body></html>\n`);
  }
  throw new Error(`unknown chart output type for ${out}: use .svg, .png, .vl.json or .html`);
}
