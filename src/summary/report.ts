/**
 * The shape of a summary (sections of small tables) and its plain-text
 * rendering, shared by the CloudTrail, GCP and syscall summaries.
 */
import { textValue } from '../frames/format-value.js';
import { formatTime } from '../frames/time.js';

/** A titled table: column headers and rows of cells. */
export interface Section {
  title: string;
  /** one line under the title, e.g. how the section is computed */
  note?: string;
  columns: string[];
  rows: unknown[][];
}

export interface Report {
  title: string;
  /** facts about the whole input: events, time span, accounts... */
  facts: [string, string][];
  sections: Section[];
}

const MAX_CELL = 90;

function cell(v: unknown): string {
  const s = textValue(v).replace(/[\t\r\n]+/g, ' ');
  return s.length > MAX_CELL ? s.slice(0, MAX_CELL - 1) + '…' : s;
}

/** Right-aligns columns whose cells are all numbers. */
export function renderSection(s: Section): string {
  const lines = [`## ${s.title}`];
  if (s.note) lines.push(s.note);
  if (!s.rows.length) {
    lines.push('  (none)');
    return lines.join('\n');
  }
  const cells = s.rows.map((r) => r.map(cell));
  const numeric = s.columns.map((_, j) => s.rows.every((r) => typeof r[j] === 'number'));
  const widths = s.columns.map((c, j) => Math.max(c.length, ...cells.map((r) => (r[j] ?? '').length)));
  const fmt = (r: string[]) =>
    '  ' +
    r
      .map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : j === r.length - 1 ? c : c.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  lines.push(fmt(s.columns), fmt(widths.map((w) => '-'.repeat(w))));
  for (const r of cells) lines.push(fmt(r));
  return lines.join('\n');
}

/** The whole report as text. */
export function renderReport(r: Report): string {
  const kw = Math.max(0, ...r.facts.map(([k]) => k.length));
  const head = [`# ${r.title}`, ...r.facts.map(([k, v]) => `${(k + ':').padEnd(kw + 1)} ${v}`)];
  return [head.join('\n'), ...r.sections.map(renderSection)].join('\n\n') + '\n';
}

/** Safe nested access on a parsed record; undefined when a step is missing. */
export function pick(obj: unknown, ...path: string[]): unknown {
  let v = obj;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** A string at a path, or null. */
export function pickStr(obj: unknown, ...path: string[]): string | null {
  const v = pick(obj, ...path);
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
}

/** RFC 3339 text of epoch milliseconds, '' when the time is unknown (NaN, ±Infinity). */
export function timeText(ms: number): string {
  return Number.isFinite(ms) ? formatTime(new Date(ms)) : '';
}
