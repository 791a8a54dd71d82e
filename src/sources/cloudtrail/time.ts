/** Event times: RFC 3339 text to epoch milliseconds, and since/until bounds. */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|z|[+-]\d{2}:?\d{2}|UTC)?$/;

/**
 * Milliseconds since the epoch of an RFC 3339 timestamp ("2023-07-10T11:42:36Z",
 * fractions and offsets allowed; a space instead of T and a missing zone,
 * read as UTC, are tolerated because exporters write them). null when invalid.
 */
export function parseTimestamp(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  // fast path for CloudTrail's own form, 2023-07-10T11:42:36Z
  if (
    s.length === 20 &&
    s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(10) === 84 &&
    s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58 && s.charCodeAt(19) === 90
  ) {
    const t = Date.parse(s);
    // Date.parse rolls 2023-02-31 over to March: reject it as the slow path does
    const hour = (s.charCodeAt(11) - 48) * 10 + (s.charCodeAt(12) - 48);
    if (Number.isFinite(t) && hour <= 23 && new Date(t).getUTCDate() === (s.charCodeAt(8) - 48) * 10 + (s.charCodeAt(9) - 48)) return t;
  }
  const m = RFC3339.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) return null;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(sec));
  if (frac) ms += Math.floor(Number(`0.${frac}`) * 1000);
  if (zone && zone !== 'Z' && zone !== 'z' && zone !== 'UTC') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  // reject day overflow (2023-02-31)
  const check = new Date(Date.UTC(Number(y), month - 1, day));
  if (check.getUTCDate() !== day) return null;
  return Number.isFinite(ms) ? ms : null;
}

/** The event time of a CloudTrail record: eventTime, else Logstash's @timestamp. */
export function recordTime(rec: Record<string, unknown>): number | null {
  return parseTimestamp(rec.eventTime) ?? parseTimestamp(rec['@timestamp']);
}

const RELATIVE = /^(\d+(?:\.\d+)?)\s*(w|d|h|m|s|ms)$/;
const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** A since/until bound: a Date, an RFC 3339 string, or a duration back from `now` (`2d`, `3h`, `90m`). */
export function parseBound(b: Date | string | undefined, now = Date.now()): number | null {
  if (b === undefined || b === null || b === '') return null;
  if (b instanceof Date) {
    const t = b.getTime();
    if (Number.isNaN(t)) throw new Error('invalid date bound');
    return t;
  }
  const rel = RELATIVE.exec(b.trim());
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]!]!;
  const t = parseTimestamp(b) ?? (/^\d{4}-\d{2}-\d{2}$/.test(b.trim()) ? parseTimestamp(`${b.trim()}T00:00:00Z`) : null);
  if (t === null) throw new Error(`invalid time bound ${JSON.stringify(b)}: use RFC 3339 (2023-07-10T11:00:00Z), a date, or a duration like 2d, 3h`);
  return t;
}
