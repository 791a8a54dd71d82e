/**
 * `stratolab export SOURCE... -o OUT.{csv,jsonl,arrow,parquet} [-Y FILTER] [-e FIELD]...`
 * Writes the matching events to a file for pandas, DuckDB, Excel or jq.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { flag, formatOptions, list, parseArgs, str, type OptionSpec } from './args.js';
import { UsageError } from './errors.js';
import { loadSelection, S3_OPTIONS, SOURCE_OPTIONS, sourceSelection } from './source-options.js';
import { printStats } from './stats.js';
import { exportTable, formatForPath } from '../frames/export.js';
import { outputColumns } from '../frames/select-fields.js';

export const EXPORT_OPTIONS: readonly OptionSpec[] = [
  { name: 'output', short: 'o', value: 'OUT', help: 'the file to write; its extension picks the format (.csv .jsonl .arrow .parquet)' },
  { name: 'field', short: 'e', value: 'FIELD', multiple: true, help: 'a field to export (repeatable); default every column but the raw record' },
  ...SOURCE_OPTIONS,
  { name: 'raw', help: 'without -e: include the raw record column as JSON text' },
  { name: 'stats', help: 'print one JSON line of load statistics on stderr' },
  ...S3_OPTIONS,
  { name: 'help', short: 'h', help: 'show this help' },
];

export const EXPORT_HELP = `Usage: stratolab export SOURCE... -o OUT.{csv,jsonl,arrow,parquet} [options]

Writes the events as a file: CSV (header + RFC 4180), JSON lines, Arrow IPC
(file format; .arrows for the stream format) or Parquet (zstd). Typed columns
in Arrow and Parquet: times as timestamp[ms, UTC], 64-bit integers as int64,
lists as list<utf8>.

Options:
${formatOptions(EXPORT_OPTIONS)}

Examples:
  stratolab export trail/ -o events.parquet
  stratolab export trail/ -Y 'ct.error' -e time -e ct.user -e ct.name -e ct.error -o errors.csv
`;

export async function runExport(argv: readonly string[]): Promise<number> {
  const args = parseArgs('export', argv, EXPORT_OPTIONS);
  if (flag(args.options.help)) {
    process.stdout.write(EXPORT_HELP);
    return 0;
  }
  const out = str(args.options.output);
  if (!out) throw new UsageError('"export" needs -o OUT.csv, OUT.jsonl, OUT.arrow or OUT.parquet', 'stratolab export --help');
  const format = formatForPath(out);
  if (!format) throw new UsageError(`-o ${out}: unknown format; use .csv, .jsonl, .arrow or .parquet`, 'stratolab export --help');
  const fields = list(args.options.field);
  const sel = await sourceSelection('export', args);
  const result = await loadSelection(sel);
  if (fields.length) outputColumns(result.table, fields); // unknown fields: exit 2 before writing
  // write to a temporary name, then rename: no half-written file on failure
  const tmp = `${out}.partial-${process.pid}`;
  try {
    exportTable(result.table, tmp, { format, fields: fields.length ? fields : undefined, raw: flag(args.options.raw) ? 'json' : 'drop' });
    renameSync(tmp, out);
  } catch (err) {
    if (existsSync(tmp)) rmSync(tmp);
    throw err;
  }
  process.stderr.write(`stratolab: wrote ${result.table.numRows()} events to ${out}\n`);
  if (flag(args.options.stats)) printStats(result.stats);
  return 0;
}
