/**
 * From one record-level JSON value to CloudTrail records, one function per
 * input shape. The delivered `{"Records":[...]}`, bare arrays and JSON lines
 * are split upstream (split.ts); what arrives here is one value of:
 * - a CloudTrail record (also Logstash NDJSON with `@timestamp`, Insights events);
 * - `aws cloudtrail lookup-events` events: `CloudTrailEvent` is the record as an escaped JSON string;
 * - EventBridge envelopes: the record is under `detail`;
 * - CloudTrail Lake: `eventJson` (a `SELECT eventJson` export, a JSON string),
 *   query result rows (arrays of one-key objects), `eventData` (integration events).
 */
import { isObject } from './json-get.js';

export type CloudTrailRecord = Record<string, unknown>;

const MARKERS = ['eventTime', '@timestamp', 'eventName', 'eventSource', 'eventID', 'eventType'];

/** A CloudTrail record has at least one of the usual top-level members. */
export function looksLikeRecord(v: unknown): v is CloudTrailRecord {
  return isObject(v) && MARKERS.some((k) => k in v);
}

function parseEmbedded(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return JSON.parse(v);
}

/** lookup-events: {"EventId":..., "CloudTrailEvent": "{...}"} */
export function fromLookupEvent(v: Record<string, unknown>): unknown {
  return parseEmbedded(v.CloudTrailEvent);
}

/** EventBridge: {"detail-type": "AWS API Call via CloudTrail", "detail": {...}} */
export function fromEventBridge(v: Record<string, unknown>): unknown {
  return v.detail;
}

/** CloudTrail Lake result row: [{"eventJson": "..."}] or [{"eventName": "..."}, {"eventTime": "..."}, ...] */
export function fromLakeRow(row: unknown[]): unknown {
  const merged: Record<string, unknown> = {};
  for (const cell of row) if (isObject(cell)) Object.assign(merged, cell);
  if ('eventJson' in merged) return parseEmbedded(merged.eventJson);
  for (const [k, val] of Object.entries(merged)) {
    if (typeof val === 'string' && (val.startsWith('{') || val.startsWith('['))) {
      try {
        merged[k] = JSON.parse(val);
      } catch {
        /* keep the text */
      }
    }
  }
  return merged;
}

/**
 * The CloudTrail records in one value. Returns the records, or a reason why
 * the value is not CloudTrail. Throws only on an embedded string that is not JSON.
 */
export function unwrap(v: unknown): CloudTrailRecord | string {
  let cur: unknown = v;
  for (let hop = 0; hop < 3; hop++) {
    if (Array.isArray(cur)) {
      cur = fromLakeRow(cur);
      continue;
    }
    if (!isObject(cur)) return `not a CloudTrail record (a JSON ${cur === null ? 'null' : typeof cur})`;
    if ('CloudTrailEvent' in cur) cur = fromLookupEvent(cur);
    else if (isObject(cur.detail) && ('detail-type' in cur || 'source' in cur) && looksLikeRecord(cur.detail)) cur = fromEventBridge(cur);
    else if (typeof cur.eventJson === 'string') cur = parseEmbedded(cur.eventJson);
    else if (typeof cur.eventData === 'string' && !('eventTime' in cur)) cur = parseEmbedded(cur.eventData);
    else break;
  }
  if (looksLikeRecord(cur)) return cur;
  return 'not a CloudTrail record (none of eventTime, eventName, eventSource, eventID, eventType)';
}
