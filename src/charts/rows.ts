/**
 * Reading a table for charts: the visible rows (respecting filters and
 * order) as accessors by field, without copying whole columns.
 */
import type { Table } from '../frames/table.js';
import { fieldAccessor } from '../frames/table.js';
import type { Value } from '../fields/types.js';
import { toEpochMs } from '../frames/time.js';
import { parseFieldSpec } from '../fields/spec.js';

export { rowIndices } from '../frames/rows.js';

/** An accessor for `field` (`proc.aname[2]`, `evt.arg.fd` allowed), or one that always returns null. */
export function getter(table: Table, field: string): (row: number) => Value {
  const { name, arg } = parseFieldSpec(field);
  return fieldAccessor(table, name, arg) ?? (() => null);
}

/** Epoch ms of each row's time: the `time` column, else evt.rawtime, ct.time, gcp.time. */
export function timeGetter(table: Table): (row: number) => number {
  for (const f of ['time', 'evt.rawtime', 'ct.time', 'gcp.time']) {
    if (table.column(f)) {
      const get = getter(table, f);
      return (row) => toEpochMs(get(row));
    }
  }
  return () => Number.NaN;
}

/** First non-null of several fields, e.g. the "principal" of a CloudTrail or GCP row. */
export function firstOf(table: Table, fields: readonly string[]): (row: number) => Value {
  const gets = fields.filter((f) => table.column(f) || f.includes('[')).map((f) => getter(table, f));
  return (row) => {
    for (const g of gets) {
      const v = g(row);
      if (v !== null && v !== undefined && v !== '') return v;
    }
    return null;
  };
}
