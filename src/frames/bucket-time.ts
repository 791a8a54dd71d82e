/**
 * Time bucketing: event counts per interval (for timelines and I/O-graph
 * style charts), optionally split by a field. Empty intervals between the
 * first and last event are included with count 0.
 */
import * as aq from 'arquero';
import { textValue } from './format-value.js';
import { eachRow } from './rows.js';
import { outputColumns } from './select-fields.js';
import type { Table } from './table.js';
import { parseDuration, toEpochMs, TimeSpecError } from './time.js';

export interface BucketOptions {
  /** the timestamp field; default `time` */
  field?: string;
  /** split counts by this field (long format: one row per bucket and value) */
  by?: string;
  /** leave out empty intervals (default false: every interval from first to last appears) */
  sparse?: boolean;
}

const NICE_MS = [1, 10, 100, 1000, 5000, 15_000, 30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 604_800_000, 2_592_000_000];

/** A round interval giving about `target` buckets over `spanMs`. */
export function autoInterval(spanMs: number, target = 60): number {
  for (const ms of NICE_MS) if (spanMs / ms <= target) return ms;
  return NICE_MS[NICE_MS.length - 1]!;
}

/** Milliseconds of an interval given as ms, a duration (`5m`, `1h`, `1d`) or `auto`. */
export function intervalMs(interval: number | string, spanMs = 0): number {
  if (typeof interval === 'number') {
    if (!(interval > 0)) throw new TimeSpecError(String(interval), 'an interval must be a positive number of milliseconds');
    return interval;
  }
  if (interval === 'auto') return autoInterval(spanMs);
  const ms = parseDuration(interval);
  if (ms === null || ms <= 0) throw new TimeSpecError(interval, 'expected an interval like 30s, 5m, 1h, 1d, 1w or "auto"');
  return ms;
}

/**
 * Counts per interval: a table with `time` (bucket start, Date) and `count`,
 * plus the `by` field's column when splitting. Buckets are aligned to the
 * epoch (UTC). Rows without a time are not counted.
 */
export function bucketTime(table: Table, interval: number | string = 'auto', opts: BucketOptions = {}): Table {
  const [timeCol] = outputColumns(table, [opts.field ?? 'time']);
  const byCol = opts.by ? outputColumns(table, [opts.by])[0] : undefined;
  const times: number[] = [];
  const keys: unknown[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  eachRow(table, (row) => {
    const t = toEpochMs(timeCol!.get(row) as any);
    if (Number.isNaN(t)) return;
    times.push(t);
    if (byCol) keys.push(byCol.get(row) ?? null);
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  });
  const step = intervalMs(interval, times.length ? hi - lo : 0);
  const counts = new Map<number, Map<string, { key: unknown; n: number }>>();
  const groupKeys = new Map<string, unknown>();
  for (let i = 0; i < times.length; i++) {
    const b = Math.floor(times[i]! / step) * step;
    const k = byCol ? keys[i] : null;
    const ks = k === null ? '\u0000' : textValue(k);
    groupKeys.set(ks, k);
    let m = counts.get(b);
    if (!m) counts.set(b, (m = new Map()));
    const e = m.get(ks);
    if (e) e.n++;
    else m.set(ks, { key: k, n: 1 });
  }
  let buckets = [...counts.keys()].sort((a, b) => a - b);
  if (!opts.sparse && buckets.length > 1) {
    const first = buckets[0]!;
    const last = buckets[buckets.length - 1]!;
    const n = Math.round((last - first) / step) + 1;
    if (n <= 1_000_000) buckets = Array.from({ length: n }, (_, i) => first + i * step);
  }
  const groups = [...groupKeys.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const time: Date[] = [];
  const count: number[] = [];
  const by: unknown[] = [];
  for (const b of buckets) {
    const m = counts.get(b);
    if (!byCol) {
      time.push(new Date(b));
      count.push(m?.get('\u0000')?.n ?? 0);
      continue;
    }
    for (const [ks, key] of groups) {
      const n = m?.get(ks)?.n ?? 0;
      if (n === 0 && opts.sparse) continue;
      time.push(new Date(b));
      by.push(key);
      count.push(n);
    }
  }
  const data: Record<string, unknown[]> = { time };
  if (byCol) data[opts.by!] = by;
  data.count = count;
  return aq.table(data);
}
