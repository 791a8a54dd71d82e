/**
 * The reader against the oracle: for every real capture, the block walk reproduces sysdig's
 * `-D` event list (evt.num, evt.rawtime, evt.type, evt.dir, thread.tid) exactly (spec §5.1),
 * and the block structure the spec lists for each sample.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BT } from '../../../src/sources/scap/block-types.js';
import { readScap, readScapFileSync, readScapSync } from '../../../src/sources/scap/reader.js';
import type { ScapBlock } from '../../../src/sources/scap/types.js';
import { needSharedData, needTool, sharedData, skip } from '../../helpers.js';
import { captures, expectedTuples, sysdig, sysdigTuples } from './oracle.js';

/** scap-format.md §5.1: process-list version, FDL blocks and events per sample. */
const SPEC_BLOCKS: Record<string, { pl: number; fdl: number; events: number; v2: boolean; minor: number }> = {
  'falco_empty.scap': { pl: BT.PL_V6, fdl: 103, events: 83, v2: false, minor: 0 },
  'cat_write.scap': { pl: BT.PL_V6, fdl: 73, events: 345, v2: false, minor: 0 },
  'connect_localhost.scap': { pl: BT.PL_V7, fdl: 184, events: 374, v2: false, minor: 0 },
  'open-multiple-files.scap': { pl: BT.PL_V6, fdl: 128, events: 1272, v2: false, minor: 0 },
  'ping_sendto.scap': { pl: BT.PL_V9, fdl: 136, events: 1526, v2: true, minor: 2 },
  'psp_privileged.scap': { pl: BT.PL_V9, fdl: 100, events: 2059, v2: true, minor: 2 },
  'psp_run_as_user_0_container.scap': { pl: BT.PL_V9, fdl: 124, events: 4143, v2: true, minor: 2 },
  'psp_run_as_user_65534_container.scap': { pl: BT.PL_V9, fdl: 126, events: 241, v2: true, minor: 2 },
  'psp_write_tmp_test.scap': { pl: BT.PL_V9, fdl: 124, events: 229, v2: true, minor: 2 },
  'syscall.scap': { pl: BT.PL_V8, fdl: 229, events: 368, v2: false, minor: 1 },
  'curl_google.scap': { pl: BT.PL_V5, fdl: 54, events: 1536, v2: false, minor: 0 },
  'sample.scap': { pl: BT.PL_V9, fdl: 94, events: 572, v2: true, minor: 2 },
  'single_ipv6_conn.scap': { pl: BT.PL_V9, fdl: 154, events: 1728, v2: true, minor: 2 },
  'test_ipv6_client.scap': { pl: BT.PL_V5, fdl: 58, events: 326, v2: false, minor: 0 },
};

function summary(blocks: ScapBlock[]) {
  const threads = blocks.find((b) => b.kind === 'threads');
  const section = blocks.find((b) => b.kind === 'section');
  const il = blocks.find((b) => b.kind === 'interfaces');
  return {
    pl: threads?.kind === 'threads' ? threads.blockType : -1,
    fdl: blocks.filter((b) => b.kind === 'fds').length,
    events: blocks.filter((b) => b.kind === 'event').length,
    v2: il?.kind === 'interfaces' ? il.blockType === BT.IL_V2 : false,
    minor: section?.kind === 'section' ? section.minor : -1,
  };
}

/** Split bytes into pseudo-random chunks (deterministic), as a network stream might. */
async function* chunked(b: Uint8Array, seed: number): AsyncGenerator<Uint8Array> {
  let s = seed;
  for (let p = 0; p < b.length; ) {
    s = (s * 1103515245 + 12345) >>> 0;
    const n = 1 + (s % 9000);
    yield b.slice(p, p + n);
    p += n;
  }
}

