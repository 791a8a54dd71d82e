/**
 * The state engine on hand-built blocks: numbering and visibility, threads
 * (clone, execve, procexit), fds (open, close, socket/connect, pipe, dup),
 * users, containers. Expected values are libsinsp 0.29.3's behaviour as
 * the differential tests establish it on real captures.
 */
import { describe, expect, it } from 'vitest';
import { ScapState, type EventCtx } from '../../../src/sources/scap/state.js';
import { fieldValue } from '../../../src/sources/scap/fields.js';
import { formatEventLine } from '../../../src/sources/scap/print.js';
import type { ScapBlock, ScapEvent, ThreadEntry } from '../../../src/sources/scap/types.js';

const u64 = (v: number | bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
  return b;
};
const u32 = (v: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
};
const u16 = (v: number) => Uint8Array.of(v & 255, v >> 8);
const str = (s: string) => new TextEncoder().encode(s + '\0');
const list = (xs: string[]) => new TextEncoder().encode(xs.map((x) => x + '\0').join(''));

let ts = 1_700_000_000_000_000_000n;
function ev(type: number, tid: number, params: Uint8Array[], flags?: number): ScapBlock {
  const e: ScapEvent = { offset: 0, blockType: 0x216, ts: ts++, tid: BigInt(tid), cpu: 1, type, params };
  if (flags !== undefined) e.flags = flags;
  return { kind: 'event', event: e };
}
function thread(tid: number, pid: number, ptid: number, comm: string, extra: Partial<ThreadEntry> = {}): ThreadEntry {
  return { tid: BigInt(tid), pid: BigInt(pid), ptid: BigInt(ptid), comm, exe: comm, args: [], cwd: '/home/u', fdlimit: 1024n, flags: 0, uid: 0, gid: 0, ...extra };
}
function run(blocks: ScapBlock[], opts = {}): EventCtx[] {
  const st = new ScapState(opts);
  const out: EventCtx[] = [];
  for (const b of blocks) {
    const c = st.block(b);
    if (c && !c.hidden) out.push(c);
  }
  return out;
}
const meta: ScapBlock[] = [
  { kind: 'section', offset: 0, major: 1, minor: 2 },
  { kind: 'machine', offset: 0, hostname: 'box', numCpus: 2, memoryBytes: 0n },
  { kind: 'users', offset: 0, blockType: 0x220, users: [{ uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/sh' }], groups: [{ gid: 0, name: 'root' }] },
  { kind: 'threads', offset: 0, blockType: 0x215, threads: [thread(100, 100, 1, 'bash'), thread(1, 1, 0, 'init')] },
  { kind: 'fds', offset: 0, blockType: 0x218, tid: 100n, fds: [{ fd: 0n, type: 1, name: '/dev/pts/0' }] },
];

describe('numbering and visibility', () => {
  it('numbers every known event, hides internal ones unless showInternal, skips types newer than 0.29.3 without a number', () => {
    const blocks = [...meta, ev(234, 100, [u64(1), u64(2)]), ev(400, 100, []), ev(6, 100, [u64(0), u32(10)])];
    const shown = run(blocks);
    expect(shown.map((c) => [c.num, c.info.name])).toEqual([[2, 'read']]);
    expect(run(blocks, { showInternal: true }).map((c) => [c.num, c.info.name])).toEqual([[1, 'procinfo'], [2, 'read']]);
  });
  it('hides container events at the start of a section and state-only (EVF flag 1) events', () => {
    const json = str('{"container":{"id":"abcdef012345","name":"web","image":"nginx","type":0}}');
    const blocks = [...meta, ev(272, -1, [json]), ev(6, 100, [u64(0), u32(1)], 1), ev(6, 100, [u64(0), u32(1)]), ev(272, -1, [json])];
    const shown = run(blocks, { showInternal: true });
    expect(shown.map((c) => [c.num, c.info.name])).toEqual([[3, 'read'], [4, 'container']]);
    expect(fieldValue(shown[1]!, 'proc.name')).toBe('container:abcdef012345');
    expect(fieldValue(shown[1]!, 'container.name')).toBe('web');
  });
});

describe('threads', () => {
  it('clone (parent side) creates the child; execve renames it; procexit removes it after its own event', () => {
    const clone = (tidParam: number, res: number) => [u64(res), str('bash'), list([]), u64(tidParam), u64(100), u64(1), str('/home/u'), u64(1024), u64(0), u64(0), u32(0), u32(0), u32(0), str('bash'), list(['cpu=/']), u32(0), u32(0), u32(0), u64(tidParam), u64(100)];
    const blocks = [
      ...meta,
      ev(222, 100, []),
      ev(223, 100, clone(100, 200)),
      ev(292, 200, [str('/bin/ls')]),
      ev(293, 200, [u64(0), str('ls'), list(['-l', '/tmp']), u64(200), u64(200), u64(100), str('/home/u'), u64(1024), u64(0), u64(0), u32(0), u32(0), u32(0), str('ls'), list(['cpu=/docker/' + 'a'.repeat(64)]), list([]), u32(0), u64(200), u32(0), u32(0)]),
      ev(186, 200, [u64(0), u64(0), Uint8Array.of(0), Uint8Array.of(0)]),
      ev(6, 200, [u64(0), u32(1)]),
    ];
    const shown = run(blocks);
    const byNum = (n: number) => shown.find((c) => c.num === n)!;
    expect(fieldValue(byNum(4), 'proc.name')).toBe('ls');
    expect(fieldValue(byNum(4), 'proc.cmdline')).toBe('ls -l /tmp');
    expect(fieldValue(byNum(4), 'proc.exepath')).toBe('/bin/ls');
    expect(fieldValue(byNum(4), 'proc.pname')).toBe('bash');
    expect(fieldValue(byNum(4), 'proc.ppid')).toBe(100);
    expect(fieldValue(byNum(4), 'container.id')).toBe('aaaaaaaaaaaa');
    expect(fieldValue(byNum(4), 'user.name')).toBe('root');
    expect(fieldValue(byNum(5), 'proc.name')).toBe('ls'); // procexit itself still has its thread
    // the next event of that tid: unknown thread again, a <NA> placeholder
    expect(formatEventLine(byNum(6))).toMatch(/ <NA> \(200\) > read /);
  });
});

describe('file descriptors', () => {
  it('open/close, socket/connect tuples and roles, pipe, dup', () => {
    const tuple = Uint8Array.of(2, 127, 0, 0, 1, 0x39, 0x30, 127, 0, 0, 1, 80, 0);
    const blocks = [
      ...meta,
      ev(2, 100, [str('x'), u32(1), u32(0)]),
      ev(3, 100, [u64(3), str('x'), u32(1), u32(0), u32(0)]), // open("x") relative to cwd
      ev(4, 100, [u64(3)]),
      ev(5, 100, [u64(0)]),
      ev(6, 100, [u64(3), u32(1)]), // fd 3 gone
      ev(18, 100, [u32(2), u32(1), u32(0)]),
      ev(19, 100, [u64(4)]),
      ev(22, 100, [u64(4)]),
      ev(23, 100, [u64(-115), tuple]),
      ev(60, 100, []),
      ev(61, 100, [u64(0), u64(5), u64(6), u64(77)]),
      ev(124, 100, [u64(4)]),
      ev(125, 100, [u64(9)]),
      ev(8, 100, [u64(9), u32(3)]),
    ];
    const s = run(blocks);
    const at = (n: number, f: string) => fieldValue(s.find((c) => c.num === n)!, f);
    expect(at(2, 'fd.name')).toBe('/home/u/x');
    expect(at(3, 'fd.name')).toBe('/home/u/x');
    expect(at(4, 'fd.name')).toBe('/home/u/x'); // close exit still sees it (removal deferred)
    expect(at(5, 'fd.type')).toBeNull();
    expect(at(7, 'fd.type')).toBe('ipv4');
    expect(at(7, 'fd.l4proto')).toBeNull(); // no role yet
    expect(at(9, 'fd.name')).toBe('127.0.0.1:12345->127.0.0.1:80');
    expect([at(9, 'fd.cip'), at(9, 'fd.cport'), at(9, 'fd.sip'), at(9, 'fd.sport'), at(9, 'fd.l4proto')]).toEqual(['127.0.0.1', 12345, '127.0.0.1', 80, 'tcp']);
    expect(at(11, 'fd.num')).toBe(6);
    expect(at(11, 'fd.type')).toBe('pipe');
    expect(at(14, 'fd.name')).toBe('127.0.0.1:12345->127.0.0.1:80'); // dup'ed socket
    expect(formatEventLine(s.find((c) => c.num === 14)!)).toMatch(/write fd=9\(<4t>127\.0\.0\.1:12345->127\.0\.0\.1:80\) size=3 $/);
  });
});

describe('bad input', () => {
  it('does not throw on truncated or missing parameters', () => {
    const blocks = [...meta, ev(3, 100, []), ev(223, 100, [u64(5)]), ev(293, 100, [Uint8Array.of(1)]), ev(23, 100, [u64(0), Uint8Array.of(2, 1)]), ev(272, -1, [str('{not json')])];
    expect(() => run(blocks, { showInternal: true }).map((c) => [formatEventLine(c), fieldValue(c, 'fd.name'), fieldValue(c, 'evt.args')])).not.toThrow();
  });
});
