/**
 * CloudTrail records → the stratolab table: one row per record (duplicates
 * kept), sorted by event time (stable; records without a valid time last),
 * `time` (Date | null), `source` ("aws_cloudtrail"), `raw` (the record
 * object), and a column per commonly used field. Every other registered
 * field works lazily through fieldAccessor (FieldDef.extract on `raw`).
 */
import * as aq from 'arquero';
import { DictBuilder, DictColumn } from '../../frames/columns.js';
import { withFields, type Table } from '../../frames/table.js';
import type { Value } from '../../fields/types.js';
import { CLOUDTRAIL_SOURCE } from './fields.js';
import { shortSource } from './info.js';
import { asStr, step } from './json-get.js';
import { ctReadOnly } from './readonly.js';
import { ctOriginalUser, ctUser } from './user.js';
import { recordTime } from './time.js';
import type { CloudTrailRecord } from './unwrap.js';

/** Low-cardinality fields: dictionary-encoded columns. */
export const DICT_FIELDS: readonly string[] = [
  'ct.name',
  'ct.src',
  'ct.shortsrc',
  'ct.user',
  'ct.user.identitytype',
  'ct.user.accountid',
  'ct.region',
  'ct.error',
  'ct.srcip',
  'ct.useragent',
  'ct.readonly',
  'ct.eventtype',
  's3.bucket',
];

/** High-cardinality fields materialized as plain arrays. */
export const PLAIN_FIELDS: readonly string[] = ['ct.id', 'ct.user.arn', 'ct.originaluser', 'ct.errormessage', 's3.key'];

/** The fields materialized as columns by default (others are lazy). */
export const DEFAULT_FIELDS: readonly string[] = [...DICT_FIELDS, ...PLAIN_FIELDS];

/** A record with its event time (ms) and arrival order, for sorting. */
export interface TimedRecord {
  rec: CloudTrailRecord;
  t: number | null;
}

export function timed(rec: CloudTrailRecord): TimedRecord {
  return { rec, t: recordTime(rec) };
}

/** Stable sort by time, untimed records last, ties in arrival order. */
export function sortByTime(rows: TimedRecord[]): TimedRecord[] {
  return rows.sort((a, b) => (a.t === null ? (b.t === null ? 0 : 1) : b.t === null ? -1 : a.t - b.t));
}

/**
 * Build the table. `records` may be plain records (their time is computed) or
 * TimedRecords already sorted by the loader (`sorted: true`).
 */
export function buildCloudTrailTable(
  records: readonly CloudTrailRecord[] | TimedRecord[],
  opts: { fields?: readonly string[]; sorted?: boolean } = {},
): Table {
  let rows: TimedRecord[] =
    records.length > 0 && 'rec' in (records[0] as object) && 't' in (records[0] as object)
      ? (records as TimedRecord[])
      : (records as CloudTrailRecord[]).map(timed);
  if (!opts.sorted) rows = sortByTime(rows.slice());
  const n = rows.length;
  const time = new Array<Date | null>(n);
  const raw = new Array<CloudTrailRecord>(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    time[i] = r.t === null ? null : new Date(r.t);
    raw[i] = r.rec;
  }
  const cols: Record<string, unknown> = { time };
  const dict = new Map<string, DictBuilder<string>>(DICT_FIELDS.map((f) => [f, new DictBuilder<string>()]));
  const plain = new Map<string, Value[]>(PLAIN_FIELDS.map((f) => [f, new Array<Value>(n)]));
  const d = (f: string) => dict.get(f)!;
  const p = (f: string) => plain.get(f)!;
  const [name, src, shortsrc, user, idtype, account, region, error, srcip, ua, ro, etype, bucket] = DICT_FIELDS.map(d) as DictBuilder<string>[];
  const [id, arn, orig, errmsg, key] = PLAIN_FIELDS.map(p) as Value[][];
  // one pass, each member looked up once; same semantics as the registry's extractors (tested)
  for (let i = 0; i < n; i++) {
    const r = raw[i];
    const ui = step(r, 'userIdentity');
    const rp = step(r, 'requestParameters');
    const s = asStr(step(r, 'eventSource'));
    name!.push(asStr(step(r, 'eventName')));
    src!.push(s);
    shortsrc!.push(s === null ? null : shortSource(s));
    user!.push(ctUser(r));
    idtype!.push(asStr(step(ui, 'type')));
    account!.push(asStr(step(ui, 'accountId')) ?? asStr(step(r, 'recipientAccountId')));
    region!.push(asStr(step(r, 'awsRegion')));
    error!.push(asStr(step(r, 'errorCode')));
    srcip!.push(asStr(step(r, 'sourceIPAddress')));
    ua!.push(asStr(step(r, 'userAgent')));
    ro!.push(ctReadOnly(r));
    etype!.push(asStr(step(r, 'eventType')));
    bucket!.push(asStr(step(rp, 'bucketName')));
    id![i] = asStr(step(r, 'eventID'));
    arn![i] = asStr(step(ui, 'arn'));
    orig![i] = ctOriginalUser(r);
    errmsg![i] = asStr(step(r, 'errorMessage'));
    key![i] = asStr(step(rp, 'key'));
  }
  for (const [f, b] of dict) cols[f] = b.finish();
  for (const [f, a] of plain) cols[f] = a;
  cols.source = new DictColumn<string>(new Int32Array(n), [CLOUDTRAIL_SOURCE], n);
  cols.raw = raw;
  let table = aq.table(cols as Record<string, any>);
  if (opts.fields?.length) table = withFields(table, opts.fields);
  return table;
}
