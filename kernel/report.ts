/**
 * The HTML report of an executed notebook: one self-contained offline file
 * (charts inline as SVG, images as data: URLs, no scripts, no external
 * fonts or styles). Text from outputs is escaped; rich HTML outputs are
 * the library's own escaped tables.
 */
import type { Notebook, Cell } from './nbformat.js';
import { sourceText } from './nbformat.js';
import type { Output } from './client.js';
import { markdownToHtml } from './markdown.js';
import { escapeHtml } from '../src/display/escape.js';

export interface ReportOptions {
  title?: string;
  /** show code cells' source (default true) */
  showCode?: boolean;
}

const ANSI = /\u001b\[[0-9;]*m/g;

function text(v: unknown): string {
  return Array.isArray(v) ? v.join('') : String(v ?? '');
}

/** One rich output as HTML, preferring SVG for charts (rendered here when only the spec is present). */
async function richHtml(data: Record<string, unknown>): Promise<string> {
  if (data['image/svg+xml']) return `<div class="chart">${stripScripts(text(data['image/svg+xml']))}</div>`;
  if (data['application/vnd.vegalite.v5+json']) {
    try {
      const { toSVG } = await import('../src/charts/render.js');
      const spec = data['application/vnd.vegalite.v5+json'] as Parameters<typeof toSVG>[0];
      return `<div class="chart">${stripScripts(await toSVG(spec))}</div>`;
    } catch (e) {
      return `<pre class="error">chart could not be rendered: ${escapeHtml((e as Error).message)}</pre>`;
    }
  }
  if (data['image/png']) return `<img alt="output" src="data:image/png;base64,${escapeHtml(text(data['image/png']).replace(/\s/g, ''))}">`;
  if (data['text/html']) return `<div class="html">${stripScripts(text(data['text/html']))}</div>`;
  if (data['text/markdown']) return markdownToHtml(text(data['text/markdown']));
  return `<pre>${escapeHtml(text(data['text/plain']))}</pre>`;
}

/**
 * Drops <script> elements, event-handler attributes and javascript: URLs
 * inside tags: a report runs no code. Escaped text (which has no raw "<")
 * is left exactly as it is.
 */
export function stripScripts(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<\/?script\b[^>]*>/gi, '')
    .replace(/<[a-zA-Z][^>]*>/g, (tag) =>
      tag
        .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
        .replace(/(href|src|xlink:href)\s*=\s*(["'])\s*javascript:[^"']*\2/gi, '$1=$2#$2'),
    );
}

async function outputHtml(o: Output): Promise<string> {
  switch (o.output_type) {
    case 'stream':
      return `<pre class="${o.name === 'stderr' ? 'stderr' : 'stdout'}">${escapeHtml(text(o.text))}</pre>`;
    case 'error':
      return `<pre class="error">${escapeHtml(`${o.ename}: ${o.evalue}\n${o.traceback.join('\n')}`.replace(ANSI, ''))}</pre>`;
    default:
      return richHtml(o.data);
  }
}

async function cellHtml(c: Cell, showCode: boolean): Promise<string> {
  if (c.cell_type === 'markdown') return `<section class="md">${markdownToHtml(sourceText(c))}</section>`;
  if (c.cell_type !== 'code') return '';
  const parts: string[] = [];
  if (showCode && sourceText(c).trim()) {
    parts.push(`<pre class="code"><span class="count">[${c.execution_count ?? ' '}]</span> ${escapeHtml(sourceText(c))}</pre>`);
  }
  for (const o of c.outputs ?? []) parts.push(await outputHtml(o as Output));
  return `<section class="cell">${parts.join('\n')}</section>`;
}

const CSS = `body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1,h2,h3{line-height:1.2}pre{background:#f7f7f7;padding:.6em;overflow-x:auto;font:12px 'DejaVu Sans Mono',monospace;white-space:pre-wrap}
pre.code{background:#eef3f8;border-left:3px solid #4c78a8}.count{color:#888}pre.error{background:#fdecea;border-left:3px solid #d62728}
pre.stderr{background:#fff8e5}table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
.chart svg{max-width:100%;height:auto}section.cell{margin:.8em 0}blockquote{border-left:3px solid #ccc;margin:0;padding-left:1em;color:#555}
footer{color:#888;font-size:12px;margin-top:3em}`;

/** The report of an executed notebook as one HTML document. */
export async function notebookToHtml(nb: Notebook, opts: ReportOptions = {}): Promise<string> {
  const firstHeading = nb.cells.find((c) => c.cell_type === 'markdown' && /^#\s/m.test(sourceText(c)));
  const title = opts.title ?? (firstHeading ? /^#\s+(.*)$/m.exec(sourceText(firstHeading))![1]! : 'stratolab report');
  const body: string[] = [];
  for (const c of nb.cells) body.push(await cellHtml(c, opts.showCode ?? true));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body>
${body.join('\n')}
<footer>Generated by stratolab on ${escapeHtml(new Date().toISOString())}</footer>
</body></html>
`;
}
