/**
 * Parameter decoding: every PT_* type from bytes laid out as the spec says (§3.1), the encoders
 * as its inverse, and decoded values of the real captures against what sysdig prints for them
 * (socket tuples, socket addresses, errno results, strings).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeParam } from '../../../src/sources/scap/encode.js';
import { errnoName } from '../../../src/sources/scap/errno.js';
import { EVENT_TABLE_0293, PT } from '../../../src/sources/scap/event-table.js';
import { decodeContainerEvent } from '../../../src/sources/scap/events-meta.js';
import { decodeParam, paramsOf, type ParamValue, type SockAddr, type SockTuple } from '../../../src/sources/scap/params.js';
import { readScapFileSync } from '../../../src/sources/scap/reader.js';
import type { ScapEvent } from '../../../src/sources/scap/types.js';
import { needSharedData, needTool, sharedData, skip } from '../../helpers.js';
import { captures, sysdig, visibleEvents } from './oracle.js';

const b = (...xs: number[]) => Uint8Array.from(xs);
const le = (n: bigint, size: number) => {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = Number((BigInt.asUintN(size * 8, n) >> BigInt(8 * i)) & 0xffn);
  return out;
};
const str = (s: string) => new TextEncoder().encode(s);
const cat = (...xs: Uint8Array[]) => {
  const o = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
  let p = 0;
  for (const x of xs) {
    o.set(x, p);
    p += x.length;
  }
  return o;
};

describe('decodeParam: each PT_* type, bytes as spec §3.1 lays them out', () => {
  const cases: [string, number, Uint8Array, ParamValue, string?][] = [
    ['INT8', PT.PT_INT8, b(0xff), -1],
    ['UINT8', PT.PT_UINT8, b(0xff), 255],
    ['INT16', PT.PT_INT16, b(0xfe, 0xff), -2],
    ['UINT16', PT.PT_UINT16, b(0x34, 0x12), 0x1234],
    ['INT32', PT.PT_INT32, le(-5n, 4), -5],
    ['UINT32', PT.PT_UINT32, le(0xfffffffen, 4), 0xfffffffe],
    ['INT64', PT.PT_INT64, le(-2n, 8), -2n],
    ['UINT64', PT.PT_UINT64, le(1n << 63n, 8), 1n << 63n],
    ['ERRNO negative = -errno', PT.PT_ERRNO, le(-2n, 8), -2n],
    ['FD', PT.PT_FD, le(3n, 8), 3n],
    ['FD: a 32-bit -1 zero-extended', PT.PT_FD, le(0xffffffffn, 8), 4294967295n],
    ['PID', PT.PT_PID, le(31699n, 8), 31699n],
    ['FLAGS8', PT.PT_FLAGS8, b(0x81), 0x81],
    ['FLAGS16', PT.PT_FLAGS16, b(0x81, 0), 129],
    ['FLAGS32', PT.PT_FLAGS32, le(4097n, 4), 4097],
    ['ENUMFLAGS8', PT.PT_ENUMFLAGS8, b(2), 2],
    ['ENUMFLAGS16', PT.PT_ENUMFLAGS16, b(2, 0), 2],
    ['ENUMFLAGS32', PT.PT_ENUMFLAGS32, le(10n, 4), 10],
    ['UID none', PT.PT_UID, le(0xffffffffn, 4), 0xffffffff],
    ['GID', PT.PT_GID, le(33n, 4), 33],
    ['MODE', PT.PT_MODE, le(0o644n, 4), 0o644],
    ['SIGSET', PT.PT_SIGSET, le(0x10000n, 4), 0x10000],
    ['BOOL', PT.PT_BOOL, le(1n, 4), true],
    ['SYSCALLID', PT.PT_SYSCALLID, b(221, 0), 221],
    ['SIGTYPE', PT.PT_SIGTYPE, b(29), 29],
    ['PORT (host order)', PT.PT_PORT, b(0x50, 0), 80],
    ['L4PROTO', PT.PT_L4PROTO, b(2), 2],
    ['SOCKFAMILY', PT.PT_SOCKFAMILY, b(10), 10],
    ['RELTIME', PT.PT_RELTIME, le(1000000000n, 8), 1000000000n],
    ['ABSTIME', PT.PT_ABSTIME, le(1690557262753607000n, 8), 1690557262753607000n],
    ['DOUBLE', PT.PT_DOUBLE, new Uint8Array(new Float64Array([0.25]).buffer), 0.25],
    ['FD32', PT.PT_FD32, le(-100n, 4), -100],
    ['PID32', PT.PT_PID32, le(42n, 4), 42],
    ['CHARBUF (length includes the NUL)', PT.PT_CHARBUF, str('cat\0'), 'cat'],
    ['FSPATH', PT.PT_FSPATH, str('/etc/passwd\0'), '/etc/passwd'],
    ['FSRELPATH', PT.PT_FSRELPATH, str('foo\0'), 'foo'],
    ['CHARBUF with UTF-8', PT.PT_CHARBUF, str('/tmp/é\0'), '/tmp/é'],
    ['BYTEBUF', PT.PT_BYTEBUF, b(1, 0, 2), b(1, 0, 2)],
    ['IPV4ADDR (network order)', PT.PT_IPV4ADDR, b(10, 0, 2, 15), '10.0.2.15'],
    ['IPV6ADDR', PT.PT_IPV6ADDR, b(0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3), '2001:db8::3'],
    ['IPADDR v4', PT.PT_IPADDR, b(127, 0, 0, 1), '127.0.0.1'],
    ['IPV4NET', PT.PT_IPV4NET, b(10, 0, 0, 0, 255, 0, 0, 0), { addr: '10.0.0.0', netmask: '255.0.0.0' }],
    ['CHARBUFARRAY', PT.PT_CHARBUFARRAY, str('a\0bc\0'), ['a', 'bc']],
    ['CHARBUF_PAIR_ARRAY', PT.PT_CHARBUF_PAIR_ARRAY, str('k\0v\0k2\0v2\0'), [['k', 'v'], ['k2', 'v2']]],
    ['SOCKADDR inet: family, ip (net order), port (host order)', PT.PT_SOCKADDR, b(2, 127, 0, 0, 1, 0x39, 0x30), { family: 'inet', addr: '127.0.0.1', port: 12345 }],
    ['SOCKADDR inet6', PT.PT_SOCKADDR, cat(b(10), b(0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0x12, 0x34), b(0xd2, 4)), { family: 'inet6', addr: '2001:db8::3:1234', port: 1234 }],
    ['SOCKADDR unix', PT.PT_SOCKADDR, cat(b(1), str('/run/x.sock\0')), { family: 'unix', path: '/run/x.sock' }],
    ['SOCKTUPLE inet', PT.PT_SOCKTUPLE, b(2, 10, 0, 2, 15, 0x16, 0, 10, 0, 2, 2, 0x49, 0xc0), { family: 'inet', sip: '10.0.2.15', sport: 22, dip: '10.0.2.2', dport: 49225 }],
    ['SOCKTUPLE inet6', PT.PT_SOCKTUPLE, cat(b(10), b(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), b(0x6f, 0x95), b(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), b(0x29, 0x09)), { family: 'inet6', sip: '::1', sport: 38255, dip: '::1', dport: 2345 }],
    ['SOCKTUPLE unix', PT.PT_SOCKTUPLE, cat(b(1), le(0n, 8), le(0xffff88003c420800n, 8), str('/var/run/nscd/socket\0')), { family: 'unix', source: 0n, dest: 0xffff88003c420800n, path: '/var/run/nscd/socket' }],
    ['FDLIST: u16 n, then (i64 fd, i16 flags)', PT.PT_FDLIST, cat(b(2, 0), le(4n, 8), b(1, 0), le(7n, 8), b(0, 0)), [{ fd: 4n, flags: 1 }, { fd: 7n, flags: 0 }]],
    ['DYN: index into the dynamic table, then that type', PT.PT_DYN, cat(b(2), le(7n, 4)), { index: 2, type: PT.PT_UINT32, value: 7 }, 'sockopt_dynamic_param'],
  ];
  for (const [name, type, bytes, value, info] of cases) {
    it(name, () => {
      expect(decodeParam(type, bytes, info)).toEqual(value);
    });
  }

  it('a zero-length parameter is absent (undefined) for every type', () => {
    for (let t = 1; t < PT.PT_MAX; t++) expect(decodeParam(t, new Uint8Array(0))).toBeUndefined();
  });

  it('short fixed-width values never throw', () => {
    for (let t = 1; t < PT.PT_MAX; t++) expect(() => decodeParam(t, b(1))).not.toThrow();
  });

  it('encodeParam is the inverse of decodeParam', () => {
    for (const [, type, bytes, value, info] of cases) {
      expect(decodeParam(type, encodeParam(type, value, info), info)).toEqual(value);
    }
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.string(), (i32, i64, s) => {
        expect(decodeParam(PT.PT_INT32, encodeParam(PT.PT_INT32, i32))).toBe(i32);
        expect(decodeParam(PT.PT_ERRNO, encodeParam(PT.PT_ERRNO, i64))).toBe(i64);
        const clean = s.replace(/\0/g, '');
        expect(decodeParam(PT.PT_CHARBUF, encodeParam(PT.PT_CHARBUF, clean))).toBe(clean.replace(/[\ud800-\udfff]/g, '\ufffd'));
      }),
      { numRuns: 200, seed: 1 },
    );
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV6(), fc.nat(65535), fc.nat(65535), (v4, v6, p1, p2) => {
        const t4: SockTuple = { family: 'inet', sip: v4, sport: p1, dip: v4, dport: p2 };
        expect(decodeParam(PT.PT_SOCKTUPLE, encodeParam(PT.PT_SOCKTUPLE, t4))).toEqual(t4);
        const a6 = decodeParam(PT.PT_SOCKADDR, encodeParam(PT.PT_SOCKADDR, { family: 'inet6', addr: v6, port: p1 })) as SockAddr;
        const again = decodeParam(PT.PT_SOCKADDR, encodeParam(PT.PT_SOCKADDR, a6));
        expect(again).toEqual(a6);
      }),
      { numRuns: 200, seed: 2 },
    );
  });
});

/** sysdig's rendering of a tuple (spec §3.2): IPv4-mapped IPv6 shown as IPv4; unix "%llx->%llx path". */
function renderTuple(t: ParamValue): string {
  if (t === undefined) return 'NULL';
  const v = t as SockTuple;
  const unmap = (ip: string) => (ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip);
  if (v.family === 'inet' || v.family === 'inet6') return `${unmap(v.sip)}:${v.sport}->${unmap(v.dip)}:${v.dport}`;
  if (v.family === 'unix') return `${v.source.toString(16)}->${v.dest.toString(16)} ${v.path}`;
  return '?';
}
function renderAddr(a: ParamValue): string {
  if (a === undefined) return 'NULL';
  const v = a as SockAddr;
  if (v.family === 'inet' || v.family === 'inet6') return `${v.addr}:${v.port}`;
  if (v.family === 'unix') return v.path;
  return '?';
}
function renderErrno(r: ParamValue): string {
  if (typeof r !== 'bigint') return '<NA>';
  // the evt.arg.* field shows just the errno name for failures (the event line shows "-2(ENOENT)")
  return r < 0n ? (errnoName(Number(-r)) ?? `${r}`) : `${r}`;
}

