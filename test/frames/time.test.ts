/** since/until parsing: RFC 3339 or durations back from a fixed "now". */
import { describe, expect, it } from 'vitest';
import { formatTime, parseDuration, parseTime, parseTimeRange, TimeSpecError, toDate, toEpochMs } from '../../src/frames/time.js';

const NOW = new Date('2024-05-10T12:00:00Z');

describe('parseTime', () => {
  it('reads RFC 3339 with Z, offsets and fractions', () => {
    expect(parseTime('2024-05-01T10:20:30Z').toISOString()).toBe('2024-05-01T10:20:30.000Z');
    expect(parseTime('2024-05-01T10:20:30.25Z').toISOString()).toBe('2024-05-01T10:20:30.250Z');
    expect(parseTime('2024-05-01T12:20:30+02:00').toISOString()).toBe('2024-05-01T10:20:30.000Z');
    expect(parseTime('2024-05-01T05:20:30-0500').toISOString()).toBe('2024-05-01T10:20:30.000Z');
    expect(parseTime('2024-05-01').toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(parseTime('2024-05-01 10:20').toISOString()).toBe('2024-05-01T10:20:00.000Z');
  });

  it('reads durations back from now', () => {
    expect(parseTime('30m', NOW).toISOString()).toBe('2024-05-10T11:30:00.000Z');
    expect(parseTime('3h', NOW).toISOString()).toBe('2024-05-10T09:00:00.000Z');
    expect(parseTime('2d', NOW).toISOString()).toBe('2024-05-08T12:00:00.000Z');
    expect(parseTime('2w', NOW).toISOString()).toBe('2024-04-26T12:00:00.000Z');
    expect(parseTime('45s', NOW).toISOString()).toBe('2024-05-10T11:59:15.000Z');
    expect(parseTime('now', NOW)).toBe(NOW);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('2024')).toBeNull();
  });

  it('rejects other text with the accepted forms', () => {
    for (const bad of ['yesterday', '2024-13-01', '2024-02-30T00:00:00Z', '5y', '', '12:00']) {
      expect(() => parseTime(bad, NOW)).toThrow(TimeSpecError);
    }
    expect(() => parseTime('yesterday')).toThrow(/RFC 3339.*2d/);
  });

  it('parseTimeRange checks the order', () => {
    expect(parseTimeRange('2d', '1d', NOW)).toEqual({ since: new Date('2024-05-08T12:00:00Z'), until: new Date('2024-05-09T12:00:00Z') });
    expect(() => parseTimeRange('1d', '2d', NOW)).toThrow(/before/);
    expect(parseTimeRange(undefined, undefined)).toEqual({});
  });

  it('converts stored timestamps', () => {
    expect(toEpochMs(new Date(5))).toBe(5);
    expect(toEpochMs(1_700_000_000_123_456_789n)).toBeCloseTo(1_700_000_000_123.4568, 3);
    expect(toEpochMs('2024-05-01T00:00:00Z')).toBe(Date.UTC(2024, 4, 1));
    expect(toEpochMs(null)).toBeNaN();
    expect(toDate('garbage')).toBeNull();
    expect(formatTime(new Date('2024-05-01T00:00:00Z'))).toBe('2024-05-01T00:00:00Z');
    expect(formatTime(new Date('2024-05-01T00:00:00.5Z'))).toBe('2024-05-01T00:00:00.500Z');
  });
});
