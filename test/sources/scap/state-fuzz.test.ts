/**
 * Bad input never crashes the state engine, the fields or the text line:
 * random events (any type of the 0.29.3 table, random parameter bytes and
 * counts, random tids) after a real capture's metadata, and real captures
 * whose parameter bytes are randomly damaged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readScapFileSync } from '../../../src/sources/scap/reader.js';
import { ScapState } from '../../../src/sources/scap/state.js';
import { EXTRACTORS } from '../../../src/sources/scap/fields.js';
import { formatEventLine } from '../../../src/sources/scap/print.js';
import { EVENT_MAX_0293 } from '../../../src/sources/scap/event-table.js';
import type { ScapBlock, ScapEvent } from '../../../src/sources/scap/types.js';
import { needSharedData, sharedData, skip } from '../../helpers.js';

const FIELDS = Object.keys(EXTRACTORS);

function exercise(state: ScapState, b: ScapBlock): void {
  const c = state.block(b);
  if (!c) return;
  formatEventLine(c);
  for (const f of FIELDS) {
    EXTRACTORS[f]!(c, undefined);
    EXTRACTORS[f]!(c, '0');
    EXTRACTORS[f]!(c, 'fd');
  }
}

const randomEvent = fc.record({
  type: fc.integer({ min: 0, max: EVENT_MAX_0293 + 5 }),
  tid: fc.oneof(fc.constantFrom(-1, 0, 1, 1065, 13612, 32052), fc.integer({ min: -5, max: 40000 })),
  params: fc.array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(new Uint8Array(8).fill(255), new Uint8Array(0), Uint8Array.of(2, 127, 0, 0, 1, 0, 80))), { maxLength: 24 }),
  flags: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
});

describe.skipIf(skip(needSharedData('scap')))('scap state on bad input', () => {
  const meta = [...readScapFileSync(sharedData('scap/psp_run_as_user_0_container.scap'))].filter((b) => b.kind !== 'event');

  it('random events after real metadata: no exception, every field computable', () => {
    fc.assert(
      fc.property(fc.array(randomEvent, { maxLength: 60 }), fc.boolean(), (evs, internal) => {
        const st = new ScapState({ showInternal: internal });
        for (const b of meta) st.block(b);
        let ts = 1_600_000_000_000_000_000n;
        for (const e of evs) {
          const ev: ScapEvent = { offset: 0, blockType: 0x216, ts: ts++, tid: BigInt(e.tid), cpu: 0, type: e.type, params: e.params };
          if (e.flags !== undefined) ev.flags = e.flags;
          exercise(st, { kind: 'event', event: ev });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('real captures with damaged parameter bytes: no exception', () => {
    const blocks = [...readScapFileSync(sharedData('scap/curl_google.scap'))];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 30 }), (seed) => {
        let x = seed;
        const rnd = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
        const st = new ScapState();
        for (const b of blocks) {
          if (b.kind === 'event' && rnd() < 0.2) {
            const params = b.event.params.map((p) => {
              const q = p.slice(0, rnd() < 0.3 ? Math.floor(rnd() * p.length) : p.length);
              for (let i = 0; i < q.length; i++) if (rnd() < 0.1) q[i] = Math.floor(rnd() * 256);
              return q;
            });
            exercise(st, { kind: 'event', event: { ...b.event, params } });
          } else st.block(b);
        }
      }),
      { numRuns: 5 },
    );
    expect(true).toBe(true);
  });
});
