/**
 * Bad input: every failure is a ScapError naming the file and byte offset, blocks before the
 * fault are delivered, recoverable oddities are warnings. Where sysdig can read the damaged
 * file, the events must equal what it prints.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { BT } from '../../../src/sources/scap/block-types.js';
import { readAllBlocks, readScapSync } from '../../../src/sources/scap/reader.js';
import { ScapError, type ScapBlock } from '../../../src/sources/scap/types.js';
import { needSharedData, needTool, sharedData, skip } from '../../helpers.js';
import { blockOffsets, concatBytes, expectedTuples, plainBytes, sysdigError, sysdigTuples } from './oracle.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'scap-errors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function put(name: string, bytes: Uint8Array): string {
  const f = path.join(tmp, name);
  writeFileSync(f, bytes);
  return f;
}

/** Read until the end or the first error; returns the blocks, the error and the warnings. */
function readSome(bytes: Uint8Array, file: string, truncated?: 'warn') {
  const blocks: ScapBlock[] = [];
  const warnings: ScapError[] = [];
  let error: unknown;
  try {
    for (const b of readScapSync(bytes, file, { onWarning: (w) => warnings.push(w), ...(truncated ? { truncated } : {}) })) blocks.push(b);
  } catch (e) {
    error = e;
  }
  return { blocks, error, warnings };
}

const EVENT_TYPES = new Set<number>([BT.EV, BT.EVF, BT.EV_V2, BT.EVF_V2, BT.EV_V2_LARGE, BT.EVF_V2_LARGE]);

/** An EV_V2 block with the given event type and u16-length params (spec §1.9). */
function evV2(type: number, ts: bigint, tid: bigint, params: Uint8Array[]): Uint8Array {
  const data = params.reduce((n, p) => n + p.length, 0);
  const len = 26 + 2 * params.length + data;
  const body = 2 + len;
  const total = 8 + body + ((4 - (body % 4)) % 4) + 4;
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, BT.EV_V2, true);
  dv.setUint32(4, total, true);
  dv.setUint16(8, 0, true);
  dv.setBigUint64(10, ts, true);
  dv.setBigInt64(18, tid, true);
  dv.setUint32(26, len, true);
  dv.setUint16(30, type, true);
  dv.setUint32(32, params.length, true);
  let p = 36;
  for (const x of params) {
    dv.setUint16(p, x.length, true);
    p += 2;
  }
  for (const x of params) {
    b.set(x, p);
    p += x.length;
  }
  dv.setUint32(total - 4, total, true);
  return b;
}

describe('scap reader: bad input without the oracle', () => {
  it('an empty file is "empty file: not a scap capture" at offset 0 (sync and streaming)', async () => {
    const { error } = readSome(new Uint8Array(0), 'empty.scap');
    expect(error).toBeInstanceOf(ScapError);
    expect((error as ScapError).message).toMatch(/empty file: not a scap capture/);
    expect((error as ScapError).offset).toBe(0);
    expect((error as ScapError).file).toBe('empty.scap');
    await expect(readAllBlocks((async function* () {})(), { file: 'empty.scap' })).rejects.toThrow(/empty file/);
  });

  it('a file that does not start with a section header block is "not a scap capture"', () => {
    const { error } = readSome(new TextEncoder().encode('{"Records": []}\n and more text'), 'x.json');
    expect(error).toBeInstanceOf(ScapError);
    expect((error as ScapError).message).toMatch(/not a scap capture/);
    expect((error as ScapError).offset).toBe(0);
  });

  it('a too-short file is "not a scap capture"', () => {
    const { error } = readSome(Uint8Array.of(0x0a, 0x0d, 0x0d), 'short.scap');
    expect((error as ScapError).message).toMatch(/not a scap capture: only 3 bytes/);
  });

  it('a v1 event of an unknown type is kept, without params (their count cannot be inferred)', () => {
    // SHB, then an EV (v1, 22-byte header) of type 900 with 6 bytes of data
    const shb = new Uint8Array(28);
    const s = new DataView(shb.buffer);
    s.setUint32(0, BT.SHB, true);
    s.setUint32(4, 28, true);
    s.setUint32(8, 0x1a2b3c4d, true);
    s.setUint16(12, 1, true);
    s.setBigInt64(16, -1n, true);
    s.setUint32(24, 28, true);
    const len = 22 + 6;
    const total = 8 + ((2 + len + 3) & ~3) + 4;
    const ev = new Uint8Array(total);
    const d = new DataView(ev.buffer);
    d.setUint32(0, BT.EV, true);
    d.setUint32(4, total, true);
    d.setUint16(8, 3, true);
    d.setBigUint64(10, 77n, true);
    d.setBigInt64(18, 12n, true);
    d.setUint32(26, len, true);
    d.setUint16(30, 900, true);
    d.setUint32(total - 4, total, true);
    const { blocks: got, error } = readSome(concatBytes(shb, ev), 'v1.scap');
    expect(error).toBeUndefined();
    const e = got.find((b) => b.kind === 'event');
    expect(e?.kind === 'event' && [e.event.type, e.event.ts, e.event.tid, e.event.cpu, e.event.params.length]).toEqual([900, 77n, 12n, 3, 0]);
  });

  it('a corrupt gzip stream is a ScapError', () => {
    const gz = gzipSync(Buffer.from('hello world, this is not a capture'));
    gz[15]! ^= 0xff;
    gz[16]! ^= 0xff;
    const { error } = readSome(gz, 'bad.gz');
    expect(error).toBeInstanceOf(ScapError);
  });
});

