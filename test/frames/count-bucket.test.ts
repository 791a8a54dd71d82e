/**
 * countBy and bucketTime on known data: a small hand-made table, and the
 * invictus CloudTrail set with expected values computed by hand from the
 * JSON files.
 */
import * as aq from 'arquero';
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketTime, intervalMs } from '../../src/frames/bucket-time.js';
import { countBy, topValues } from '../../src/frames/count-by.js';
import type { Table } from '../../src/frames/table.js';
import { loadSources } from '../../src/sources/index.js';
import { needSharedData, sharedData, skip } from '../helpers.js';
import { INVICTUS, handUser, invictusRecords } from '../cli/run-cli.js';

const small = aq.table({
  time: [new Date('2024-01-01T00:00:10Z'), new Date('2024-01-01T00:01:59Z'), new Date('2024-01-01T00:05:00Z'), null, new Date('2024-01-01T00:00:00Z')],
  user: ['a', 'b', 'a', null, 'a'],
  api: ['Get', 'Get', 'Put', 'Get', 'Get'],
  tags: [['x', 'y'], ['x'], ['x', 'y'], [], null],
});

describe('countBy', () => {
  it('counts one field, most frequent first, absent as its own group', () => {
    expect(countBy(small, 'user').objects()).toEqual([
      { user: 'a', count: 3 },
      { user: 'b', count: 1 },
      { user: null, count: 1 },
    ]);
    expect(countBy(small, 'user', { dropNull: true, top: 1 }).objects()).toEqual([{ user: 'a', count: 3 }]);
  });

  it('counts combinations and lists, with percent', () => {
    expect(countBy(small, ['user', 'api']).objects()).toEqual([
      { user: 'a', api: 'Get', count: 2 },
      { user: 'a', api: 'Put', count: 1 },
      { user: 'b', api: 'Get', count: 1 },
      { user: null, api: 'Get', count: 1 },
    ]);
    const tags = countBy(small, 'tags', { percent: true }).objects();
    expect(tags[0]).toEqual({ tags: ['x', 'y'], count: 2, percent: 40 });
    expect(topValues(small, 'api', 1)).toEqual([['Get', 4]]);
  });

  it('respects a filtered view', () => {
    const onlyGet = small.filter((d: any) => d.api === 'Get');
    expect(countBy(onlyGet, 'user').objects()).toEqual([
      { user: 'a', count: 2 },
      { user: 'b', count: 1 },
      { user: null, count: 1 },
    ]);
  });

  it('rejects an unknown field', () => {
    expect(() => countBy(small, 'nope.field')).toThrow(/unknown field/);
  });
});

describe('bucketTime', () => {
  it('counts per interval aligned to the epoch, empty intervals included', () => {
    expect(bucketTime(small, '2m').objects()).toEqual([
      { time: new Date('2024-01-01T00:00:00Z'), count: 3 },
      { time: new Date('2024-01-01T00:02:00Z'), count: 0 },
      { time: new Date('2024-01-01T00:04:00Z'), count: 1 },
    ]);
    expect(bucketTime(small, '2m', { sparse: true }).numRows()).toBe(2);
  });

  it('splits by a field', () => {
    expect(bucketTime(small, '5m', { by: 'user' }).objects()).toEqual([
      { time: new Date('2024-01-01T00:00:00Z'), user: 'a', count: 2 },
      { time: new Date('2024-01-01T00:00:00Z'), user: 'b', count: 1 },
      { time: new Date('2024-01-01T00:05:00Z'), user: 'a', count: 1 },
      { time: new Date('2024-01-01T00:05:00Z'), user: 'b', count: 0 },
    ]);
  });

  it('intervals: durations, ms, auto; bad ones rejected', () => {
    expect(intervalMs('5m')).toBe(300_000);
    expect(intervalMs(1000)).toBe(1000);
    expect(intervalMs('auto', 3_600_000)).toBe(60_000);
    expect(() => intervalMs('fortnight')).toThrow(/interval/);
    expect(() => intervalMs(0)).toThrow();
  });
});

describe.skipIf(skip(needSharedData(INVICTUS)))('countBy / bucketTime on CloudTrail', () => {
  let table: Table;
  const records = invictusRecords();
  beforeAll(async () => {
    table = (await loadSources(sharedData(INVICTUS))).table;
  });

  it('top event names match a hand count', () => {
    const hand = new Map<string, number>();
    for (const r of records) hand.set(r.eventName, (hand.get(r.eventName) ?? 0) + 1);
    const expected = [...hand].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
    expect(countBy(table, 'ct.name', { top: 5 }).objects().map((o: any) => [o['ct.name'], o.count])).toEqual(expected);
  });

  it('principals (a computed field) match a hand count', () => {
    const hand = new Map<string | null, number>();
    for (const r of records) hand.set(handUser(r), (hand.get(handUser(r)) ?? 0) + 1);
    const got = new Map(countBy(table, 'ct.user').objects().map((o: any) => [o['ct.user'], o.count]));
    expect(got).toEqual(hand);
  });

  it('10-minute buckets match a hand count', () => {
    const hand = new Map<number, number>();
    for (const r of records) {
      const b = Math.floor(Date.parse(r.eventTime) / 600_000) * 600_000;
      hand.set(b, (hand.get(b) ?? 0) + 1);
    }
    const got = bucketTime(table, '10m').objects() as { time: Date; count: number }[];
    expect(got.reduce((n, b) => n + b.count, 0)).toBe(records.length);
    for (const b of got) expect(b.count).toBe(hand.get(b.time.getTime()) ?? 0);
  });
});
