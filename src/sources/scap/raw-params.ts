/**
 * Reading raw event parameters (the `Uint8Array`s of a ScapEvent) for the
 * state engine: little-endian integers, NUL-terminated strings, NUL-separated
 * lists, socket addresses and tuples. No allocation beyond the result.
 * Every reader tolerates a missing or short parameter (returns the fallback).
 */

/** Unsigned integer of any width 1/2/4/8 (8-byte values above 2^53 lose precision). */
export function pUint(p: Uint8Array | undefined, fallback = 0): number {
  if (!p) return fallback;
  switch (p.length) {
    case 1:
      return p[0]!;
    case 2:
      return p[0]! | (p[1]! << 8);
    case 4:
      return (p[0]! | (p[1]! << 8) | (p[2]! << 16) | (p[3]! << 24)) >>> 0;
    case 8: {
      const lo = (p[0]! | (p[1]! << 8) | (p[2]! << 16) | (p[3]! << 24)) >>> 0;
      const hi = (p[4]! | (p[5]! << 8) | (p[6]! << 16) | (p[7]! << 24)) >>> 0;
      return hi * 4294967296 + lo;
    }
    default:
      return fallback;
  }
}

/** Signed integer of any width 1/2/4/8 (two's complement). */
export function pInt(p: Uint8Array | undefined, fallback = 0): number {
  if (!p) return fallback;
  switch (p.length) {
    case 1:
      return (p[0]! << 24) >> 24;
    case 2:
      return ((p[0]! | (p[1]! << 8)) << 16) >> 16;
    case 4:
      return p[0]! | (p[1]! << 8) | (p[2]! << 16) | (p[3]! << 24);
    case 8: {
      const lo = (p[0]! | (p[1]! << 8) | (p[2]! << 16) | (p[3]! << 24)) >>> 0;
      const hi = p[4]! | (p[5]! << 8) | (p[6]! << 16) | (p[7]! << 24);
      return hi * 4294967296 + lo;
    }
    default:
      return fallback;
  }
}

/** Exact 64-bit values (signed) as bigint. */
export function pBigInt(p: Uint8Array | undefined, signed = true): bigint | null {
  if (!p || p.length !== 8) return p && p.length ? BigInt(signed ? pInt(p) : pUint(p)) : null;
  const dv = new DataView(p.buffer, p.byteOffset, 8);
  return signed ? dv.getBigInt64(0, true) : dv.getBigUint64(0, true);
}

const decoder = new TextDecoder('utf-8');

/** Bytes [start, end) as a string: ASCII fast path, UTF-8 otherwise. */
export function bytesToString(p: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const c = p[i]!;
    if (c >= 0x80) return decoder.decode(p.subarray(start, end));
    s += String.fromCharCode(c);
  }
  return s;
}

/** A CHARBUF/FSPATH parameter: bytes up to the first NUL. */
export function pStr(p: Uint8Array | undefined): string {
  if (!p) return '';
  let end = p.indexOf(0);
  if (end < 0) end = p.length;
  return bytesToString(p, 0, end);
}

/**
 * A NUL-separated list (args, env, cgroups) as libsinsp's set_args splits it:
 * take NUL-terminated strings while offset < len (a trailing NUL adds no entry).
 */
export function pList(p: Uint8Array | undefined): string[] {
  const out: string[] = [];
  if (!p) return out;
  let i = 0;
  while (i < p.length) {
    let end = p.indexOf(0, i);
    if (end < 0) end = p.length;
    out.push(bytesToString(p, i, end));
    i = end + 1;
  }
  return out;
}

export { ipv4ToString, ipv6ToString, isV4Mapped } from './net.js';
import { ipv4ToString, ipv6ToString, isV4Mapped } from './net.js';

export function u16le(p: Uint8Array, off: number): number {
  return p[off]! | (p[off + 1]! << 8);
}

export function u64leBig(p: Uint8Array, off: number): bigint {
  return new DataView(p.buffer, p.byteOffset + off, 8).getBigUint64(0, true);
}

/** PPM_AF_* families as written in sockaddr/socktuple params */
export const PPM_AF = { UNSPEC: 0, UNIX: 1, INET: 2, INET6: 10, NETLINK: 16 } as const;

/** A decoded socket tuple (SOCKTUPLE) or address (SOCKADDR). */
export interface SockAddr {
  family: number;
  /** ipv4 | ipv6 | unix | other */
  kind: 'ipv4' | 'ipv6' | 'unix' | 'other';
  sip: string;
  sport: number;
  dip: string;
  dport: number;
  /** IPv6 tuples whose addresses are both IPv4-mapped (sinsp turns them into IPv4) */
  mapped: boolean;
  /** unix: kernel pointers and path */
  usource: bigint;
  udest: bigint;
  path: string;
}

