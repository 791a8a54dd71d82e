/**
 * Metadata blocks built byte by byte from the spec's layouts (§1.5–§1.8) and read back:
 * the PL_V9 optional-field rule for both writer generations, v1 layouts, IL/UL/FDL entry
 * length conventions (IL_V2 excludes itself, UL_V2/FDL_V2/PL_V9 include themselves).
 */
import { describe, expect, it } from 'vitest';
import { BT } from '../../../src/sources/scap/block-types.js';
import { FD_TYPE } from '../../../src/sources/scap/blocks-fdlist.js';
import { ByteBuilder } from '../../../src/sources/scap/byte-builder.js';
import { readScapSync } from '../../../src/sources/scap/reader.js';
import { ScapError, type ScapBlock } from '../../../src/sources/scap/types.js';

/** SHB + the given block bodies (framed per §1.2). */
function capture(...blocks: [number, (o: ByteBuilder) => void][]): Uint8Array {
  const o = new ByteBuilder();
  const m = o.beginBlock(BT.SHB);
  o.u32(0x1a2b3c4d).u16(1).u16(0).u64(-1n);
  o.endBlock(m);
  for (const [type, body] of blocks) {
    const b = o.beginBlock(type);
    body(o);
    o.endBlock(b);
  }
  return o.take();
}

function read(bytes: Uint8Array): ScapBlock[] {
  return [...readScapSync(bytes, 'built.scap')].slice(1);
}

/** PL fields 1..20 of one thread (V5+ layout without sid/vpgid/exepath). */
function baseFields(o: ByteBuilder, v: number): void {
  o.u64(100).u64(100).u64(1);
  if (v >= 6) o.u64(100);
  if (v >= 8) o.u64(100);
  o.str16('bash').str16('/bin/bash');
  if (v >= 7) o.str16('/usr/bin/bash');
  o.str16('-c\0echo hi\0').str16('/root').u64(1024).u32(0).u32(0).u32(0);
  if (v >= 2) o.u32(1).u32(2).u32(3).u64(4).u64(5);
  if (v >= 3) o.str16('A=1\0B=2\0');
  if (v >= 4) o.u64(100).u64(100).str16('cpu=/\0memory=/x\0');
  if (v >= 5) o.str16('/');
}

describe('process list blocks', () => {
  it('PL_V1: the minimal layout', () => {
    const [b] = read(capture([BT.PL_V1, (o) => baseFields(o, 1)]));
    expect(b).toMatchObject({ kind: 'threads', threads: [{ tid: 100n, comm: 'bash', exe: '/bin/bash', args: ['-c', 'echo hi'], cwd: '/root', fdlimit: 1024n }] });
    expect(b?.kind === 'threads' && b.threads[0]!.env).toBeUndefined();
  });

  it('PL_V9 written by libs >= 0.10: pidns_init_start_ts and tty, then loginuid, caps, ..., pgid', () => {
    const [b] = read(capture([BT.PL_V9, (o) => {
      const at = o.lengthMark();
      baseFields(o, 9);
      o.u64(777n).u32(34816).u32(1000).u8(1).u64(1n).u64(2n).u64(3n).u8(1).u64(9n).u64(10n).u64(11n).u8(0).u8(1).u64(4242n);
      o.patchU32(at, o.length - at);
    }]));
    expect(b?.kind === 'threads' && b.threads[0]).toMatchObject({
      pidnsInitStartTs: 777n, tty: 34816, loginuid: 1000, exeWritable: true, capInheritable: 1n, capPermitted: 2n, capEffective: 3n,
      exeUpperLayer: true, exeIno: 9n, exeInoCtime: 10n, exeInoMtime: 11n, exeFromMemfd: false, exeLowerLayer: true, pgid: 4242n,
      env: ['A=1', 'B=2'], cgroups: ['cpu=/', 'memory=/x'], vtid: 100n, root: '/',
    });
  });

  it('PL_V9 written by libs < 0.10 (29 bytes after root): no pidns/tty, loginuid read in place', () => {
    const [b] = read(capture([BT.PL_V9, (o) => {
      const at = o.lengthMark();
      baseFields(o, 9);
      o.u32(1000).u8(0).u64(1n).u64(2n).u64(3n);
      o.patchU32(at, o.length - at);
    }]));
    const t = b?.kind === 'threads' ? b.threads[0]! : undefined;
    expect([t?.pidnsInitStartTs, t?.tty, t?.loginuid, t?.capEffective, t?.exeIno]).toEqual([undefined, undefined, 1000, 3n, undefined]);
  });

  it('PL_V9 entries: extra bytes up to sub_len are skipped, two entries in a row', () => {
    const [b] = read(capture([BT.PL_V9, (o) => {
      for (const extra of [5, 0]) {
        const at = o.lengthMark();
        baseFields(o, 9);
        o.u64(1n).u32(0).u32(0).u8(0).u64(0n).u64(0n).u64(0n).u8(0).u64(0n).u64(0n).u64(0n).u8(0).u8(0).u64(0n).zeros(extra);
        o.patchU32(at, o.length - at);
      }
    }]));
    expect(b?.kind === 'threads' && b.threads).toHaveLength(2);
  });

  it('an entry length that overruns the block is a ScapError at the entry', () => {
    const bytes = capture([BT.PL_V9, (o) => {
      o.u32(5000);
      baseFields(o, 9);
    }]);
    expect(() => read(bytes)).toThrow(ScapError);
    expect(() => read(bytes)).toThrow(/thread entry length 5000 is invalid/);
  });
});

