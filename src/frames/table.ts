/**
 * The one table type that flows through stratolab: an Arquero ColumnTable
 * whose columns are named by field name, plus `time` (Date), `source`
 * ('aws_cloudtrail' | 'gcp_auditlog' | 'syscall') and a raw column per source
 * (`raw`: the original record object, for drill-down and lazy fields).
 */
import type { ColumnTable } from 'arquero';
import { getField } from '../fields/registry.js';
import { splitFieldSpec } from '../fields/spec.js';
import type { Value } from '../fields/types.js';
import { eachRow } from './rows.js';

export type Table = ColumnTable;

/** Canonical column name of a field with an optional argument: `proc.aname[2]`. */
export function columnName(field: string, arg?: string): string {
  return arg === undefined ? field : `${field}[${arg}]`;
}

/** An accessor for a field's value by (underlying) row index, or null when neither a column nor an extractor exists. */
export function fieldAccessor(table: Table, field: string, arg?: string): ((row: number) => Value) | null {
  const col = table.column(columnName(field, arg));
  if (col) return (row) => (col.at(row) ?? null) as Value;
  const def = getField(field);
  if (!def?.extract) return null;
  const raw = table.column(def.rawColumn ?? 'raw');
  if (!raw) return null;
  const extract = def.extract;
  return (row) => {
    const r = raw.at(row);
    return r === null || r === undefined ? null : extract(r, arg);
  };
}

/**
 * Adds columns for fields that are extracted lazily, so they can be selected,
 * grouped or exported. Works on filtered and ordered tables: values are
 * computed only for the rows the table shows, and the view (filter, order,
 * groups) is kept.
 */
export function withFields(table: Table, fields: readonly string[]): Table {
  const add: Record<string, Value[]> = {};
  for (const spec of fields) {
    const { name, arg } = splitFieldSpec(spec);
    const colName = columnName(name, arg);
    if (table.column(colName) || add[colName]) continue;
    const get = fieldAccessor(table, name, arg);
    if (!get) continue;
    const values = new Array<Value>(table.totalRows()).fill(null);
    eachRow(table, (row) => {
      values[row] = get(row);
    });
    add[colName] = values;
  }
  const names = Object.keys(add);
  if (!names.length) return table;
  return table.create({ data: { ...table.data(), ...add }, names: [...table.columnNames(), ...names] } as any);
}
