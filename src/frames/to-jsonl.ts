/**
 * JSON lines export: one object per event keyed by field name; bigint as a
 * decimal string, Date as RFC 3339, lists as arrays, absent as null.
 */
import { jsonValue } from './format-value.js';
import { eachRow } from './rows.js';
import { outputColumns } from './select-fields.js';
import type { Table } from './table.js';
import { fileSink, stringSink, type TextSink } from './text-sink.js';
import type { TextExportOptions } from './to-csv.js';

/** Writes `table` as JSON lines into a sink. Returns the number of rows. */
export function writeJSONLinesTo(table: Table, sink: TextSink, opts: TextExportOptions = {}): number {
  const cols = outputColumns(table, opts.fields, { raw: opts.raw ?? 'drop', lenient: true });
  let n = 0;
  eachRow(table, (row) => {
    const obj: Record<string, unknown> = {};
    for (const c of cols) obj[c.name] = jsonValue(c.get(row));
    sink.write(JSON.stringify(obj) + '\n');
    n++;
  });
  return n;
}

/** The table as JSON lines text. */
export function toJSONLines(table: Table, opts: TextExportOptions = {}): string {
  const sink = stringSink();
  writeJSONLinesTo(table, sink, opts);
  return sink.text();
}

/** Writes the table as a JSON lines file; returns the number of rows. */
export function writeJSONLines(table: Table, path: string, opts: TextExportOptions = {}): number {
  const sink = fileSink(path);
  try {
    return writeJSONLinesTo(table, sink, opts);
  } finally {
    sink.close();
  }
}
