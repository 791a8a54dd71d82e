/**
 * Arrow IPC export. Each column gets one explicit Arrow type from its
 * values: strings utf8 (dictionary-encoded when values repeat), integers and bigints int64, other numbers float64,
 * booleans bool, Dates timestamp[ms, UTC], lists list<utf8>, bytes binary;
 * raw record objects are dropped or written as JSON text; anything mixed
 * becomes text. Read back with apache-arrow's `tableFromIPC`.
 */
import { writeFileSync } from 'node:fs';
import {
  TimeUnit,
  binary,
  bool,
  columnFromArray,
  dictionary,
  int32,
  float64,
  int64,
  list,
  tableFromColumns,
  tableToIPC,
  timestamp,
  utf8,
  type Column,
  type Table as ArrowTable,
} from '@uwdata/flechette';
import { columnKind } from './column-kind.js';
import { textValue, toJSONText } from './format-value.js';
import { eachRow } from './rows.js';
import { outputColumns, type RawPolicy } from './select-fields.js';
import type { Table } from './table.js';

export interface ArrowExportOptions {
  /** the fields to write; default all columns but raw records */
  fields?: readonly string[];
  /** raw record columns when `fields` is not given: dropped (default) or JSON text */
  raw?: RawPolicy;
}

/** True when at most half of the non-null values are distinct. */
function repetitive(values: readonly unknown[]): boolean {
  const seen = new Set<unknown>();
  let n = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    n++;
    seen.add(v);
  }
  return n > 0 && seen.size * 2 <= n;
}

function typedColumn(values: unknown[]): Column<any> {
  const kind = columnKind(values);
  switch (kind) {
    case 'null':
      return columnFromArray(values as (string | null)[], utf8());
    case 'string':
      // repeated values (event names, users, regions) dictionary-encoded: smaller and faster to build
      return columnFromArray(values as (string | null)[], repetitive(values) ? dictionary(utf8(), int32()) : utf8());
    case 'int':
    case 'bigint':
      return columnFromArray(values.map((v) => (v === null || v === undefined ? null : BigInt(v as number))), int64());
    case 'float':
      return columnFromArray(values.map((v) => (v === null || v === undefined ? null : Number(v))), float64());
    case 'bool':
      return columnFromArray(values, bool());
    case 'date':
      return columnFromArray(
        values.map((v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v : null)),
        timestamp(TimeUnit.MILLISECOND, 'UTC'),
      );
    case 'list':
      return columnFromArray(
        values.map((v) => (Array.isArray(v) ? v.map((x) => (x === null || x === undefined ? null : textValue(x))) : null)),
        list(utf8()),
      );
    case 'bytes':
      return columnFromArray(values, binary());
    case 'object':
      return columnFromArray(values.map((v) => (v === null || v === undefined ? null : toJSONText(v))), utf8());
    case 'mixed':
      return columnFromArray(
        values.map((v) => (v === null || v === undefined ? null : typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v) ? toJSONText(v) : textValue(v))),
        utf8(),
      );
  }
}

/** The table as an in-memory Arrow table (flechette). */
export function toArrowTable(table: Table, opts: ArrowExportOptions = {}): ArrowTable {
  const cols = outputColumns(table, opts.fields, { raw: opts.raw ?? 'drop', lenient: true });
  const n = table.numRows();
  const out: Record<string, Column<any>> = {};
  for (const c of cols) {
    const values = new Array<unknown>(n);
    let i = 0;
    eachRow(table, (row) => {
      const v = c.get(row);
      values[i++] = v === undefined ? null : v;
    });
    out[c.name] = typedColumn(values);
  }
  return tableFromColumns(out);
}

/** The table as Arrow IPC bytes (`format`: 'stream', the default, or 'file'). */
export function toArrowIPC(table: Table, opts: ArrowExportOptions & { format?: 'stream' | 'file' } = {}): Uint8Array {
  return tableToIPC(toArrowTable(table, opts), { format: opts.format ?? 'stream' })!;
}

/** Writes an Arrow IPC file (`.arrow`: the IPC file format; `.arrows`: the stream format). Returns rows written. */
export function writeArrow(table: Table, path: string, opts: ArrowExportOptions & { format?: 'stream' | 'file' } = {}): number {
  const format = opts.format ?? (path.endsWith('.arrows') ? 'stream' : 'file');
  writeFileSync(path, toArrowIPC(table, { ...opts, format }));
  return table.numRows();
}