function named(e: ScapEvent, name: string): { present: boolean; value: ParamValue } {
  const views = paramsOf(e, EVENT_TABLE_0293);
  const v = views.find((p) => p.name === name);
  return v ? { present: true, value: v.value } : { present: false, value: undefined };
}

describe.skipIf(skip(needSharedData('scap'), needTool('sysdig')))('decoded params of real captures equal what sysdig prints', () => {
  for (const f of captures()) {
    it(`${f}: tuple, addr, res (errno names) and exe`, () => {
      const path = sharedData(`scap/${f}`);
      const events = visibleEvents(readScapFileSync(path));
      const lines = sysdig(path, '-D', '-p', '*%evt.num\t%evt.arg.tuple\t%evt.arg.addr\t%evt.arg.res\t%evt.arg.exe').split('\n');
      let checked = 0;
      for (const line of lines) {
        const [num, tuple, addr, res, exe] = line.split('\t');
        const e = events.get(Number(num));
        if (!e || e.type < 2) continue; // generic events print no args
        const t = named(e, 'tuple');
        if (t.present) expect(`${num} tuple=${renderTuple(t.value)}`).toBe(`${num} tuple=${tuple}`);
        const a = named(e, 'addr');
        const pa = EVENT_TABLE_0293[e.type]!.params.find((x) => x.name === 'addr');
        if (a.present && pa?.type === PT.PT_SOCKADDR) expect(`${num} addr=${renderAddr(a.value)}`).toBe(`${num} addr=${addr}`);
        const r = named(e, 'res');
        const p = EVENT_TABLE_0293[e.type]!.params.find((x) => x.name === 'res');
        if (r.present && p?.type === PT.PT_ERRNO) expect(`${num} res=${renderErrno(r.value)}`).toBe(`${num} res=${res}`);
        const x = named(e, 'exe');
        if (x.present && typeof x.value === 'string') expect(`${num} exe=${x.value}`).toBe(`${num} exe=${exe}`);
        checked++;
      }
      expect(checked).toBe(events.size - [...events.values()].filter((e) => e.type < 2).length);
    });
  }

  it('container events decode to the id/name/image sysdig shows', () => {
    const path = sharedData('scap/psp_privileged.scap');
    const containers = [...readScapFileSync(path)].flatMap((b) => (b.kind === 'event' ? [decodeContainerEvent(b.event)] : [])).filter((c) => c);
    expect(containers.length).toBeGreaterThan(0);
    const shown = sysdig(path, '-p', '%container.id %container.name %container.image', 'evt.type=container').trim().split('\n');
    for (const line of shown) {
      const [id, name, image] = line.split(' ');
      expect(containers.some((c) => c!.id === id && c!.name === name && c!.image === image)).toBe(true);
    }
  });
});
