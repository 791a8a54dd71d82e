/**
 * Several sources' results as one: tables concatenated with the union of
 * their columns and ordered by time, stats summed; and the time window
 * re-applied for loaders that did not.
 */
import * as aq from 'arquero';
import { eachRow } from '../frames/rows.js';
import type { Table } from '../frames/table.js';
import { toEpochMs } from '../frames/time.js';
import type { LoadResult, LoadStats } from './types.js';

export function emptyStats(): LoadStats {
  return { objectsListed: 0, objectsFetched: 0, bytes: 0, eventsRead: 0, eventsMatched: 0, seconds: 0 };
}

/** One LoadResult from several: union of columns, rows ordered by time, stats summed. */
export function mergeResults(results: readonly LoadResult[]): LoadResult {
  if (results.length === 1) return { ...results[0]!, warnings: [...(results[0]!.warnings ?? [])], failed: [...(results[0]!.failed ?? [])], stats: { ...emptyStats(), ...results[0]!.stats } };
  const stats = emptyStats();
  for (const r of results) {
    for (const [k, v] of Object.entries(r.stats ?? {})) if (typeof v === 'number') stats[k] = (stats[k] ?? 0) + v;
  }
  return {
    table: concatTables(results.map((r) => r.table)),
    warnings: results.flatMap((r) => r.warnings ?? []),
    failed: results.flatMap((r) => r.failed ?? []),
    stats,
  };
}

/** Concatenates tables with possibly different columns (missing = null), ordered by `time` when present. */
export function concatTables(tables: readonly Table[]): Table {
  const nonEmpty = tables.filter((t) => t.numRows() > 0);
  if (nonEmpty.length === 0) return tables[0] ?? aq.table({});
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const names: string[] = [];
  for (const t of nonEmpty) for (const n of t.columnNames()) if (!names.includes(n)) names.push(n);
  const total = nonEmpty.reduce((n, t) => n + t.numRows(), 0);
  const data: Record<string, unknown[]> = {};
  for (const name of names) {
    const out = new Array<unknown>(total);
    let i = 0;
    for (const t of nonEmpty) {
      const col = t.column(name);
      eachRow(t, (row) => {
        out[i++] = col ? (col.at(row) ?? null) : null;
      });
    }
    data[name] = out;
  }
  const merged = aq.table(data);
  return names.includes('time')
    ? merged.orderby(aq.escape((d: any) => toEpochMs(d.time))).reify()
    : merged;
}

/** Keeps rows with since <= time < until (a no-op when the loader already did it). */
export function clampTime(table: Table, since?: Date, until?: Date): Table {
  if (!since && !until) return table;
  const col = table.column('time');
  if (!col) return table;
  const lo = since ? since.getTime() : -Infinity;
  const hi = until ? until.getTime() : Infinity;
  let outside = false;
  eachRow(table, (row) => {
    const t = toEpochMs(col.at(row) as any);
    if (t >= lo && t < hi) return true;
    outside = true;
    return false;
  });
  if (!outside) return table;
  return table.filter(
    aq.escape((d: { time: unknown }) => {
      const t = toEpochMs(d.time as any);
      return t >= lo && t < hi;
    }) as any,
  );
}
