/**
 * CSV export: a header row of field names, RFC 4180 quoting, one row per
 * event; lists joined by ",", Date as RFC 3339, absent as empty.
 */
import { csvQuote, textValue } from './format-value.js';
import { eachRow } from './rows.js';
import { outputColumns, type RawPolicy } from './select-fields.js';
import type { Table } from './table.js';
import { fileSink, stringSink, type TextSink } from './text-sink.js';

export interface TextExportOptions {
  /** the fields to write (columns or lazily extracted fields); default all but raw records */
  fields?: readonly string[];
  /** raw record columns when `fields` is not given: dropped (default) or JSON text */
  raw?: RawPolicy;
  /** line terminator; default "\n" (RFC 4180 says CRLF: pass "\r\n") */
  eol?: string;
}

/** Writes `table` as CSV into a sink. Returns the number of data rows. */
export function writeCSVTo(table: Table, sink: TextSink, opts: TextExportOptions = {}): number {
  const cols = outputColumns(table, opts.fields, { raw: opts.raw ?? 'drop', lenient: true });
  const eol = opts.eol ?? '\n';
  sink.write(cols.map((c) => csvQuote(c.name)).join(',') + eol);
  let n = 0;
  eachRow(table, (row) => {
    let line = '';
    for (let i = 0; i < cols.length; i++) {
      if (i) line += ',';
      line += csvQuote(textValue(cols[i]!.get(row)));
    }
    sink.write(line + eol);
    n++;
  });
  return n;
}

/** The table as CSV text. */
export function toCSV(table: Table, opts: TextExportOptions = {}): string {
  const sink = stringSink();
  writeCSVTo(table, sink, opts);
  return sink.text();
}

/** Writes the table as a CSV file; returns the number of rows. */
export function writeCSV(table: Table, path: string, opts: TextExportOptions = {}): number {
  const sink = fileSink(path);
  try {
    return writeCSVTo(table, sink, opts);
  } finally {
    sink.close();
  }
}