describe('interface, user and fd lists', () => {
  it('IL v1 (no length prefix; type 3 has no link speed) and IL_V2 (entry length excludes itself)', () => {
    const v1 = read(capture([BT.IL, (o) => {
      o.u16(3).u16(2).bytes(Uint8Array.of(127, 0, 0, 1, 255, 0, 0, 0, 127, 0, 0, 1)).bytes(new TextEncoder().encode('lo'));
      o.u16(1).u16(4).bytes(Uint8Array.of(10, 0, 2, 15, 255, 255, 255, 0, 10, 0, 2, 255)).u64(1000n).bytes(new TextEncoder().encode('eth0'));
    }]));
    expect(v1[0]).toMatchObject({ kind: 'interfaces', interfaces: [
      { name: 'lo', family: 'ipv4', addr: '127.0.0.1', netmask: '255.0.0.0' },
      { name: 'eth0', family: 'ipv4', addr: '10.0.2.15', netmask: '255.255.255.0', bcast: '10.0.2.255', linkspeed: 1000n },
    ] });
    const v2 = read(capture([BT.IL_V2, (o) => {
      const at = o.lengthMark();
      o.u16(2).u16(2).bytes(new Uint8Array(15)).u8(1).bytes(new Uint8Array(32)).u64(0n).bytes(new TextEncoder().encode('lo'));
      o.patchU32(at, o.length - at - 4);
    }]));
    expect(v2[0]).toMatchObject({ kind: 'interfaces', interfaces: [{ name: 'lo', family: 'ipv6', addr: '::1' }] });
  });

  it('UL v1 and UL_V2 (entry length includes itself)', () => {
    const v1 = read(capture([BT.UL, (o) => {
      o.u8(0).u32(0).u32(0).str16('root').str16('/root').str16('/bin/bash');
      o.u8(1).u32(0).str16('root');
    }]));
    expect(v1[0]).toEqual({ kind: 'users', offset: 28, blockType: BT.UL, users: [{ uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/bash' }], groups: [{ gid: 0, name: 'root' }] });
    const v2 = read(capture([BT.UL_V2, (o) => {
      const at = o.lengthMark();
      o.u8(1).u32(33).str16('www-data').zeros(3);
      o.patchU32(at, o.length - at);
    }]));
    expect(v2[0]!.kind === 'users' && v2[0]!.groups).toEqual([{ gid: 33, name: 'www-data' }]);
  });

  it('FDL v1 and FDL_V2: files, sockets, unix sockets, FILE_V2 dev only when sub_len allows, newer types', () => {
    const v1 = read(capture([BT.FDL, (o) => {
      o.u64(100n);
      o.u64(0n).u64(5n).u8(FD_TYPE.FILE).str16('/dev/pts/0');
      o.u64(3n).u64(6n).u8(FD_TYPE.IPV4_SOCK).bytes(Uint8Array.of(10, 0, 2, 15, 10, 0, 2, 2)).u16(22).u16(49289).u8(2);
      o.u64(4n).u64(7n).u8(FD_TYPE.IPV4_SERVSOCK).bytes(Uint8Array.of(0, 0, 0, 0)).u16(22).u8(2);
      o.u64(5n).u64(8n).u8(FD_TYPE.UNIX_SOCK).u64(0x10n).u64(0x20n).str16('/run/x');
    }]));
    expect(v1[0]).toMatchObject({ kind: 'fds', tid: 100n, fds: [
      { fd: 0n, type: FD_TYPE.FILE, name: '/dev/pts/0' },
      { fd: 3n, type: FD_TYPE.IPV4_SOCK, sip: '10.0.2.15', dip: '10.0.2.2', sport: 22, dport: 49289, l4proto: 2 },
      { fd: 4n, type: FD_TYPE.IPV4_SERVSOCK, sip: '0.0.0.0', sport: 22, l4proto: 2 },
      { fd: 5n, type: FD_TYPE.UNIX_SOCK, source: 0x10n, destination: 0x20n, name: '/run/x' },
    ] });
    const v2 = read(capture([BT.FDL_V2, (o) => {
      o.u64(7n);
      for (const dev of [true, false]) {
        const at = o.lengthMark();
        o.u64(3n).u64(9n).u8(FD_TYPE.FILE_V2).u32(0x1001).str16('/etc/passwd');
        if (dev) o.u32(0x803);
        o.patchU32(at, o.length - at);
      }
      const at = o.lengthMark();
      o.u64(9n).u64(0n).u8(99).zeros(6);
      o.patchU32(at, o.length - at);
    }]));
    expect(v2[0]).toMatchObject({ kind: 'fds', tid: 7n, fds: [
      { fd: 3n, type: FD_TYPE.FILE_V2, flags: 0x1001, name: '/etc/passwd', dev: 0x803 },
      { fd: 3n, type: FD_TYPE.FILE_V2, name: '/etc/passwd' },
      { fd: 9n, type: FD_TYPE.UNSUPPORTED, name: 'unknown-type:[99]' },
    ] });
    expect(v2[0]!.kind === 'fds' && v2[0]!.fds[1]!.dev).toBeUndefined();
  });

  it('an unknown fd type in a v1 list cannot be skipped: ScapError', () => {
    expect(() => read(capture([BT.FDL, (o) => o.u64(1n).u64(3n).u64(0n).u8(99).zeros(8)]))).toThrow(/unknown fd type 99/);
  });

  it('MI: a short body yields zeros for the missing tail', () => {
    const [b] = read(capture([BT.MI, (o) => {
      o.u32(4).u64(8n << 30n).u64(32768n);
      const name = new TextEncoder().encode('host');
      o.bytes(name).zeros(128 - name.length);
    }]));
    expect(b).toMatchObject({ kind: 'machine', numCpus: 4, memoryBytes: 8n << 30n, maxPid: 32768n, hostname: 'host', bootTimeNs: 0n });
  });
});
