/**
 * stratolab as a library: `import * as sl from 'stratolab'`.
 *
 *   const t = await sl.load('trail/', { filter: 'ct.error', since: '2d' });
 *   sl.countBy(t, 'ct.user', { top: 10 }).print();
 *   sl.filter(t, 'ct.name == "ConsoleLogin"');
 *   await sl.exportTable(t, 'events.parquet');
 *
 * Sources are dispatched through src/sources/index.ts (a source module that
 * is not present gives a "not available" error, nothing else breaks).
 */
import { listFields } from './fields/registry.js';
import type { FieldDef } from './fields/types.js';
import { compile } from './filter/index.js';
import type { Table } from './frames/table.js';
import { importAllSources, importSource, loadSources, SourceUnavailableError } from './sources/index.js';
import type { LoadOptions, LoadResult, LoadWarning } from './sources/types.js';
import { withNotebookDefaults } from './display/ambient.js';

// ---- types ----
export type { Table } from './frames/table.js';
export type { FieldDef, FieldType, Value, FieldArg } from './fields/types.js';
export type { LoadOptions, LoadResult, LoadStats, LoadWarning, Progress, SourceLoader } from './sources/types.js';

// ---- filters ----
export { compile, check, filterFor, toFalco, toWireshark, evaluate, parse, FilterError, formatFilterError } from './filter/index.js';
export type { CompiledFilter, CompileOptions, RowLike } from './filter/index.js';

// ---- fields ----
export { getField, registerFields, suggestFields } from './fields/registry.js';

// ---- frames ----
export { fieldAccessor, withFields, columnName } from './frames/table.js';
export { DictColumn, DictBuilder, isDictColumn } from './frames/columns.js';
export { eachRow, rowIndices } from './frames/rows.js';
export { countBy, topValues, type CountByOptions } from './frames/count-by.js';
export { select } from './frames/select.js';
export { bucketTime, autoInterval, intervalMs, type BucketOptions } from './frames/bucket-time.js';
export { parseTime, parseDuration, parseTimeRange, toDate, toEpochMs, formatTime, TimeSpecError } from './frames/time.js';
export { textValue, jsonValue, escapeField, csvQuote } from './frames/format-value.js';
export { outputColumns, UnknownFieldError } from './frames/select-fields.js';
export { toCSV, writeCSV, type TextExportOptions } from './frames/to-csv.js';
export { toJSONLines, writeJSONLines } from './frames/to-jsonl.js';
export { toArrowTable, toArrowIPC, writeArrow, type ArrowExportOptions } from './frames/to-arrow.js';
export { toParquet, writeParquet, parquetToIPC, type ParquetExportOptions } from './frames/to-parquet.js';
export { exportTable, formatForPath, type ExportFormat, type ExportOptions } from './frames/export.js';
export { toDanfo } from './frames/danfo.js';

// ---- summaries ----
export { summarize, summarizeCloudTrail, summarizeGcp, summarizeSyscalls, renderReport, type Report, type Section } from './summary/index.js';

// ---- sources ----
export { resolveLoader, loadSources, availableSources, importSource, SourceError, SourceUnavailableError, NoLoaderError } from './sources/index.js';

// ---- charts (vega loads only when rendering) ----
export * as charts from './charts/index.js';

// ---- notebooks: rich display, pager, processes of a capture for process trees ----
export { display, page, clearOutput, mimeBundle, tableToHtml, escapeHtml, progressDisplay } from './display/index.js';
export { captureProcesses } from './sources/scap/processes.js';

// ---- live capture over SSH: a table that grows while the capture runs ----
export { capture, type CaptureOptions, type LiveCapture } from './sources/ssh/index.js';

/** Sources as `sl.load` takes them: one path or URL, or several. */
export type SourceSpec = string | readonly string[];

// Register every available source's fields in the background, so `fields()`
// and filters know them all; `await ready()` to be sure it finished.
const preload = importAllSources();

/** Resolves when every available source module is loaded (all fields registered). */
export function ready(): Promise<void> {
  return preload;
}

/**
 * Loads events into one table (columns named by field). Accepts anything the
 * CLI accepts: CloudTrail files or directories, GCP audit logs, .scap captures,
 * s3://, gcp://, ssh://. Options: filter (Wireshark or Falco syntax), since and
 * until (Date, RFC 3339, or `2d`, `3h`, `30m`, `2w` ago), fields, limit,
 * onProgress, onWarning (default: warnings go to console.warn), and
 * source-specific options. Throws SourceError for unreadable input and
 * FilterError for a bad filter.
 */
export async function load(sources: SourceSpec, opts: LoadOptions = {}): Promise<Table> {
  const onWarning = opts.onWarning ?? ((w: LoadWarning) => console.warn(`stratolab: warning: ${w.where}: ${w.message}`));
  // in the stratolab kernel: the cell's interrupt aborts the load, and a progress bar shows it
  const nb = withNotebookDefaults(opts, typeof sources === 'string' ? sources : sources.join(' '));
  return (await loadSources(sources, { ...nb, onWarning })).table;
}

/** Like `load`, returning the table with the warnings, failed files and statistics. */
export async function loadWithReport(sources: SourceSpec, opts: LoadOptions = {}): Promise<LoadResult> {
  await preload;
  return loadSources(sources, opts);
}

/** The rows of `table` matching a filter expression (a view; order kept). */
export function filter(table: Table, expr: string): Table {
  return compile(expr).filter(table);
}

/** The registered fields whose name starts with `prefix` (all when omitted), sorted by name. */
export function fields(prefix = ''): FieldDef[] {
  return listFields(prefix);
}

/**
 * Writes a syscall table's events (any filtered or ordered view of tables
 * loaded from captures) as a capture sysdig and Stratoshark open, printing
 * the same lines for them as the source did (the scap module's writeScap;
 * doc/scap-write.md). Options: `gzip`, `level`, `numbering`.
 */
export async function writeScap(table: Table, path: string, opts: Record<string, unknown> = {}): Promise<unknown> {
  const mod = await importSource('scap');
  if (typeof mod.writeScap !== 'function') throw new SourceUnavailableError('scap', 'this build cannot write .scap files (no writeScap)');
  return (mod.writeScap as (t: Table, p: string, o?: unknown) => unknown)(table, path, opts);
}
