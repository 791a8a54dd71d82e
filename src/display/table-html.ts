/**
 * A table as HTML for notebooks and reports: the first rows, page by page
 * in <details> blocks (no script needed), column types, row count and time
 * range. Every value is HTML-escaped.
 */
import type { Table } from '../frames/table.js';
import { textValue } from '../frames/format-value.js';
import { getField } from '../fields/registry.js';
import { toEpochMs, formatTime } from '../frames/time.js';
import { eachRow } from '../frames/rows.js';
import { escapeHtml } from './escape.js';

export interface TableHtmlOptions {
  /** rows per page; default 20 */
  pageSize?: number;
  /** pages included; default 5 */
  pages?: number;
  /** most columns shown; default 14 (the rest are named below the table) */
  maxColumns?: number;
  /** longest cell text before it is cut; default 120 */
  maxCellChars?: number;
}

const HIDDEN = new Set(['raw', '_evt', '_row']);

/** The columns a person wants to see first: time, source, then the table's order; raw objects last. */
export function displayColumns(table: Table): string[] {
  const names = table.columnNames().filter((n) => !HIDDEN.has(n) && !n.startsWith('_'));
  const first = ['time', 'source'].filter((n) => names.includes(n));
  return [...first, ...names.filter((n) => !first.includes(n))];
}

function typeOf(table: Table, name: string, rows: number[]): string {
  const def = getField(name.replace(/\[.*$/, ''));
  if (def) return def.type;
  if (name === 'time') return 'timestamp';
  const col = table.column(name)!;
  for (const r of rows) {
    const v = col.at(r);
    if (v === null || v === undefined) continue;
    if (v instanceof Date) return 'timestamp';
    if (Array.isArray(v)) return 'list';
    return typeof v === 'bigint' ? 'number' : typeof v;
  }
  return '—';
}

/** The time range of a table's `time` column as text, or null. */
export function timeRange(table: Table): string | null {
  const col = table.column('time');
  if (!col) return null;
  let lo = Infinity;
  let hi = -Infinity;
  table.scan((row) => {
    const t = toEpochMs(col.at(row as number) as never);
    if (Number.isFinite(t)) {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
  });
  if (!Number.isFinite(lo)) return null;
  return `${formatTime(new Date(lo))} – ${formatTime(new Date(hi))}`;
}

function cell(v: unknown, max: number): string {
  if (v === null || v === undefined) return '<span class="sl-na">—</span>';
  const t = v instanceof Date ? formatTime(v) : textValue(v as never);
  const cut = t.length > max ? `${t.slice(0, max - 1)}…` : t;
  return escapeHtml(cut);
}

/** A cell; short values (times, addresses, names) do not wrap. */
function tdOf(v: unknown, max: number): string {
  const html = cell(v, max);
  const short = v instanceof Date || (typeof v === 'string' && v.length <= 26) || typeof v === 'number' || typeof v === 'bigint';
  return short ? `<td style="white-space:nowrap">${html}</td>` : `<td>${html}</td>`;
}

/** The HTML of a table (paged in <details>, escaped). */
export function tableToHtml(table: Table, opts: TableHtmlOptions = {}): string {
  const pageSize = opts.pageSize ?? 20;
  const pages = opts.pages ?? 5;
  const maxCols = opts.maxColumns ?? 10;
  const max = opts.maxCellChars ?? 80;
  const n = table.numRows();
  const rows: number[] = [];
  eachRow(table, (row) => rows.push(row) < pageSize * pages);
  const all = displayColumns(table);
  const cols = all.slice(0, maxCols);
  const more = all.slice(maxCols);
  const head = cols
    .map((c) => `<th title="${escapeHtml(getField(c)?.description ?? c)}">${escapeHtml(c)}<br><small>${escapeHtml(typeOf(table, c, rows))}</small></th>`)
    .join('');
  const body = (from: number, to: number) =>
    rows
      .slice(from, to)
      .map((r) => `<tr>${cols.map((c) => tdOf(table.column(c)!.at(r), max)).join('')}</tr>`)
      .join('\n');
  const tableOf = (from: number, to: number) =>
    `<div class="sl-scroll"><table class="sl-table"><thead><tr>${head}</tr></thead><tbody>\n${body(from, to)}\n</tbody></table></div>`;
  const range = timeRange(table);
  const summary = `${n.toLocaleString('en-US')} rows × ${all.length} columns${range ? `, ${escapeHtml(range)}` : ''}`;
  const parts = [
    `<div class="sl-frame"><style>.sl-table{border-collapse:collapse;font:12px 'DejaVu Sans',sans-serif}.sl-table th,.sl-table td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top;max-width:28em;overflow-wrap:anywhere}.sl-table th{background:#f4f4f4;white-space:nowrap}.sl-table td{min-width:4em}.sl-scroll{overflow-x:auto;max-width:100%}.sl-table small{color:#777;font-weight:normal}.sl-na{color:#bbb}.sl-frame summary{cursor:pointer;color:#555;font:12px sans-serif}</style>`,
    `<div style="font:12px sans-serif;color:#333;margin:2px 0">${summary}</div>`,
    n === 0 ? '<div style="font:12px sans-serif;color:#888">no rows</div>' : tableOf(0, pageSize),
  ];
  for (let p = 1; p < pages && p * pageSize < rows.length; p++) {
    const from = p * pageSize;
    const to = Math.min(rows.length, from + pageSize);
    parts.push(`<details><summary>rows ${from + 1}–${to}</summary>${tableOf(from, to)}</details>`);
  }
  if (n > rows.length) parts.push(`<div style="font:12px sans-serif;color:#777">… ${(n - rows.length).toLocaleString('en-US')} more rows</div>`);
  if (more.length) parts.push(`<div style="font:12px sans-serif;color:#777">more columns: ${escapeHtml(more.join(', '))}</div>`);
  parts.push('</div>');
  return parts.join('\n');
}

/** A plain-text rendering of the first rows, for text/plain. */
export function tableToText(table: Table, maxRows = 10, maxCols = 8): string {
  const cols = displayColumns(table).slice(0, maxCols);
  const rows: number[] = [];
  eachRow(table, (row) => rows.push(row) < maxRows);
  const cells = rows.map((r) =>
    cols.map((c) => {
      const v = table.column(c)!.at(r);
      const t = v === null || v === undefined ? '' : v instanceof Date ? formatTime(v) : textValue(v as never);
      return t.length > 40 ? `${t.slice(0, 39)}…` : t;
    }),
  );
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [`Table: ${table.numRows()} rows × ${displayColumns(table).length} columns`, line(cols), ...cells.map(line)];
  if (table.numRows() > rows.length) out.push(`… ${table.numRows() - rows.length} more rows`);
  return out.join('\n');
}
