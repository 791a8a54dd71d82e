/**
 * Fuzzing the reader with mutated real captures (flipped bytes, truncations, inserted garbage,
 * overwritten lengths): it only ever ends normally or throws a ScapError, and always ends.
 * Every event's params and decoded values are touched too, so lazy decoding is covered.
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { paramsOf } from '../../../src/sources/scap/params.js';
import { readScapSync } from '../../../src/sources/scap/reader.js';
import { ScapError } from '../../../src/sources/scap/types.js';
import { needSharedData, sharedData, skip } from '../../helpers.js';
import { blockOffsets, plainBytes } from './oracle.js';

type Mutation =
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'length'; block: number; value: number }
  | { kind: 'u32'; at: number; value: number };

const mutation = (size: number, blocks: number): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(size - 1), mask: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(size) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(size), bytes: fc.array(fc.nat(255), { minLength: 1, maxLength: 64 }) }),
    fc.record({ kind: fc.constant('length' as const), block: fc.nat(blocks - 1), value: fc.oneof(fc.nat(64), fc.nat(0xffffffff)) }),
    fc.record({ kind: fc.constant('u32' as const), at: fc.nat(size - 4), value: fc.oneof(fc.nat(40), fc.nat(0xffffffff)) }),
  );

function apply(src: Uint8Array, ms: Mutation[], offsets: { offset: number }[]): Uint8Array {
  let b = src.slice();
  for (const m of ms) {
    if (m.kind === 'flip' && m.at < b.length) b[m.at]! ^= m.mask;
    else if (m.kind === 'truncate') b = b.slice(0, Math.min(m.at, b.length));
    else if (m.kind === 'insert') {
      const at = Math.min(m.at, b.length);
      const nb = new Uint8Array(b.length + m.bytes.length);
      nb.set(b.subarray(0, at));
      nb.set(m.bytes, at);
      nb.set(b.subarray(at), at + m.bytes.length);
      b = nb;
    } else if (m.kind === 'length') {
      const o = offsets[m.block]!.offset + 4;
      if (o + 4 <= b.length) new DataView(b.buffer).setUint32(o, m.value, true);
    } else if (m.kind === 'u32' && m.at + 4 <= b.length) new DataView(b.buffer).setUint32(m.at, m.value, true);
  }
  return b;
}

/** Walk everything, touching every param; returns how it ended. */
function consume(bytes: Uint8Array): 'ok' | 'scap-error' {
  try {
    for (const b of readScapSync(bytes, 'fuzz.scap', { onWarning: () => undefined })) {
      if (b.kind === 'event') for (const p of paramsOf(b.event)) void p.value;
    }
    return 'ok';
  } catch (e) {
    if (e instanceof ScapError) {
      expect(e.file).toBe('fuzz.scap');
      expect(Number.isInteger(e.offset) && e.offset >= 0).toBe(true);
      return 'scap-error';
    }
    throw e;
  }
}

describe.skipIf(skip(needSharedData('scap')))('scap reader fuzzing', () => {
  for (const f of ['test_ipv6_client.scap', 'psp_write_tmp_test.scap']) {
    const plain = plainBytes(sharedData(`scap/${f}`));
    const offsets = blockOffsets(plain);

    it(`${f}: mutated plain captures only end normally or with a ScapError`, () => {
      fc.assert(
        fc.property(fc.array(mutation(plain.length, offsets.length), { minLength: 1, maxLength: 4 }), (ms) => {
          expect(['ok', 'scap-error']).toContain(consume(apply(plain, ms, offsets)));
        }),
        { numRuns: 100, seed: 4242 },
      );
    });
  }

  it('mutated gzip captures only end normally or with a ScapError', () => {
    const gz = gzipSync(plainBytes(sharedData('scap/test_ipv6_client.scap')));
    fc.assert(
      fc.property(fc.array(mutation(gz.length, 1), { minLength: 1, maxLength: 3 }), (ms) => {
        const bad = apply(gz, ms.filter((m) => m.kind !== 'length'), []);
        expect(['ok', 'scap-error']).toContain(consume(bad));
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('random bytes after a valid section header only end normally or with a ScapError', () => {
    const shb = plainBytes(sharedData('scap/test_ipv6_client.scap')).subarray(0, 28);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 400 }), (junk) => {
        const b = new Uint8Array(28 + junk.length);
        b.set(shb);
        b.set(junk, 28);
        expect(['ok', 'scap-error']).toContain(consume(b));
      }),
      { numRuns: 60, seed: 99 },
    );
  });
});
