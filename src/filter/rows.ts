/**
 * Rows outside tables: `.test(row)` takes a plain object keyed by field name
 * (`proc.name`, arguments as `proc.aname[2]`) or an object with
 * `get(field, arg?)` (the scap streaming reader's events).
 */
import { getField } from '../fields/registry.js';
import type { Value } from '../fields/types.js';
import { columnName } from '../frames/table.js';
import type { RowGetter } from './semantics.js';

export interface FieldSource {
  get(field: string, arg?: string): Value | undefined;
}

export type RowLike = Record<string, unknown> | FieldSource;

export function isFieldSource(row: RowLike): row is FieldSource {
  return typeof (row as FieldSource).get === 'function';
}

/** A getter over a row object; fields with an extractor fall back to it on the row's raw column. */
export function rowGetter(row: RowLike): RowGetter {
  if (isFieldSource(row)) return (field, arg) => (row.get(field, arg) ?? null) as Value;
  const obj = row as Record<string, unknown>;
  return (field, arg) => {
    const key = columnName(field, arg);
    const v = obj[key];
    if (v !== undefined) return v as Value;
    const def = getField(field);
    if (def?.extract) {
      const raw = obj[def.rawColumn ?? 'raw'];
      if (raw !== null && raw !== undefined) return def.extract(raw, arg);
    }
    return null;
  };
}
