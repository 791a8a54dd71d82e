/**
 * Which columns an export or a CLI output shows, as (name, getter) pairs:
 * the requested fields (materialized columns or lazily extracted ones), or
 * every column of the table except the raw record columns.
 */
import { getField, suggestFields } from '../fields/registry.js';
import { parseFieldSpec } from '../fields/spec.js';
import type { Value } from '../fields/types.js';
import { isPlainObject } from './format-value.js';
import { eachRow } from './rows.js';
import { fieldAccessor, type Table } from './table.js';

export interface OutputColumn {
  name: string;
  /** value by underlying row index; null when absent */
  get: (row: number) => Value | unknown;
}

/** What to do with raw record columns (`raw` and other object columns) when no fields are named. */
export type RawPolicy = 'drop' | 'json';

/** Thrown when a requested field is neither a column nor a registered field with an extractor. */
export class UnknownFieldError extends Error {
  constructor(readonly field: string, readonly suggestions: string[] = []) {
    super(`unknown field "${field}"${suggestions.length ? ` (did you mean ${suggestions.join(', ')}?)` : ''}`);
    this.name = 'UnknownFieldError';
  }
}

export { parseFieldSpec } from '../fields/spec.js';

/** Columns every table may have besides registered fields. */
const TABLE_COLUMNS = new Set(['time', 'source', 'raw']);

/**
 * Throws UnknownFieldError (with suggestions) for a field spec that is
 * neither a registered field (`proc.aname[2]`, `evt.arg.fd` included) nor a
 * table column such as `time`; `columns` adds a table's own column names.
 */
export function checkFieldSpecs(specs: readonly string[], columns: readonly string[] = []): void {
  for (const spec of specs) {
    if (TABLE_COLUMNS.has(spec) || columns.includes(spec)) continue;
    const { name } = parseFieldSpec(spec);
    if (!getField(name) && !TABLE_COLUMNS.has(name) && !columns.includes(name)) throw new UnknownFieldError(spec, suggestFields(name));
  }
}

/**
 * True when a raw column holds records worth writing as JSON (CloudTrail and
 * GCP entries), not parser state (a capture's event contexts reference the
 * whole thread and fd tables: megabytes per row).
 */
function isRecordColumn(table: Table, name: string): boolean {
  const col = table.column(name)!;
  let sample: any = null;
  eachRow(table, (row) => {
    sample = col.at(row);
    return sample === null || sample === undefined;
  });
  return !(sample && typeof sample === 'object' && 'ev' in sample && 'host' in sample);
}

/** Column names holding raw records: `raw`, and columns whose values are plain objects. */
export function rawColumnNames(table: Table): Set<string> {
  const out = new Set<string>();
  for (const name of table.columnNames()) {
    if (name === 'raw') {
      out.add(name);
      continue;
    }
    const col = table.column(name)!;
    let sample: unknown = null;
    let seen = 0;
    eachRow(table, (row) => {
      const v = col.at(row);
      if (v === null || v === undefined) return ++seen < 1000;
      sample = v;
      return false;
    });
    if (isPlainObject(sample)) out.add(name);
  }
  return out;
}

/**
 * The columns to output. With `fields`, each must be a column or a
 * registered field with an extractor (UnknownFieldError otherwise, unless
 * `lenient`: then an unknown field is an always-absent column, as tshark
 * prints empty values for fields a packet lacks).
 */
export function outputColumns(
  table: Table,
  fields?: readonly string[],
  opts: { raw?: RawPolicy; lenient?: boolean } = {},
): OutputColumn[] {
  if (fields && fields.length) {
    return fields.map((spec) => {
      const { name, arg } = parseFieldSpec(spec);
      const get = fieldAccessor(table, name, arg);
      if (get) return { name: spec, get };
      if (opts.lenient || getField(name)) return { name: spec, get: () => null };
      throw new UnknownFieldError(spec, suggestFields(name));
    });
  }
  const raw = rawColumnNames(table);
  const cols: OutputColumn[] = [];
  for (const name of table.columnNames()) {
    if (raw.has(name) && ((opts.raw ?? 'drop') === 'drop' || !isRecordColumn(table, name))) continue;
    const col = table.column(name)!;
    cols.push({ name, get: (row) => col.at(row) ?? null });
  }
  return cols;
}
