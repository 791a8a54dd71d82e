/**
 * Time parsing shared by the CLI (`--since`, `--until`), `sl.load` and the
 * sources: RFC 3339 timestamps or durations back from now (`2d`, `3h`,
 * `30m`, `2w`, `45s`), and a converter from any timestamp value to a Date.
 */
import type { Value } from '../fields/types.js';

/** Thrown for a time specification that is neither RFC 3339 nor a relative duration. */
export class TimeSpecError extends Error {
  constructor(readonly spec: string, detail: string) {
    super(`invalid time "${spec}": ${detail}`);
    this.name = 'TimeSpecError';
  }
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const RELATIVE = /^(\d+(?:\.\d+)?)\s*([smhdw])$/;
/** RFC 3339 date-time (the `T` may be a space), or a bare date (UTC midnight). */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds of a duration like `2d`, `3h`, `30m`, `2w`, `45s`; null if `spec` is not one. */
export function parseDuration(spec: string): number | null {
  const m = RELATIVE.exec(spec.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/**
 * A Date from `spec`: a Date, epoch milliseconds, `now`, a relative duration
 * back from `now` (`2d` = two days ago), or an RFC 3339 timestamp. A timestamp
 * without a zone is taken as UTC. Throws TimeSpecError with the accepted forms.
 */
export function parseTime(spec: Date | string | number, now: Date = new Date()): Date {
  if (spec instanceof Date) {
    if (Number.isNaN(spec.getTime())) throw new TimeSpecError(String(spec), 'invalid Date');
    return spec;
  }
  if (typeof spec === 'number') {
    if (!Number.isFinite(spec)) throw new TimeSpecError(String(spec), 'not a finite number of milliseconds');
    return new Date(spec);
  }
  const s = String(spec).trim();
  if (s === '') throw new TimeSpecError(s, 'empty; use RFC 3339 (2024-05-01T12:00:00Z) or a duration (2d, 3h, 30m, 2w)');
  if (s === 'now') return now;
  const dur = parseDuration(s);
  if (dur !== null) return new Date(now.getTime() - dur);
  const m = RFC3339.exec(s);
  if (m) {
    const [, y, mo, d, hh = '00', mi = '00', ss = '00', frac = '', zone] = m;
    if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 60) {
      throw new TimeSpecError(s, 'a date or time component is out of range');
    }
    const ms = frac ? Math.round(Number(frac) * 1000) : 0;
    let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mi), Number(ss), ms);
    if (new Date(t).getUTCDate() !== Number(d)) throw new TimeSpecError(s, 'no such day');
    if (zone && zone !== 'Z' && zone !== 'z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const offMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
      t -= sign * offMin * 60_000;
    }
    return new Date(t);
  }
  throw new TimeSpecError(s, 'expected RFC 3339 (2024-05-01T12:00:00Z, 2024-05-01) or a duration back from now (45s, 30m, 3h, 2d, 2w)');
}

/** Both ends of a time window, parsed against the same `now`; throws if since is after until. */
export function parseTimeRange(
  since: Date | string | number | undefined,
  until: Date | string | number | undefined,
  now: Date = new Date(),
): { since?: Date; until?: Date } {
  const out: { since?: Date; until?: Date } = {};
  if (since !== undefined && since !== '') out.since = parseTime(since, now);
  if (until !== undefined && until !== '') out.until = parseTime(until, now);
  if (out.since && out.until && out.since.getTime() > out.until.getTime()) {
    throw new TimeSpecError(String(until), `--until (${out.until.toISOString()}) is before --since (${out.since.toISOString()})`);
  }
  return out;
}

/**
 * Epoch milliseconds of a timestamp value as sources store it: Date, bigint
 * ns since epoch, number ms since epoch, or RFC 3339 text. NaN when absent or unparseable.
 */
export function toEpochMs(v: Value | undefined): number {
  if (v === null || v === undefined) return NaN;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'bigint') return Number(v / 1_000_000n) + Number(v % 1_000_000n) / 1e6;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Date.parse(v);
  return NaN;
}

/** A Date from a timestamp value (see toEpochMs), or null. */
export function toDate(v: Value | undefined): Date | null {
  // whole milliseconds of ns (float arithmetic would round .999944 up)
  if (typeof v === 'bigint') return new Date(Number(v / 1_000_000n) - (v < 0n && v % 1_000_000n !== 0n ? 1 : 0));
  const ms = toEpochMs(v);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** RFC 3339 text of a Date in UTC, with milliseconds only when non-zero. */
export function formatTime(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}
