/**
 * LogEntry timestamps: RFC 3339 with up to 9 fractional digits (what the API
 * and gcloud write), and Panther's normalised `YYYY-MM-DD hh:mm:ss.fff...`
 * (taken as UTC). Sanitised exports carry impossible values
 * (`0000-00-00T00:00:00Z`): those are invalid, not guessed.
 */
import { getPath } from './json.js';

const STAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*([Zz]|[+-]\d{2}:?\d{2})?$/;

/** Epoch milliseconds of a timestamp text, or null when it is not a valid instant. */
export function parseEntryTime(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = STAMP.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, hh, mi, ss, frac = '', zone] = m;
  const Y = Number(y), M = Number(mo), D = Number(d), h = Number(hh), mn = Number(mi), s = Number(ss);
  if (Y < 1 || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || mn > 59 || s > 60) return null;
  const ms = frac ? Number(frac.padEnd(9, '0').slice(0, 3)) : 0;
  const date = new Date(0);
  date.setUTCFullYear(Y, M - 1, D);
  date.setUTCHours(h, mn, s, ms);
  if (date.getUTCDate() !== D && s !== 60) return null;
  let t = date.getTime();
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isFinite(t) ? t : null;
}

/** How an entry's time was found: `ok`, `missing` (neither timestamp nor receiveTimestamp), or `invalid`. */
export type TimeStatus = 'ok' | 'missing' | 'invalid';

/**
 * The event time of a LogEntry: `timestamp`, else (as Cloud Logging does for
 * entries written without one) `receiveTimestamp`. An entry whose timestamp
 * is present but invalid gets no time (its receiveTimestamp is not a
 * substitute for a sanitised event time).
 */
export function entryTime(entry: unknown): { t: number | null; status: TimeStatus } {
  const ts = getPath(entry, 'timestamp');
  if (ts !== undefined && ts !== null) {
    const t = parseEntryTime(ts);
    return t === null ? { t: null, status: 'invalid' } : { t, status: 'ok' };
  }
  const rt = getPath(entry, 'receiveTimestamp');
  if (rt === undefined || rt === null) return { t: null, status: 'missing' };
  const t = parseEntryTime(rt);
  return t === null ? { t: null, status: 'invalid' } : { t, status: 'ok' };
}