describe.skipIf(skip(needSharedData('scap'), needTool('sysdig')))('scap reader vs sysdig 0.29.3', () => {
  for (const f of captures()) {
    it(`${f}: every event's (evt.num, evt.rawtime, evt.type, evt.dir, thread.tid) equals sysdig -D`, () => {
      const path = sharedData(`scap/${f}`);
      const mine = expectedTuples(readScapFileSync(path));
      const oracle = sysdigTuples(path);
      expect(mine.length).toBe(oracle.length);
      expect(mine).toEqual(oracle);
    });

    it.skipIf(!SPEC_BLOCKS[f])(`${f}: block structure as listed in the spec`, () => {
      const blocks = [...readScapFileSync(sharedData(`scap/${f}`))];
      expect(summary(blocks)).toEqual(SPEC_BLOCKS[f]);
      expect(blocks.filter((b) => b.kind === 'machine')).toHaveLength(1);
      expect(blocks.filter((b) => b.kind === 'users')).toHaveLength(1);
      expect(blocks.filter((b) => b.kind === 'unknown')).toHaveLength(0);
    });
  }

  it('the streaming reader (file path, gzip) and the sync reader give the same events', async () => {
    const path = sharedData('scap/curl_google.scap');
    const sync = [...readScapFileSync(path)];
    const streamed: ScapBlock[] = [];
    for await (const b of readScap(path)) streamed.push(b);
    expect(streamed.length).toBe(sync.length);
    for (let i = 0; i < sync.length; i++) {
      const a = sync[i]!;
      const b = streamed[i]!;
      expect(b.kind).toBe(a.kind);
      if (a.kind === 'event' && b.kind === 'event') {
        expect([b.event.ts, b.event.tid, b.event.type, b.event.cpu, b.event.offset]).toEqual([a.event.ts, a.event.tid, a.event.type, a.event.cpu, a.event.offset]);
        expect(b.event.params.map((p) => Buffer.from(p).toString('hex'))).toEqual(a.event.params.map((p) => Buffer.from(p).toString('hex')));
      }
    }
  });

  it('a Node readable stream is a source too', async () => {
    const { createReadStream } = await import('node:fs');
    const path = sharedData('scap/ping_sendto.scap');
    let n = 0;
    for await (const b of readScap(createReadStream(path), { file: path })) if (b.kind === 'event') n++;
    expect(n).toBe(SPEC_BLOCKS['ping_sendto.scap']!.events);
  });

  it('the streaming reader accepts arbitrary chunk boundaries (plain and gzip)', async () => {
    for (const f of ['falco_empty.scap', 'test_ipv6_client.scap']) {
      const bytes = readFileSync(sharedData(`scap/${f}`));
      const sync = [...readScapSync(bytes, f)].filter((b) => b.kind === 'event');
      for (const seed of [1, 2, 3]) {
        const streamed: ScapBlock[] = [];
        for await (const b of readScap(chunked(bytes, seed), { file: f })) if (b.kind === 'event') streamed.push(b);
        expect(streamed.length).toBe(sync.length);
        expect(streamed.map((b) => (b.kind === 'event' ? `${b.event.ts}/${b.event.type}` : ''))).toEqual(
          sync.map((b) => (b.kind === 'event' ? `${b.event.ts}/${b.event.type}` : '')),
        );
      }
    }
  });

  for (const f of ['cat_write.scap', 'syscall.scap', 'sample.scap', 'curl_google.scap']) {
    it(`${f}: process-list and user-list entries are what sysdig shows for each thread's first enter event`, () => {
      const path = sharedData(`scap/${f}`);
      const blocks = [...readScapFileSync(path)];
      const threads = new Map(blocks.flatMap((b) => (b.kind === 'threads' ? b.threads : [])).map((t) => [t.tid, t]));
      const users = new Map(blocks.flatMap((b) => (b.kind === 'users' ? b.users : [])).map((u) => [u.uid, u.name]));
      const lines = sysdig(path, '-D', '-p', '*%thread.tid|%evt.dir|%proc.name|%proc.pid|%proc.exe|%proc.args|%user.uid|%user.name').split('\n');
      const seen = new Set<string>();
      let compared = 0;
      for (const line of lines) {
        const [tid, dir, name, pid, exe, args, uid, user] = line.split('|');
        if (!tid || seen.has(tid)) continue;
        seen.add(tid);
        const t = threads.get(BigInt(tid));
        if (!t || dir !== '>') continue;
        expect([t.comm, String(t.pid), t.exe, t.args.join(' '), String(t.uid)]).toEqual([name, pid, exe, args, uid]);
        expect(users.get(t.uid) ?? '<NA>').toBe(user);
        compared++;
      }
      expect(compared).toBeGreaterThan(2);
    });
  }
});
