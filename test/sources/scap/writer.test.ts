/**
 * The writer: every real capture re-encoded in the current block versions (spec §1.11) makes
 * sysdig print byte-identical output, plain and gzip (the spec's own validation, §5.3).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { BT } from '../../../src/sources/scap/block-types.js';
import { readScapFileSync } from '../../../src/sources/scap/reader.js';
import { ScapWriter, encodeScap } from '../../../src/sources/scap/writer.js';
import { needSharedData, needTool, sharedData, skip } from '../../helpers.js';
import { blockOffsets, captures, sysdig } from './oracle.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'scap-writer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FIELDS =
  '*%evt.num %evt.rawtime %evt.type %evt.dir %thread.tid %thread.vtid %proc.name %proc.pname %proc.cmdline %proc.exepath %proc.cwd ' +
  '%user.name %group.name %container.id %container.name %fd.name %fd.type %fd.sip %fd.sport %fd.cip %fd.cport';

describe.skipIf(skip(needSharedData('scap'), needTool('sysdig')))('scap writer round trip through sysdig', () => {
  captures().forEach((f, i) => {
    const gzip = i % 2 === 0;
    it(`${f}: re-encoded (${gzip ? 'gzip' : 'plain'}) prints identically in sysdig`, async () => {
      const src = sharedData(`scap/${f}`);
      const out = path.join(tmp, `rt-${f}`);
      const w = new ScapWriter(out, { gzip });
      for (const b of readScapFileSync(src)) {
        w.block(b);
        await w.maybeFlush();
      }
      await w.close();
      const written = readFileSync(out);
      expect(written[0] === 0x1f && written[1] === 0x8b).toBe(gzip);
      expect(sysdig(out)).toBe(sysdig(src));
      expect(sysdig(out, '-D', '-p', FIELDS)).toBe(sysdig(src, '-D', '-p', FIELDS));
    });
  });

  it('writes the current block versions in the spec order: SHB 1.2, MI, IL_V2, UL_V2, PL_V9, FDL_V2 x N, EV_V2', () => {
    const blocks = [...readScapFileSync(sharedData('scap/cat_write.scap'))];
    const bytes = encodeScap(blocks);
    const layout = blockOffsets(bytes);
    const types = layout.map((b) => b.type);
    expect(types.slice(0, 5)).toEqual([BT.SHB, BT.MI, BT.IL_V2, BT.UL_V2, BT.PL_V9]);
    expect(types.filter((t) => t === BT.FDL_V2)).toHaveLength(73);
    expect(types.filter((t) => t === BT.EV_V2)).toHaveLength(345);
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    expect([dv.getUint32(4, true), dv.getUint32(8, true), dv.getUint16(12, true), dv.getUint16(14, true)]).toEqual([28, 0x1a2b3c4d, 1, 2]);
    expect(dv.getBigInt64(16, true)).toBe(-1n);
    expect(layout.find((b) => b.type === BT.MI)!.length).toBe(192);
    for (const b of layout) {
      expect(b.length % 4).toBe(0);
      expect(dv.getUint32(b.offset + b.length - 4, true)).toBe(b.length);
    }
  });

  it('uses EV_V2_LARGE (u32 lengths) for EF_LARGE_PAYLOAD events and EVF_V2 for flagged events, which sysdig reads', () => {
    const bytes = encodeScap([
      { kind: 'section', offset: 0, major: 1, minor: 2 },
      { kind: 'event', event: { offset: 0, blockType: 0, ts: 1000n, tid: -1n, cpu: 0, type: 324, params: [new TextEncoder().encode('{"container":{"id":"abcdef012345","name":"n","image":"i","type":0}}\0')] } },
      { kind: 'event', event: { offset: 0, blockType: 0, ts: 2000n, tid: 7n, cpu: 1, type: 234, flags: 1, params: [new Uint8Array(8), new Uint8Array(8)] } },
      { kind: 'event', event: { offset: 0, blockType: 0, ts: 3000n, tid: 7n, cpu: 1, type: 234, params: [new Uint8Array(8), new Uint8Array(8)] } },
    ]);
    expect(blockOffsets(bytes).map((b) => b.type)).toEqual([BT.SHB, BT.EV_V2_LARGE, BT.EVF_V2, BT.EV_V2]);
    const file = path.join(tmp, 'large.scap');
    writeFileSync(file, bytes);
    // the container event is consumed at open; a state-only procinfo (EC_INTERNAL) still shows with -D
    expect(sysdig(file, '-D', '-p', '*%evt.num %evt.type %thread.tid').trim()).toBe('2 procinfo 7\n3 procinfo 7');
    expect(sysdig(file, '-p', '*%evt.num %evt.type %thread.tid').trim()).toBe('');
  });

  it('gzip output of encodeScap is a gzip of the plain encoding', () => {
    const blocks = [...readScapFileSync(sharedData('scap/test_ipv6_client.scap'))];
    expect(Buffer.from(gunzipSync(encodeScap(blocks, { gzip: true })))).toEqual(Buffer.from(encodeScap(blocks)));
  });
});


describe('ScapWriter streams', () => {
  it('writing to a caller stream produces exactly the in-memory encoding, and ends the stream', async () => {
    const { PassThrough } = await import('node:stream');
    const { synthesize } = await import('../../../src/sources/scap/synth.js');
    const blocks = [...synthesize({ events: 3000, seed: 3 })];
    const sink = new PassThrough();
    const parts: Buffer[] = [];
    sink.on('data', (c: Buffer) => parts.push(c));
    const w = new ScapWriter(sink);
    for (const b of blocks) {
      w.block(b);
      await w.maybeFlush();
    }
    await w.close();
    expect(sink.writableEnded).toBe(true);
    expect(Buffer.concat(parts)).toEqual(Buffer.from(encodeScap(blocks)));
  });

  it('a file that cannot be created rejects close() with the system error', async () => {
    const w = new ScapWriter(path.join(tmp, 'no-such-dir', 'x.scap'));
    w.section();
    await expect(w.close()).rejects.toThrow(/ENOENT/);
  });
});