describe.skipIf(skip(needSharedData('scap'), needTool('sysdig')))('scap reader: bad input, checked against sysdig', () => {
  const orig = sharedData('scap/ping_sendto.scap');
  const plain = plainBytes(orig);
  const blocks = blockOffsets(plain);
  const events = blocks.filter((b) => EVENT_TYPES.has(b.type));

  it('wrong magic: "not a scap capture: invalid magic number" at the magic\'s offset; sysdig refuses it too', () => {
    const bad = plain.slice();
    bad[8]! ^= 0x55;
    const { error, blocks: got } = readSome(bad, 'magic.scap');
    expect(got).toHaveLength(0);
    expect(error).toBeInstanceOf(ScapError);
    expect((error as ScapError).message).toMatch(/not a scap capture: invalid magic number/);
    expect((error as ScapError).offset).toBe(8);
    expect(sysdigError(put('magic.scap', bad))).toMatch(/magic/i);
  });

  it('a byte-swapped (big-endian) section is refused with that reason', () => {
    const bad = plain.slice();
    new DataView(bad.buffer).setUint32(8, 0x4d3c2b1a, true);
    expect((readSome(bad, 'be.scap').error as ScapError).message).toMatch(/big-endian/);
  });

  it('truncated plain file: events before the cut equal sysdig\'s, then a ScapError at the cut block', () => {
    const cutBlock = events[700]!;
    const cut = plain.subarray(0, cutBlock.offset + 17);
    const file = put('cut.scap', cut);
    const { blocks: got, error } = readSome(cut, file);
    expect(error).toBeInstanceOf(ScapError);
    expect((error as ScapError).message).toMatch(/truncated/);
    expect((error as ScapError).offset).toBe(cutBlock.offset);
    expect((error as ScapError).file).toBe(file);
    expect(got.filter((b) => b.kind === 'event')).toHaveLength(700);
    expect(expectedTuples(got)).toEqual(sysdigTuples(file));
  });

  it("truncated file in 'warn' mode: same events, a warning, no throw", () => {
    const cut = plain.subarray(0, events[10]!.offset + 30);
    const { blocks: got, error, warnings } = readSome(cut, 'cut.scap', 'warn');
    expect(error).toBeUndefined();
    expect(got.filter((b) => b.kind === 'event')).toHaveLength(10);
    expect(warnings.map((w) => w.message).join()).toMatch(/truncated/);
  });

  it('truncated gzip file: the events zlib can recover equal sysdig\'s, then a ScapError', async () => {
    const gz = readFileSync(orig);
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
    const file = put('cut.scap.gz', cut);
    const sync = readSome(cut, file);
    expect(sync.error).toBeInstanceOf(ScapError);
    expect(expectedTuples(sync.blocks)).toEqual(sysdigTuples(file));
    const streamed: ScapBlock[] = [];
    await expect(
      (async () => {
        for await (const b of (await import('../../../src/sources/scap/reader.js')).readScap(file)) streamed.push(b);
      })(),
    ).rejects.toBeInstanceOf(ScapError);
    expect(streamed.filter((b) => b.kind === 'event').length).toBe(sync.blocks.filter((b) => b.kind === 'event').length);
  });

  it('corrupt block length (not a multiple of 4): ScapError at that block, earlier events kept', () => {
    const bad = plain.slice();
    const victim = events[100]!;
    new DataView(bad.buffer).setUint32(victim.offset + 4, 13, true);
    const { blocks: got, error } = readSome(bad, 'len.scap');
    expect((error as ScapError).message).toMatch(/corrupt block length 13/);
    expect((error as ScapError).offset).toBe(victim.offset);
    expect(got.filter((b) => b.kind === 'event')).toHaveLength(100);
  });

  it('block length and trailer disagree: ScapError at that block', () => {
    const bad = plain.slice();
    const victim = events[5]!;
    new DataView(bad.buffer).setUint32(victim.offset + 4, victim.length + 4, true);
    const { blocks: got, error } = readSome(bad, 'trailer.scap');
    expect((error as ScapError).message).toMatch(/trailing length .* does not match/);
    expect((error as ScapError).offset).toBe(victim.offset);
    expect(got.filter((b) => b.kind === 'event')).toHaveLength(5);
  });

  it('an event whose length overruns its block: ScapError "corrupted event"', () => {
    const bad = plain.slice();
    const victim = events[3]!;
    new DataView(bad.buffer).setUint32(victim.offset + 8 + 2 + 16, 60000, true);
    const { error } = readSome(bad, 'evlen.scap');
    expect((error as ScapError).message).toMatch(/corrupted event/);
  });

  it('unknown block type among the metadata: skipped with a warning; sysdig prints the same events', () => {
    const mi = blocks.find((b) => b.type === BT.MI)!;
    const unknown = new Uint8Array(16);
    const dv = new DataView(unknown.buffer);
    dv.setUint32(0, 0x7777, true);
    dv.setUint32(4, 16, true);
    dv.setUint32(8, 0xdeadbeef, true);
    dv.setUint32(12, 16, true);
    const at = mi.offset + mi.length;
    const bad = concatBytes(plain.subarray(0, at), unknown, plain.subarray(at));
    const file = put('unknown-block.scap', bad);
    const { blocks: got, error, warnings } = readSome(bad, file);
    expect(error).toBeUndefined();
    expect(got.find((b) => b.kind === 'unknown')).toEqual({ kind: 'unknown', offset: at, blockType: 0x7777, length: 16 });
    expect(warnings.map((w) => w.message).join()).toMatch(/unknown block type 0x7777/);
    expect(expectedTuples(got)).toEqual(sysdigTuples(file));
  });

  it('unknown event type: kept with its number and params; sysdig skips it without numbering it', () => {
    const at = events[20]!.offset;
    const extra = evV2(500, 1553620430000000000n, 4242n, [Uint8Array.of(1, 2, 3), new TextEncoder().encode('x\0')]);
    const bad = concatBytes(plain.subarray(0, at), extra, plain.subarray(at));
    const file = put('unknown-event.scap', bad);
    const { blocks: got, error } = readSome(bad, file);
    expect(error).toBeUndefined();
    const ev = got.find((b) => b.kind === 'event' && b.event.type === 500);
    expect(ev?.kind === 'event' && ev.event.params.map((p) => [...p])).toEqual([[1, 2, 3], [0x78, 0]]);
    expect(ev?.kind === 'event' && ev.event.tid).toBe(4242n);
    expect(got.filter((b) => b.kind === 'event')).toHaveLength(events.length + 1);
    expect(expectedTuples(got)).toEqual(sysdigTuples(file));
  });

  it("sysdig 0.29.3's own -w output of an old capture (malformed IL_V2): skipped with a warning, all events read", async () => {
    const old = sharedData('scap/cat_write.scap');
    const resaved = path.join(tmp, 'resaved.scap');
    execFileSync('sh', ['-c', 'sysdig -r "$1" -w "$2" >/dev/null 2>&1; true', 'sh', old, resaved]);
    expect(sysdigError(resaved)).toMatch(/interface list/);
    const { blocks: got, error, warnings } = readSome(readFileSync(resaved), resaved);
    expect(error).toBeUndefined();
    expect(warnings.map((w) => w.message).join()).toMatch(/malformed IL_V2/);
    expect(expectedTuples(got)).toEqual(sysdigTuples(old));
    // the streaming reader recovers the same way, whatever the chunking
    const bytes = readFileSync(resaved);
    async function* small(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += 100) yield bytes.subarray(i, i + 100);
    }
    const streamed = await readAllBlocks(small(), { file: resaved, onWarning: () => undefined });
    expect(expectedTuples(streamed)).toEqual(sysdigTuples(old));
  });

  it('gzip multi-member (cat a.gz a.gz): two sections, numbering continues, equal to sysdig', () => {
    const gz = readFileSync(sharedData('scap/test_ipv6_client.scap'));
    const file = put('two-members.scap', concatBytes(gz, gz));
    const { blocks: got, error } = readSome(readFileSync(file), file);
    expect(error).toBeUndefined();
    expect(got.filter((b) => b.kind === 'section')).toHaveLength(2);
    const oracle = sysdigTuples(file);
    expect(oracle.length).toBeGreaterThan(600);
    expect(expectedTuples(got)).toEqual(oracle);
  });

  it('gzip members are also read by the streaming reader', async () => {
    const gz = readFileSync(sharedData('scap/test_ipv6_client.scap'));
    const file = put('two-members-stream.scap', concatBytes(gz, gz));
    const got = await readAllBlocks(file);
    expect(expectedTuples(got)).toEqual(sysdigTuples(file));
  });

  it('concatenated plain captures: a second SHB starts a new section; equal to sysdig', () => {
    const one = plainBytes(sharedData('scap/psp_run_as_user_65534_container.scap'));
    const file = put('two-sections.scap', concatBytes(one, one));
    const { blocks: got, error } = readSome(readFileSync(file), file);
    expect(error).toBeUndefined();
    expect(got.filter((b) => b.kind === 'section')).toHaveLength(2);
    expect(got.filter((b) => b.kind === 'threads')).toHaveLength(2);
    expect(expectedTuples(got)).toEqual(sysdigTuples(file));
  });

  it('trailing garbage after the last gzip member: a warning, every event read, equal to sysdig', () => {
    const gz = readFileSync(sharedData('scap/test_ipv6_client.scap'));
    const file = put('garbage.scap', concatBytes(gz, new TextEncoder().encode('garbage!')));
    const { blocks: got, error, warnings } = readSome(readFileSync(file), file);
    expect(error).toBeUndefined();
    expect(warnings.map((w) => w.message).join()).toMatch(/trailing bytes/);
    expect(expectedTuples(got)).toEqual(sysdigTuples(file));
  });

  it('the streaming reader reads gzip member by member, even from 1-byte chunks, and ignores trailing garbage too', async () => {
    const gz = readFileSync(sharedData('scap/test_ipv6_client.scap'));
    const bytes = concatBytes(gz, gz, new TextEncoder().encode('trailing junk'));
    const file = put('members-garbage.scap', bytes);
    async function* tiny(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += 1) yield bytes.subarray(i, i + 1);
    }
    const warnings: ScapError[] = [];
    const got = await readAllBlocks(tiny(), { file, onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => w.message).join()).toMatch(/ignored 13 trailing bytes/);
    expect(expectedTuples(got)).toEqual(sysdigTuples(file));
  });

  it('SHB with pcapng options (a Wireshark-edited file): options skipped, same events as the original', () => {
    const shbLen = new DataView(plain.buffer, plain.byteOffset).getUint32(4, true);
    expect(shbLen).toBe(28);
    // opt_comment (1) "edited", shb_userappl (4) "editcap", opt_endofopt
    const opts = concatBytes(
      Uint8Array.of(1, 0, 6, 0), new TextEncoder().encode('edited'), Uint8Array.of(0, 0),
      Uint8Array.of(4, 0, 7, 0), new TextEncoder().encode('editcap'), Uint8Array.of(0),
      Uint8Array.of(0, 0, 0, 0),
    );
    const shb = new Uint8Array(28 + opts.length);
    shb.set(plain.subarray(0, 24));
    shb.set(opts, 24);
    const dv = new DataView(shb.buffer);
    dv.setUint32(4, shb.length, true);
    dv.setUint32(shb.length - 4, shb.length, true);
    const file = put('options.scap', concatBytes(shb, plain.subarray(28)));
    expect(sysdigError(file)).not.toBeNull(); // 0.29.3 cannot skip SHB options (spec §1.3)
    const { blocks: got, error } = readSome(readFileSync(file), file);
    expect(error).toBeUndefined();
    expect(expectedTuples(got)).toEqual(sysdigTuples(orig));
  });
});

describe.skipIf(skip(needSharedData('scap'), needTool('sysdig')))('state-only (EVF) events, checked against sysdig', () => {
  it('events flagged SCAP_DF_STATE_ONLY are read with their flags; sysdig hides them (except internal ones)', async () => {
    const { encodeScap } = await import('../../../src/sources/scap/writer.js');
    const blocks = [...readScapSync(readFileSync(sharedData('scap/cat_write.scap')), 'cat_write.scap')];
    let n = 0;
    for (const b of blocks) if (b.kind === 'event' && ++n % 3 === 0) b.event.flags = 1;
    const file = put('state-only.scap', encodeScap(blocks));
    const { blocks: got } = readSome(readFileSync(file), file);
    expect(got.filter((b) => b.kind === 'event' && b.event.flags === 1)).toHaveLength(Math.floor(n / 3));
    expect(got.filter((b) => b.kind === 'event' && b.event.blockType === BT.EVF_V2)).toHaveLength(Math.floor(n / 3));
    expect(expectedTuples(got)).toEqual(sysdigTuples(file));
  });
});