/** Decode a SOCKTUPLE parameter, or null when empty/short. */
export function pTuple(p: Uint8Array | undefined): SockAddr | null {
  if (!p || p.length < 1) return null;
  const fam = p[0]!;
  if (fam === PPM_AF.INET && p.length >= 13) {
    return { family: fam, kind: 'ipv4', sip: ipv4ToString(p, 1), sport: u16le(p, 5), dip: ipv4ToString(p, 7), dport: u16le(p, 11), mapped: false, usource: 0n, udest: 0n, path: '' };
  }
  if (fam === PPM_AF.INET6 && p.length >= 37) {
    const mapped = isV4Mapped(p, 1) && isV4Mapped(p, 19);
    const sip = mapped ? ipv4ToString(p, 13) : ipv6ToString(p, 1);
    const dip = mapped ? ipv4ToString(p, 31) : ipv6ToString(p, 19);
    return { family: fam, kind: mapped ? 'ipv4' : 'ipv6', sip, sport: u16le(p, 17), dip, dport: u16le(p, 35), mapped, usource: 0n, udest: 0n, path: '' };
  }
  if (fam === PPM_AF.UNIX && p.length >= 17) {
    let end = p.indexOf(0, 17);
    if (end < 0) end = p.length;
    return { family: fam, kind: 'unix', sip: '', sport: 0, dip: '', dport: 0, mapped: false, usource: u64leBig(p, 1), udest: u64leBig(p, 9), path: bytesToString(p, 17, end) };
  }
  return { family: fam, kind: 'other', sip: '', sport: 0, dip: '', dport: 0, mapped: false, usource: 0n, udest: 0n, path: '' };
}

/** Decode a SOCKADDR parameter (the address goes into dip/dport), or null when empty. */
export function pSockaddr(p: Uint8Array | undefined): SockAddr | null {
  if (!p || p.length < 1) return null;
  const fam = p[0]!;
  if (fam === PPM_AF.INET && p.length >= 7) {
    return { family: fam, kind: 'ipv4', sip: '', sport: 0, dip: ipv4ToString(p, 1), dport: u16le(p, 5), mapped: false, usource: 0n, udest: 0n, path: '' };
  }
  if (fam === PPM_AF.INET6 && p.length >= 19) {
    const mapped = isV4Mapped(p, 1);
    return { family: fam, kind: mapped ? 'ipv4' : 'ipv6', sip: '', sport: 0, dip: mapped ? ipv4ToString(p, 13) : ipv6ToString(p, 1), dport: u16le(p, 17), mapped, usource: 0n, udest: 0n, path: '' };
  }
  if (fam === PPM_AF.UNIX) {
    let end = p.indexOf(0, 1);
    if (end < 0) end = p.length;
    return { family: fam, kind: 'unix', sip: '', sport: 0, dip: '', dport: 0, mapped: false, usource: 0n, udest: 0n, path: bytesToString(p, 1, end) };
  }
  return { family: fam, kind: 'other', sip: '', sport: 0, dip: '', dport: 0, mapped: false, usource: 0n, udest: 0n, path: '' };
}

/** What the reader's lazy EventRecord exposes (params located, not sliced). */
interface LazyEvent {
  buf: Uint8Array;
  dataAt: number;
  nparams: number;
  paramLength(i: number): number;
}

/**
 * Signed integer value of parameter i without slicing the event's parameters
 * (the hot path: the fd of every enter event). Falls back to `params` for
 * other ScapEvent implementations.
 */
export function paramInt(ev: { params: Uint8Array[] }, i: number, fallback: number): number {
  const le = ev as unknown as Partial<LazyEvent>;
  if (le.buf !== undefined && typeof le.paramLength === 'function' && le.dataAt !== undefined && le.nparams !== undefined) {
    if (i >= le.nparams) return fallback;
    let at = le.dataAt;
    for (let k = 0; k < i; k++) at += le.paramLength(k);
    const len = le.paramLength(i);
    const b = le.buf;
    switch (len) {
      case 8: {
        const lo = (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
        const hi = b[at + 4]! | (b[at + 5]! << 8) | (b[at + 6]! << 16) | (b[at + 7]! << 24);
        return hi * 4294967296 + lo;
      }
      case 4:
        return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
      case 2:
        return ((b[at]! | (b[at + 1]! << 8)) << 16) >> 16;
      case 1:
        return (b[at]! << 24) >> 24;
      default:
        return fallback;
    }
  }
  return pInt(ev.params[i], fallback);
}

/** Unsigned value of parameter i without slicing (see paramInt). */
export function paramUint(ev: { params: Uint8Array[] }, i: number, fallback: number): number {
  const le = ev as unknown as Partial<LazyEvent>;
  if (le.buf !== undefined && typeof le.paramLength === 'function' && le.nparams !== undefined) {
    if (i >= le.nparams) return fallback;
    const len = le.paramLength(i);
    const v = paramInt(ev, i, fallback);
    if (len === 4) return v >>> 0;
    if (len === 2) return v & 0xffff;
    if (len === 1) return v & 0xff;
    return v < 0 && len === 8 ? v + 18446744073709551616 : v;
  }
  return pUint(ev.params[i], fallback);
}
