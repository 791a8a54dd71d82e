/**
 * LogEntries → the stratolab table: one row per entry, ordered by event
 * time (stable; entries without a valid time last), `time` (Date | null),
 * `source` ("gcp_auditlog"), `raw` (the LogEntry object) and a column per
 * commonly used gcp.* field. Every other gcp.* field (the JSON ones, the
 * rarer resource labels) works lazily through fieldAccessor on `raw`.
 */
import * as aq from 'arquero';
import { DictBuilder, DictColumn } from '../../frames/columns.js';
import { withFields, type Table } from '../../frames/table.js';
import type { Value } from '../../fields/types.js';
import { GCP_SOURCE, gcpExtractor } from './fields.js';
import { entryTime } from './time.js';
import type { LogEntry } from './unwrap.js';

/** Low-cardinality fields: dictionary-encoded columns. */
export const DICT_FIELDS: readonly string[] = [
  'gcp.methodName',
  'gcp.serviceName',
  'gcp.user',
  'gcp.callerIP',
  'gcp.userAgent',
  'gcp.projectId',
  'gcp.resourceType',
  'gcp.location',
  'gcp.storage.bucket',
  'gcp.severity',
  'gcp.logType',
  'gcp.logName',
];

/** High-cardinality fields materialized as plain arrays. */
export const PLAIN_FIELDS: readonly string[] = ['gcp.resourceName', 'gcp.time', 'gcp.insertId', 'gcp.status.code'];

/** The fields materialized as columns by default. */
export const DEFAULT_FIELDS: readonly string[] = [...DICT_FIELDS, ...PLAIN_FIELDS];

/** An entry with its event time (ms, null when missing or invalid). */
export interface TimedEntry {
  entry: LogEntry;
  t: number | null;
}

export function timed(entry: LogEntry): TimedEntry {
  return { entry, t: entryTime(entry).t };
}

/** Stable sort by time, untimed entries last. */
export function sortByTime(rows: TimedEntry[]): TimedEntry[] {
  return rows.sort((a, b) => (a.t === null ? (b.t === null ? 0 : 1) : b.t === null ? -1 : a.t - b.t));
}

/** The table of `rows` (sorted unless `sorted`), with `fields` materialized besides the defaults. */
export function buildGcpTable(rows: TimedEntry[], opts: { fields?: readonly string[]; sorted?: boolean } = {}): Table {
  const list = opts.sorted ? rows : sortByTime(rows.slice());
  const n = list.length;
  const time = new Array<Date | null>(n);
  const raw = new Array<LogEntry>(n);
  for (let i = 0; i < n; i++) {
    const r = list[i]!;
    time[i] = r.t === null ? null : new Date(r.t);
    raw[i] = r.entry;
  }
  const cols: Record<string, unknown> = { time };
  for (const f of DICT_FIELDS) {
    const get = gcpExtractor(f);
    const b = new DictBuilder<string>();
    for (let i = 0; i < n; i++) b.push(get(raw[i]) as string | null);
    cols[f] = b.finish();
  }
  for (const f of PLAIN_FIELDS) {
    const get = gcpExtractor(f);
    const out = new Array<Value>(n);
    for (let i = 0; i < n; i++) out[i] = get(raw[i]);
    cols[f] = out;
  }
  cols.source = new DictColumn<string>(new Int32Array(n), [GCP_SOURCE], n);
  cols.raw = raw;
  let table = aq.table(cols as Record<string, any>);
  if (opts.fields?.length) table = withFields(table, opts.fields);
  return table;
}
