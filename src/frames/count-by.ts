/**
 * Count-by and top-N: how many rows per value (or value combination) of
 * one or more fields, most frequent first. Fields may be columns or lazily
 * extracted fields; absent values form their own group (null) unless dropped.
 */
import * as aq from 'arquero';
import type { Value } from '../fields/types.js';
import { textValue } from './format-value.js';
import { eachRow } from './rows.js';
import { UnknownFieldError, outputColumns } from './select-fields.js';
import type { Table } from './table.js';

export interface CountByOptions {
  /** keep only the N most frequent groups */
  top?: number;
  /** drop groups where any field is absent (default false: absent is a group of its own) */
  dropNull?: boolean;
  /** name of the count column; default "count" */
  as?: string;
  /** add a "percent" column (share of all counted rows, 0-100) */
  percent?: boolean;
}

/** Grouping key of a value: lists count as their joined text. */
function keyPart(v: unknown): string {
  if (v === null || v === undefined) return '\u0000';
  return typeof v === 'string' ? 's' + v : typeof v + ':' + textValue(v);
}

/**
 * A table with one column per field plus `count`, sorted by count
 * descending, ties by the field values' text ascending. Throws
 * UnknownFieldError when a field is neither a column nor a registered field.
 */
export function countBy(table: Table, fields: string | readonly string[], opts: CountByOptions = {}): Table {
  const names = typeof fields === 'string' ? [fields] : [...fields];
  if (!names.length) throw new UnknownFieldError('(no field given)');
  const countName = opts.as ?? 'count';
  const cols = outputColumns(table, names);
  const groups = new Map<string, { values: unknown[]; count: number }>();
  let total = 0;
  eachRow(table, (row) => {
    const values = cols.map((c) => {
      const v = c.get(row);
      return v === undefined ? null : v;
    });
    if (opts.dropNull && values.some((v) => v === null)) return;
    total++;
    const key = values.length === 1 ? keyPart(values[0]) : values.map(keyPart).join('\u0001');
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { values, count: 1 });
  });
  const sorted = [...groups.values()].sort((a, b) => {
    if (b.count !== a.count) return b.count - a.count;
    for (let i = 0; i < a.values.length; i++) {
      const x = a.values[i] === null ? '\uffff' : textValue(a.values[i]);
      const y = b.values[i] === null ? '\uffff' : textValue(b.values[i]);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
  const kept = opts.top !== undefined && opts.top >= 0 ? sorted.slice(0, opts.top) : sorted;
  const data: Record<string, unknown[]> = {};
  names.forEach((n, i) => (data[n] = kept.map((g) => g.values[i] as Value)));
  data[countName] = kept.map((g) => g.count);
  if (opts.percent) data.percent = kept.map((g) => (total ? (100 * g.count) / total : 0));
  return aq.table(data);
}

/** The N most frequent values of one field as [value, count] pairs. */
export function topValues(table: Table, field: string, n = 10): [Value, number][] {
  const t = countBy(table, field, { top: n });
  const vals = t.array(field) as Value[];
  const counts = t.array('count') as number[];
  return vals.map((v, i) => [v, counts[i]!]);
}
