/**
 * What every GCP load does after reading entries: the time window, the
 * display filter (through src/filter), then the limit — in that order, so
 * `-c N` counts matching events.
 */
import { filterModule, type CompiledFilter } from '../../filter-api.js';
import { parseTimeRange } from '../../frames/time.js';
import type { Table } from '../../frames/table.js';
import type { LoadOptions } from '../types.js';
import type { TimedEntry } from './table.js';

export interface Window {
  since?: Date;
  until?: Date;
}

/** since/until of the options (Date, RFC 3339 or relative). */
export function windowOf(opts: LoadOptions): Window {
  return parseTimeRange(opts.since as any, opts.until as any);
}

/** True when the entry's time is inside [since, until); entries without time are outside any window. */
export function inWindow(r: TimedEntry, w: Window): boolean {
  if (!w.since && !w.until) return true;
  if (r.t === null) return false;
  if (w.since && r.t < w.since.getTime()) return false;
  if (w.until && r.t >= w.until.getTime()) return false;
  return true;
}

/** The compiled filter of the options, or null; throws the filter's error for a bad expression. */
export async function compileFilter(opts: LoadOptions): Promise<CompiledFilter | null> {
  if (!opts.filter) return null;
  return (await filterModule()).compile(opts.filter);
}

/** Filter then limit. */
export function filterAndLimit(table: Table, compiled: CompiledFilter | null, limit?: number): Table {
  let t = compiled ? compiled.filter(table) : table;
  if (limit !== undefined && limit >= 0 && t.numRows() > limit) t = t.slice(0, limit);
  return t;
}
