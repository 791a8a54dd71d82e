/**
 * Mime bundles for rich display: a table becomes a paged HTML table plus
 * text; a Vega-Lite spec becomes application/vnd.vegalite.v5+json (drawn
 * natively by JupyterLab and VS Code) with an SVG fallback; anything else
 * is text.
 */
import { inspect } from 'node:util';
import type { Table } from '../frames/table.js';
import type { VegaLiteSpec } from '../charts/spec.js';
import { tableToHtml, tableToText } from './table-html.js';
import { escapeHtml } from './escape.js';

export type MimeBundle = Record<string, unknown>;

/** True for an Arquero table. */
export function isTable(x: unknown): x is Table {
  return (
    typeof x === 'object' && x !== null && typeof (x as Table).numRows === 'function' && typeof (x as Table).columnNames === 'function'
  );
}

/** True for a Vega-Lite spec (our chart builders' output or any spec with a vega-lite $schema). */
export function isVegaLite(x: unknown): x is VegaLiteSpec {
  return typeof x === 'object' && x !== null && typeof (x as { $schema?: unknown }).$schema === 'string' && /vega-lite/.test((x as { $schema: string }).$schema);
}

function specTitle(spec: VegaLiteSpec): string {
  const t = spec.title;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return 'chart';
}

/** The mime bundle of a value; charts get their SVG fallback rendered (async). */
export async function mimeBundle(x: unknown, opts: { svg?: boolean } = {}): Promise<MimeBundle> {
  if (isTable(x)) return { 'text/html': tableToHtml(x), 'text/plain': tableToText(x) };
  if (isVegaLite(x)) {
    const bundle: MimeBundle = { 'application/vnd.vegalite.v5+json': x, 'text/plain': `<Vega-Lite chart: ${specTitle(x)}>` };
    if (opts.svg !== false) {
      try {
        const { toSVG } = await import('../charts/render.js');
        bundle['image/svg+xml'] = await toSVG(x);
      } catch (e) {
        bundle['text/plain'] += `\n(SVG fallback failed: ${(e as Error).message})`;
      }
    }
    return bundle;
  }
  if (typeof x === 'object' && x !== null && 'mimeBundle' in x && typeof (x as { mimeBundle: unknown }).mimeBundle === 'function') {
    return (x as { mimeBundle(): MimeBundle | Promise<MimeBundle> }).mimeBundle();
  }
  if (typeof x === 'string') return { 'text/plain': x };
  return { 'text/plain': inspect(x, { depth: 4, colors: false, maxArrayLength: 50, breakLength: 100 }) };
}

/** An HTML snippet of preformatted text, escaped. */
export function preHtml(s: string): string {
  return `<pre>${escapeHtml(s)}</pre>`;
}
