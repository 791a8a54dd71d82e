/**
 * A danfo.js DataFrame from a table, for users who prefer a pandas-like
 * API. danfojs (pure JS; pulls tfjs) is loaded only when this is called, so
 * nothing else pays for it. `import 'danfojs'` fails under tslab: we require it.
 */
import { createRequire } from 'node:module';
import { jsonValue } from './format-value.js';
import { eachRow } from './rows.js';
import { outputColumns } from './select-fields.js';
import type { Table } from './table.js';

let danfo: any;

/** The danfojs module (loaded on first call). */
export function loadDanfo(): any {
  if (!danfo) {
    const require = createRequire(import.meta.url);
    try {
      danfo = require('danfojs');
    } catch (err: any) {
      throw new Error(`danfojs could not be loaded (${err?.message ?? err}); it is an optional dependency used only by toDanfo`);
    }
  }
  return danfo;
}

/**
 * A danfo DataFrame of the table's columns (or `fields`). Raw records are
 * dropped; lists become comma-joined text, bigints numbers when safe (text
 * otherwise), Dates stay Dates.
 */
export function toDanfo(table: Table, fields?: readonly string[]): any {
  const dfd = loadDanfo();
  const cols = outputColumns(table, fields, { raw: 'drop', lenient: true });
  const data: Record<string, unknown[]> = {};
  for (const c of cols) data[c.name] = [];
  eachRow(table, (row) => {
    for (const c of cols) {
      let v = c.get(row);
      if (v === undefined) v = null;
      else if (typeof v === 'bigint') v = v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
      else if (Array.isArray(v)) v = v.join(',');
      else if (v !== null && typeof v === 'object' && !(v instanceof Date)) v = JSON.stringify(jsonValue(v));
      data[c.name]!.push(v);
    }
  });
  return new dfd.DataFrame(data);
}
