/**
 * Parameter decoding: raw param bytes -> values, for every PT_* type (scap-format.md §3.1), and
 * `paramsOf(event)` naming each parameter from the event table. Zero-length params are absent
 * (undefined). Malformed widths never throw: integers read the bytes that are there.
 *
 * Value conventions: 8/16/32-bit integers are numbers, 64-bit ones (INT64, UINT64, ERRNO, FD,
 * PID, RELTIME, ABSTIME) bigints; strings stop at the first NUL; IPs are text.
 */
import { bytesToString, splitNul } from './cursor.js';
import { DYNAMIC_PARAM_TABLES, EVENT_TABLE, PT, type EventInfo } from './event-table.js';
import { ipv4ToString, ipv6ToString } from './net.js';
import type { ScapEvent } from './types.js';

/** PPM_AF_* socket families as they appear in SOCKADDR/SOCKTUPLE params. */
export const PPM_AF = { UNSPEC: 0, UNIX: 1, INET: 2, INET6: 10, NETLINK: 16 } as const;

export type SockAddr =
  | { family: 'inet'; addr: string; port: number }
  | { family: 'inet6'; addr: string; port: number }
  | { family: 'unix'; path: string }
  | { family: 'other'; code: number; bytes: Uint8Array };

export type SockTuple =
  | { family: 'inet'; sip: string; sport: number; dip: string; dport: number }
  | { family: 'inet6'; sip: string; sport: number; dip: string; dport: number }
  | { family: 'unix'; source: bigint; dest: bigint; path: string }
  | { family: 'other'; code: number; bytes: Uint8Array };

export interface FdListEntry {
  fd: bigint;
  /** poll event flags (poll_flags table) */
  flags: number;
}

export interface DynValue {
  /** index into the dynamic table */
  index: number;
  /** PT_* of the chosen entry */
  type: number;
  value: ParamValue;
}

export interface IpNet {
  addr: string;
  netmask: string;
}

export type ParamValue =
  | undefined
  | number
  | bigint
  | boolean
  | string
  | Uint8Array
  | SockAddr
  | SockTuple
  | FdListEntry[]
  | string[]
  | [string, string][]
  | DynValue
  | IpNet;

const EMPTY = new Uint8Array(0);

function dvOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Little-endian unsigned integer of up to 6 bytes as a number. */
function uintLE(b: Uint8Array, n: number): number {
  let v = 0;
  for (let i = Math.min(n, b.length, 6) - 1; i >= 0; i--) v = v * 256 + b[i]!;
  return v;
}

/** 8-byte scratch: copying into it is ~5x cheaper than a DataView per value. */
const SCRATCH = new Uint8Array(8);
const SCRATCH_DV = new DataView(SCRATCH.buffer);

function load8(b: Uint8Array): DataView {
  SCRATCH[0] = b[0]!;
  SCRATCH[1] = b[1]!;
  SCRATCH[2] = b[2]!;
  SCRATCH[3] = b[3]!;
  SCRATCH[4] = b[4]!;
  SCRATCH[5] = b[5]!;
  SCRATCH[6] = b[6]!;
  SCRATCH[7] = b[7]!;
  return SCRATCH_DV;
}

