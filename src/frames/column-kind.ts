/**
 * The storage kind of a column's values, found by scanning them, so typed
 * exports (Arrow, Parquet) get one explicit type per column whatever mix a
 * source produced (numbers and bigints, Dates, lists, raw objects).
 */
import { isPlainObject } from './format-value.js';

export type ColumnKind = 'null' | 'string' | 'int' | 'float' | 'bigint' | 'bool' | 'date' | 'list' | 'bytes' | 'object' | 'mixed';

/** The kind of a sequence of values (nulls ignored; 'null' when all are absent). */
export function columnKind(values: Iterable<unknown>): ColumnKind {
  let kind: ColumnKind = 'null';
  const merge = (k: ColumnKind) => {
    if (kind === k || kind === 'mixed') return;
    if (kind === 'null') kind = k;
    else if ((kind === 'int' && k === 'float') || (kind === 'float' && k === 'int')) kind = 'float';
    else if ((kind === 'int' && k === 'bigint') || (kind === 'bigint' && k === 'int')) kind = 'bigint';
    else kind = 'mixed';
  };
  for (const v of values) {
    if (v === null || v === undefined) continue;
    switch (typeof v) {
      case 'string':
        merge('string');
        continue;
      case 'number':
        merge(Number.isInteger(v) ? 'int' : 'float');
        continue;
      case 'bigint':
        merge('bigint');
        continue;
      case 'boolean':
        merge('bool');
        continue;
    }
    if (v instanceof Date) merge('date');
    else if (Array.isArray(v)) merge('list');
    else if (v instanceof Uint8Array) merge('bytes');
    else if (isPlainObject(v)) merge('object');
    else merge('mixed');
    if ((kind as ColumnKind) === 'mixed') break;
  }
  return kind;
}
