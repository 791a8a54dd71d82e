/**
 * `stratolab read SOURCE... [-Y FILTER] [-T text|fields|json|csv] [-e FIELD]...
 *  [-c N] [--since T] [--until T] [--stats] [-w OUT.scap] [--internal]`
 * tshark-like event output. Sources that can stream (scap) are streamed
 * row by row without building a table.
 */
import { flag, formatOptions, list, parseArgs, str, type OptionSpec } from './args.js';
import { UsageError } from './errors.js';
import { Output } from './output.js';
import { OUTPUT_FORMATS, rowFormatter, type OutputFormat } from './row-writer.js';
import { loadSelection, S3_OPTIONS, SOURCE_OPTIONS, sourceSelection, type SourceSelection } from './source-options.js';
import { SSH_OPTIONS } from './ssh-options.js';
import { printStats } from './stats.js';
import { tryStream } from './read-stream.js';
import { rowIndices } from '../frames/rows.js';
import { checkFieldSpecs, outputColumns } from '../frames/select-fields.js';
import type { Table } from '../frames/table.js';

export const READ_OPTIONS: readonly OptionSpec[] = [
  ...SOURCE_OPTIONS,
  { name: 'output', short: 'T', value: 'FORMAT', help: 'text (default), fields (needs -e), json or csv' },
  { name: 'field', short: 'e', value: 'FIELD', multiple: true, help: 'a field to print (repeatable); -e alone implies -T fields' },
  { name: 'stats', help: 'print one JSON line of load statistics on stderr at the end' },
  { name: 'write', short: 'w', value: 'OUT.scap', help: 'write the matching syscall events to a .scap file instead of printing' },
  { name: 'internal', help: 'scap: include sysdig internal events (like sysdig -D)' },
  { name: 'raw', help: 'json/csv without -e: include the raw record column as JSON' },
  ...S3_OPTIONS,
  ...SSH_OPTIONS,
  { name: 'help', short: 'h', help: 'show this help' },
];

export const READ_HELP = `Usage: stratolab read SOURCE... [options]

Prints the events of CloudTrail files or directories, GCP audit logs, sysdig
captures (.scap) or s3:// / gcp:// / ssh:// sources, one line per event.

Options:
${formatOptions(READ_OPTIONS)}

Output formats:
  text    CloudTrail: time and the Info text (ct.info); syscalls: sysdig's line
  fields  the -e values tab-separated; absent = empty; lists joined by ",";
          \\ tab newline CR escaped as \\\\ \\t \\n \\r
  json    one object per line (64-bit integers as strings, times RFC 3339)
  csv     header row, then RFC 4180 rows

Examples:
  stratolab read trail/ -Y 'ct.error == "AccessDenied"' -T fields -e time -e ct.user -e ct.name
  stratolab read capture.scap -Y 'evt.type = execve' -c 20
  stratolab read trail/ --since 2d --stats -T json | jq .
`;

export async function runRead(argv: readonly string[]): Promise<number> {
  const args = parseArgs('read', argv, READ_OPTIONS);
  if (flag(args.options.help)) {
    process.stdout.write(READ_HELP);
    return 0;
  }
  // live capture from ssh:// hosts: -w names where the raw streams go, Ctrl-C stops cleanly
  if (args.positionals.length && args.positionals.every((p) => /^ssh:\/\//i.test(p))) {
    return (await import('./capture.js')).captureFromArgs(args, 'read', { requireWrite: false });
  }
  const fields = list(args.options.field);
  const format = (str(args.options.output) ?? (fields.length ? 'fields' : 'text')) as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UsageError(`-T ${format}: unknown output format (use ${OUTPUT_FORMATS.join(', ')})`, 'stratolab read --help');
  if (format === 'fields' && !fields.length) throw new UsageError('-T fields needs at least one -e FIELD', 'stratolab read --help');
  if (format === 'text' && fields.length) throw new UsageError('-e FIELD is for -T fields, json or csv (text prints the Info line)', 'stratolab read --help');
  const sel = await sourceSelection('read', args);
  checkFieldSpecs(fields); // the sources' fields are registered now: a misspelt -e is exit 2, before reading
  const write = str(args.options.write);
  const extra = flag(args.options.internal) ? { showInternal: true } : {};

  if (write !== undefined) return (await import('./write-scap.js')).writeScapOutput(sel, write, extra, flag(args.options.stats));

  const out = new Output();
  const streamed = await tryStream(sel, { format, fields, out, extra });
  if (streamed) {
    await out.end();
    if (flag(args.options.stats)) printStats(streamed);
    return 0;
  }

  const result = await loadSelection(sel, extra);
  const n = await writeTable(result.table, format, fields, flag(args.options.raw), out);
  await out.end();
  if (flag(args.options.stats)) printStats({ ...result.stats, eventsMatched: n });
  return 0;
}

/** Writes every row of the table in the given format; returns the rows written. */
export async function writeTable(table: Table, format: OutputFormat, fields: readonly string[], raw: boolean, out: Output): Promise<number> {
  const rows = rowIndices(table);
  if (format === 'text') {
    const { textLines } = await import('./text-line.js');
    const line = await textLines(table);
    for (let i = 0; i < rows.length; i++) {
      out.line(line(rows[i]!));
      if (out.congested) await out.drain();
    }
    return rows.length;
  }
  const cols = outputColumns(table, fields.length ? fields : undefined, { raw: raw ? 'json' : 'drop' });
  const f = rowFormatter(format, cols.map((c) => c.name));
  if (f.header !== undefined) out.line(f.header);
  const values = new Array<unknown>(cols.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let j = 0; j < cols.length; j++) values[j] = cols[j]!.get(row);
    out.line(f.line(values));
    if (out.congested) await out.drain();
  }
  return rows.length;
}

export type { SourceSelection };