function u64(b: Uint8Array): bigint {
  if (b.length >= 8) return load8(b).getBigUint64(0, true);
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

function i64(b: Uint8Array): bigint {
  if (b.length >= 8) return load8(b).getBigInt64(0, true);
  // a shorter value is sign-extended from its own width
  return b.length === 0 ? 0n : BigInt.asIntN(b.length * 8, u64(b));
}

function sint(b: Uint8Array, width: number): number {
  const n = Math.min(width, b.length);
  const v = uintLE(b, n);
  const bits = n * 8;
  return n > 0 && v >= 2 ** (bits - 1) ? v - 2 ** bits : v;
}

/** A C string: up to the first NUL (or the end). */
export function cString(b: Uint8Array): string {
  let e = 0;
  while (e < b.length && b[e] !== 0) e++;
  return bytesToString(b, 0, e);
}

export function decodeSockAddr(b: Uint8Array): SockAddr | undefined {
  if (b.length === 0) return undefined;
  const fam = b[0]!;
  if (fam === PPM_AF.INET && b.length >= 7) return { family: 'inet', addr: ipv4ToString(b, 1), port: b[5]! | (b[6]! << 8) };
  if (fam === PPM_AF.INET6 && b.length >= 19) return { family: 'inet6', addr: ipv6ToString(b, 1), port: b[17]! | (b[18]! << 8) };
  if (fam === PPM_AF.UNIX) return { family: 'unix', path: cString(b.subarray(1)) };
  return { family: 'other', code: fam, bytes: b.subarray(1) };
}

export function decodeSockTuple(b: Uint8Array): SockTuple | undefined {
  if (b.length === 0) return undefined;
  const fam = b[0]!;
  if (fam === PPM_AF.INET && b.length >= 13) {
    return { family: 'inet', sip: ipv4ToString(b, 1), sport: b[5]! | (b[6]! << 8), dip: ipv4ToString(b, 7), dport: b[11]! | (b[12]! << 8) };
  }
  if (fam === PPM_AF.INET6 && b.length >= 37) {
    return { family: 'inet6', sip: ipv6ToString(b, 1), sport: b[17]! | (b[18]! << 8), dip: ipv6ToString(b, 19), dport: b[35]! | (b[36]! << 8) };
  }
  if (fam === PPM_AF.UNIX && b.length >= 17) {
    const dv = dvOf(b);
    return { family: 'unix', source: dv.getBigUint64(1, true), dest: dv.getBigUint64(9, true), path: cString(b.subarray(17)) };
  }
  return { family: 'other', code: fam, bytes: b.subarray(1) };
}

export function decodeFdList(b: Uint8Array): FdListEntry[] {
  if (b.length < 2) return [];
  const dv = dvOf(b);
  const n = dv.getUint16(0, true);
  const out: FdListEntry[] = [];
  for (let i = 0, p = 2; i < n && p + 10 <= b.length; i++, p += 10) {
    out.push({ fd: dv.getBigInt64(p, true), flags: dv.getInt16(p + 8, true) });
  }
  return out;
}

function ipText(b: Uint8Array): string {
  return b.length === 16 ? ipv6ToString(b) : b.length >= 4 ? ipv4ToString(b) : '';
}

/**
 * Decode one parameter. `info` is the param's table name (needed for PT_DYN, whose first byte
 * indexes DYNAMIC_PARAM_TABLES[info]).
 */
export function decodeParam(type: number, bytes: Uint8Array | undefined, info?: string): ParamValue {
  const b = bytes ?? EMPTY;
  if (b.length === 0) return undefined;
  switch (type) {
    case PT.PT_INT8:
      return sint(b, 1);
    case PT.PT_INT16:
      return sint(b, 2);
    case PT.PT_INT32:
    case PT.PT_FD32:
    case PT.PT_PID32:
      return sint(b, 4);
    case PT.PT_UINT8:
    case PT.PT_FLAGS8:
    case PT.PT_ENUMFLAGS8:
    case PT.PT_SIGTYPE:
    case PT.PT_L4PROTO:
    case PT.PT_SOCKFAMILY:
      return uintLE(b, 1);
    case PT.PT_UINT16:
    case PT.PT_FLAGS16:
    case PT.PT_ENUMFLAGS16:
    case PT.PT_SYSCALLID:
    case PT.PT_PORT:
      return uintLE(b, 2);
    case PT.PT_UINT32:
    case PT.PT_FLAGS32:
    case PT.PT_ENUMFLAGS32:
    case PT.PT_UID:
    case PT.PT_GID:
    case PT.PT_MODE:
    case PT.PT_SIGSET:
      return uintLE(b, 4);
    case PT.PT_BOOL:
      return uintLE(b, 4) !== 0;
    case PT.PT_INT64:
    case PT.PT_ERRNO:
    case PT.PT_FD:
    case PT.PT_PID:
      return i64(b);
    case PT.PT_UINT64:
    case PT.PT_RELTIME:
    case PT.PT_ABSTIME:
      return u64(b);
    case PT.PT_DOUBLE:
      return b.length >= 8 ? load8(b).getFloat64(0, true) : Number.NaN;
    case PT.PT_CHARBUF:
    case PT.PT_FSPATH:
    case PT.PT_FSRELPATH:
      return cString(b);
    case PT.PT_BYTEBUF:
      return b;
    case PT.PT_SOCKADDR:
      return decodeSockAddr(b);
    case PT.PT_SOCKTUPLE:
      return decodeSockTuple(b);
    case PT.PT_FDLIST:
      return decodeFdList(b);
    case PT.PT_CHARBUFARRAY:
      return splitNul(b, 0, b.length);
    case PT.PT_CHARBUF_PAIR_ARRAY: {
      const s = splitNul(b, 0, b.length);
      const out: [string, string][] = [];
      for (let i = 0; i + 1 < s.length; i += 2) out.push([s[i]!, s[i + 1]!]);
      return out;
    }
    case PT.PT_IPV4ADDR:
      return b.length >= 4 ? ipv4ToString(b) : undefined;
    case PT.PT_IPV6ADDR:
      return b.length >= 16 ? ipv6ToString(b) : undefined;
    case PT.PT_IPADDR:
      return ipText(b);
    case PT.PT_IPV4NET:
    case PT.PT_IPV6NET:
    case PT.PT_IPNET: {
      const half = b.length >> 1;
      return { addr: ipText(b.subarray(0, half)), netmask: ipText(b.subarray(half)) };
    }
    case PT.PT_DYN: {
      const index = b[0]!;
      const entry = info ? DYNAMIC_PARAM_TABLES[info]?.[index] : undefined;
      const rest = b.subarray(1);
      if (!entry) return { index, type: PT.PT_BYTEBUF, value: rest };
      return { index, type: entry.type, value: decodeParam(entry.type, rest) };
    }
    default:
      return b;
  }
}

export interface ParamView {
  name: string;
  /** PT_* */
  type: number;
  /** PF_* */
  fmt: number;
  /** flag/enum/dynamic table name, if any */
  info?: string;
  /** PT_FSRELPATH: index of the dirfd param */
  dirfd?: number;
  value: ParamValue;
}

/** The event's table entry (current libs by default; pass EVENT_TABLE_0293 for 0.29.3 semantics). */
export function eventInfo(type: number, table: readonly EventInfo[] = EVENT_TABLE): EventInfo | undefined {
  return table[type];
}

/**
 * Every parameter of an event, named and decoded with the event table. Parameters beyond the
 * table (or of an unknown event type) are named param<N> and kept as bytes.
 */
export function paramsOf(event: ScapEvent, table: readonly EventInfo[] = EVENT_TABLE): ParamView[] {
  const info = table[event.type];
  return event.params.map((bytes, i) => {
    const p = info?.params[i];
    if (!p) return { name: `param${i + 1}`, type: PT.PT_BYTEBUF, fmt: 0, value: bytes.length ? bytes : undefined };
    const v: ParamView = { name: p.name, type: p.type, fmt: p.fmt, value: decodeParam(p.type, bytes, p.info) };
    if (p.info !== undefined) v.info = p.info;
    if (p.dirfd !== undefined) v.dirfd = p.dirfd;
    return v;
  });
}

/** One parameter by index, decoded (undefined if absent). */
export function paramAt(event: ScapEvent, i: number, table: readonly EventInfo[] = EVENT_TABLE): ParamValue {
  const p = table[event.type]?.params[i];
  const bytes = event.params[i];
  if (!bytes) return undefined;
  return p ? decodeParam(p.type, bytes, p.info) : bytes;
}

/** One parameter by name, decoded (undefined if absent or unknown). */
export function paramByName(event: ScapEvent, name: string, table: readonly EventInfo[] = EVENT_TABLE): ParamValue {
  const params = table[event.type]?.params;
  if (!params) return undefined;
  const i = params.findIndex((p) => p.name === name);
  return i < 0 ? undefined : paramAt(event, i, table);
}
