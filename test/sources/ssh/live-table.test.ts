/**
 * The live table: rows from several hosts, arriving in any order and
 * snapshotted at any moment, always come out ordered by (time, host,
 * arrival), with dictionary columns intact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveTable } from '../../../src/sources/ssh/live-table.js';

describe('LiveTable', () => {
  it('orders by time, then host, then arrival, across incremental snapshots', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.bigInt({ min: 1_700_000_000_000_000_000n, max: 1_700_000_000_000_000_050n }), fc.integer({ min: 0, max: 2 }), fc.boolean()), { maxLength: 200 }),
        (rows) => {
          const t = new LiveTable([['ts', 'plain'], ['host', 'dict'], ['i', 'plain']]);
          rows.forEach(([ts, host, snap], i) => {
            t.add(ts, host, [ts, `h${host}`, i]);
            if (snap) t.snapshot();
          });
          const want = rows
            .map(([ts, host], i) => ({ ts, host: `h${host}`, i, h: host }))
            .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.h - b.h || a.i - b.i))
            .map(({ ts, host, i }) => ({ ts, host, i }));
          expect(t.snapshot().objects()).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('caches the snapshot until a row is added', () => {
    const t = new LiveTable([['x', 'plain']]);
    t.add(1n, 0, [1]);
    const a = t.snapshot();
    expect(t.snapshot()).toBe(a);
    t.add(0n, 0, [0]);
    expect(t.snapshot().array('x')).toEqual([0, 1]);
  });
});
