import { describe, expect, it } from 'vitest';
import { durationMs, inRange, parseEndpoint, parseInterval, resolveRange } from '../../../src/sources/s3/interval.js';

const now = new Date('2024-05-20T12:00:00Z');
const iso = (d: Date | null | undefined) => d?.toISOString();

describe('s3Interval syntax (Falco cloudtrail plugin), with a fixed now', () => {
  it('a duration alone is from that long ago until now', () => {
    const r = parseInterval('5d', now);
    expect(iso(r.start)).toBe('2024-05-15T12:00:00.000Z');
    expect(iso(r.end)).toBe('2024-05-20T12:00:00.000Z');
  });

  it('every unit: w d h m s', () => {
    expect(iso(parseEndpoint('2w', now))).toBe('2024-05-06T12:00:00.000Z');
    expect(iso(parseEndpoint('36h', now))).toBe('2024-05-19T00:00:00.000Z');
    expect(iso(parseEndpoint('90m', now))).toBe('2024-05-20T10:30:00.000Z');
    expect(iso(parseEndpoint('30s', now))).toBe('2024-05-20T11:59:30.000Z');
  });

  it('2w-1w: from two weeks ago to one week ago', () => {
    const r = parseInterval('2w-1w', now);
    expect(iso(r.start)).toBe('2024-05-06T12:00:00.000Z');
    expect(iso(r.end)).toBe('2024-05-13T12:00:00.000Z');
  });

  it('RFC 3339 alone is from then until now', () => {
    const r = parseInterval('2023-07-10T11:00:00Z', now);
    expect(iso(r.start)).toBe('2023-07-10T11:00:00.000Z');
    expect(iso(r.end)).toBe(iso(now));
  });

  it('RFC 3339 - RFC 3339 (the dashes inside the dates are not the separator)', () => {
    const r = parseInterval('2023-04-05T06:00:00Z-2023-04-05T12:00:10Z', now);
    expect(iso(r.start)).toBe('2023-04-05T06:00:00.000Z');
    expect(iso(r.end)).toBe('2023-04-05T12:00:10.000Z');
  });

  it('mixes: RFC 3339 - duration, and duration - RFC 3339', () => {
    const a = parseInterval('2024-05-01T00:00:00Z-5d', now);
    expect(iso(a.start)).toBe('2024-05-01T00:00:00.000Z');
    expect(iso(a.end)).toBe('2024-05-15T12:00:00.000Z');
    const b = parseInterval('3w-2024-05-10T00:00:00Z', now);
    expect(iso(b.start)).toBe('2024-04-29T12:00:00.000Z');
    expect(iso(b.end)).toBe('2024-05-10T00:00:00.000Z');
  });

  it('spaces around the separator, fractions, offsets and bare days', () => {
    const r = parseInterval('2023-07-10T11:00:00.250+02:00 - 2023-07-11', now);
    expect(iso(r.start)).toBe('2023-07-10T09:00:00.250Z');
    expect(iso(r.end)).toBe('2023-07-11T00:00:00.000Z');
    expect(parseEndpoint('2023-02-31', now)).toBeNull();
  });

  it('bad input throws a message with the accepted forms', () => {
    for (const bad of ['', 'yesterday', '5x', '2023-07-10T11:00', '1d-', '-1d', '5d-2023-13-01T00:00:00Z']) {
      expect(() => parseInterval(bad, now), bad).toThrow(/expected a duration back from now/);
    }
  });

  it('an end before the start is an error', () => {
    expect(() => parseInterval('1w-2w', now)).toThrow(/before the start/);
  });
});

describe('resolveRange: interval and since/until together', () => {
  it('null when nothing is given', () => {
    expect(resolveRange({}, now)).toBeNull();
  });
  it('since/until alone, as Dates or endpoint text', () => {
    const r = resolveRange({ since: '2d', until: new Date('2024-05-20T00:00:00Z') }, now)!;
    expect(iso(r.start)).toBe('2024-05-18T12:00:00.000Z');
    expect(iso(r.end)).toBe('2024-05-20T00:00:00.000Z');
    expect(resolveRange({ until: '2024-05-01' }, now)!.start).toBeUndefined();
  });
  it('intersects interval and since/until', () => {
    const r = resolveRange({ interval: '2w-1w', since: '2024-05-10T00:00:00Z' }, now)!;
    expect(iso(r.start)).toBe('2024-05-10T00:00:00.000Z');
    expect(iso(r.end)).toBe('2024-05-13T12:00:00.000Z');
  });
  it('empty intersections and bad times are errors', () => {
    expect(() => resolveRange({ since: '1d', until: '2d' }, now)).toThrow(/empty time range/);
    expect(() => resolveRange({ since: 'last tuesday' }, now)).toThrow(/bad since/);
  });
  it('half-open membership', () => {
    const r = { start: new Date(1000), end: new Date(2000) };
    expect([999, 1000, 1999, 2000].map((t) => inRange(t, r))).toEqual([false, true, true, false]);
    expect(inRange(5, null)).toBe(true);
  });
  it('delivery margins as durations', () => {
    expect(durationMs('1h', 'm')).toBe(3_600_000);
    expect(durationMs(5, 'm')).toBe(5);
    expect(() => durationMs('soon', 'margin')).toThrow(/bad margin/);
  });
});
