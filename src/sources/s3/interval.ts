/**
 * Time ranges in Falco's s3Interval syntax, extended the way responders type
 * them. An endpoint is a duration back from `now` (`5d`, `2w`, `36h`, `90m`,
 * `30s`), an RFC 3339 time (`2023-07-10T12:00:00Z`, fractions and offsets
 * allowed) or a UTC day (`2023-07-10`). An interval is one endpoint (from it
 * to now) or `<start>-<end>` (`2w-1w`, `2023-07-10T11:00:00Z-2h`).
 */

/** Half-open: events at or after `start` and before `end`; a missing bound is open. */
export interface TimeRange {
  start?: Date;
  end?: Date;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+)([wdhms])$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** One endpoint as a Date, or null when `text` is not an endpoint. */
export function parseEndpoint(text: string, now: Date = new Date()): Date | null {
  const s = text.trim();
  const dur = DURATION.exec(s);
  if (dur) return new Date(now.getTime() - Number(dur[1]) * UNIT_MS[dur[2]!]!);
  if (RFC3339.test(s)) {
    const t = Date.parse(s.replace(' ', 'T'));
    return Number.isNaN(t) ? null : new Date(t);
  }
  const day = DAY.exec(s);
  if (day) {
    const t = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    const d = new Date(t);
    // reject 2023-02-31 and friends rather than rolling over
    return d.getUTCDate() === Number(day[3]) ? d : null;
  }
  return null;
}

/** Parses `5d`, `2w-1w`, `<RFC3339>-<RFC3339>`, `<RFC3339>-5d`...; throws with the accepted forms on bad input. */
export function parseInterval(text: string, now: Date = new Date()): TimeRange {
  const s = text.trim();
  const single = parseEndpoint(s, now);
  if (single) return checked({ start: single, end: now }, text);
  // RFC 3339 endpoints contain '-', so try every '-' as the separator.
  for (let i = s.indexOf('-'); i > 0; i = s.indexOf('-', i + 1)) {
    const start = parseEndpoint(s.slice(0, i), now);
    const end = start && parseEndpoint(s.slice(i + 1), now);
    if (start && end) return checked({ start, end }, text);
  }
  throw new Error(
    `bad time interval ${JSON.stringify(text)}: expected a duration back from now (5d, 2w, 36h, 90m, 30s), ` +
      `an RFC 3339 time (2023-07-10T12:00:00Z), a day (2023-07-10), or <start>-<end> of those (2w-1w)`,
  );
}

function checked(r: TimeRange, text: string): TimeRange {
  if (r.start && r.end && r.end.getTime() < r.start.getTime()) {
    throw new Error(`bad time interval ${JSON.stringify(text)}: the end ${r.end.toISOString()} is before the start ${r.start.toISOString()}`);
  }
  return r;
}

/** A `since`/`until` option value: a Date, or an endpoint string. */
export function toTime(v: Date | string, what: string, now: Date = new Date()): Date {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new Error(`bad ${what}: invalid Date`);
    return v;
  }
  const d = parseEndpoint(String(v), now);
  if (!d) {
    throw new Error(
      `bad ${what} ${JSON.stringify(v)}: expected an RFC 3339 time (2023-07-10T12:00:00Z), a day (2023-07-10) or a duration back from now (5d, 3h)`,
    );
  }
  return d;
}

/**
 * The range asked for by `interval` (s3Interval syntax) and/or `since`/`until`;
 * when both are given the result is their intersection. null = no range.
 */
export function resolveRange(
  o: { interval?: string; since?: Date | string; until?: Date | string },
  now: Date = new Date(),
): TimeRange | null {
  let r: TimeRange = o.interval ? parseInterval(o.interval, now) : {};
  if (o.since !== undefined && o.since !== null && o.since !== '') {
    const s = toTime(o.since, 'since', now);
    if (!r.start || s > r.start) r = { ...r, start: s };
  }
  if (o.until !== undefined && o.until !== null && o.until !== '') {
    const u = toTime(o.until, 'until', now);
    if (!r.end || u < r.end) r = { ...r, end: u };
  }
  if (!r.start && !r.end) return null;
  if (r.start && r.end && r.end < r.start) {
    throw new Error(`empty time range: until ${r.end.toISOString()} is before since ${r.start.toISOString()}`);
  }
  return r;
}

/** True when `t` (ms) lies in the half-open range. */
export function inRange(t: number, r: TimeRange | null): boolean {
  if (!r) return true;
  if (r.start && t < r.start.getTime()) return false;
  if (r.end && t >= r.end.getTime()) return false;
  return true;
}

/** Milliseconds of a duration (`90m`, `1h`, `2d`) or a number of ms; throws on anything else. */
export function durationMs(v: string | number, what: string): number {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  const m = DURATION.exec(String(v).trim());
  if (!m) throw new Error(`bad ${what} ${JSON.stringify(v)}: expected a duration such as 30m, 1h, 2d`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}
