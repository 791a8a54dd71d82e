/**
 * Parameter encoders: values -> raw param bytes, the inverse of decodeParam (params.ts), so a
 * generator can build events from values. Spec: scap-format.md §3.1.
 */
import { DYNAMIC_PARAM_TABLES, EVENT_TABLE, PARAM_TYPE_SIZE, PT, type EventInfo } from './event-table.js';
import { parseIpv4, parseIpv6 } from './net.js';
import { PPM_AF, type DynValue, type FdListEntry, type IpNet, type ParamValue, type SockAddr, type SockTuple } from './params.js';
import type { ScapEvent } from './types.js';

const utf8 = new TextEncoder();
const EMPTY = new Uint8Array(0);

function fixed(size: number, fill: (dv: DataView) => void): Uint8Array {
  const b = new Uint8Array(size);
  fill(new DataView(b.buffer));
  return b;
}

function toBig(v: ParamValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'boolean') return v ? 1n : 0n;
  throw new TypeError(`expected a number, got ${typeof v}`);
}

function toNum(v: ParamValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(BigInt.asIntN(64, v));
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new TypeError(`expected a number, got ${typeof v}`);
}

/** NUL-terminated string (the length includes the NUL). */
export function encodeCString(s: string): Uint8Array {
  const b = utf8.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

function ipBytes(s: string, family: 'inet' | 'inet6'): Uint8Array {
  return family === 'inet' ? parseIpv4(s) : parseIpv6(s);
}

export function encodeSockAddr(a: SockAddr): Uint8Array {
  switch (a.family) {
    case 'inet': {
      const b = new Uint8Array(7);
      b[0] = PPM_AF.INET;
      b.set(parseIpv4(a.addr), 1);
      new DataView(b.buffer).setUint16(5, a.port, true);
      return b;
    }
    case 'inet6': {
      const b = new Uint8Array(19);
      b[0] = PPM_AF.INET6;
      b.set(parseIpv6(a.addr), 1);
      new DataView(b.buffer).setUint16(17, a.port, true);
      return b;
    }
    case 'unix': {
      const p = encodeCString(a.path);
      const b = new Uint8Array(1 + p.length);
      b[0] = PPM_AF.UNIX;
      b.set(p, 1);
      return b;
    }
    default: {
      const b = new Uint8Array(1 + a.bytes.length);
      b[0] = a.code;
      b.set(a.bytes, 1);
      return b;
    }
  }
}

export function encodeSockTuple(t: SockTuple): Uint8Array {
  switch (t.family) {
    case 'inet':
    case 'inet6': {
      const n = t.family === 'inet' ? 4 : 16;
      const b = new Uint8Array(1 + 2 * (n + 2));
      const dv = new DataView(b.buffer);
      b[0] = t.family === 'inet' ? PPM_AF.INET : PPM_AF.INET6;
      b.set(ipBytes(t.sip, t.family), 1);
      dv.setUint16(1 + n, t.sport, true);
      b.set(ipBytes(t.dip, t.family), 3 + n);
      dv.setUint16(3 + 2 * n, t.dport, true);
      return b;
    }
    case 'unix': {
      const p = encodeCString(t.path);
      const b = new Uint8Array(17 + p.length);
      const dv = new DataView(b.buffer);
      b[0] = PPM_AF.UNIX;
      dv.setBigUint64(1, BigInt.asUintN(64, t.source), true);
      dv.setBigUint64(9, BigInt.asUintN(64, t.dest), true);
      b.set(p, 17);
      return b;
    }
    default: {
      const b = new Uint8Array(1 + t.bytes.length);
      b[0] = t.code;
      b.set(t.bytes, 1);
      return b;
    }
  }
}

export function encodeFdList(list: readonly FdListEntry[]): Uint8Array {
  const b = new Uint8Array(2 + 10 * list.length);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, list.length, true);
  list.forEach((e, i) => {
    dv.setBigInt64(2 + 10 * i, BigInt.asIntN(64, e.fd), true);
    dv.setInt16(10 + 10 * i, e.flags, true);
  });
  return b;
}

function ipAny(s: string): Uint8Array {
  return s.includes(':') ? parseIpv6(s) : parseIpv4(s);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Encode one parameter value for a PT_* type. `undefined` encodes as an empty (absent) param.
 * Strings for CHARBUF/FSPATH/FSRELPATH get their NUL; BYTEBUF takes bytes or a string.
 */
export function encodeParam(type: number, value: ParamValue, info?: string): Uint8Array {
  if (value === undefined) return EMPTY;
  const size = PARAM_TYPE_SIZE[type];
  switch (type) {
    case PT.PT_CHARBUF:
    case PT.PT_FSPATH:
    case PT.PT_FSRELPATH:
      return encodeCString(String(value));
    case PT.PT_BYTEBUF:
      return typeof value === 'string' ? utf8.encode(value) : (value as Uint8Array);
    case PT.PT_SOCKADDR:
      return encodeSockAddr(value as SockAddr);
    case PT.PT_SOCKTUPLE:
      return encodeSockTuple(value as SockTuple);
    case PT.PT_FDLIST:
      return encodeFdList(value as FdListEntry[]);
    case PT.PT_CHARBUFARRAY:
      return utf8.encode((value as string[]).map((s) => `${s}\0`).join(''));
    case PT.PT_CHARBUF_PAIR_ARRAY:
      return utf8.encode((value as [string, string][]).map(([a, b]) => `${a}\0${b}\0`).join(''));
    case PT.PT_IPV4ADDR:
      return parseIpv4(String(value));
    case PT.PT_IPV6ADDR:
      return parseIpv6(String(value));
    case PT.PT_IPADDR:
      return ipAny(String(value));
    case PT.PT_IPV4NET:
    case PT.PT_IPV6NET:
    case PT.PT_IPNET: {
      const n = value as IpNet;
      return concat([ipAny(n.addr), ipAny(n.netmask)]);
    }
    case PT.PT_DYN: {
      const d = value as DynValue;
      const entry = info ? DYNAMIC_PARAM_TABLES[info]?.[d.index] : undefined;
      const inner = encodeParam(entry?.type ?? d.type, d.value);
      return concat([Uint8Array.of(d.index), inner]);
    }
    case PT.PT_DOUBLE:
      return fixed(8, (dv) => dv.setFloat64(0, toNum(value), true));
    default:
      break;
  }
  if (value instanceof Uint8Array) return value;
  switch (size) {
    case 1:
      return Uint8Array.of(toNum(value) & 0xff);
    case 2:
      return fixed(2, (dv) => dv.setUint16(0, toNum(value) & 0xffff, true));
    case 4:
      return fixed(4, (dv) => dv.setUint32(0, toNum(value) >>> 0, true));
    case 8:
      return fixed(8, (dv) => dv.setBigUint64(0, BigInt.asUintN(64, toBig(value)), true));
    default:
      throw new TypeError(`cannot encode a value for param type ${type}`);
  }
}

/** A new event's fields, as ScapWriter.writeEvent takes them: an event without its place in a file. */
export type EventInput = Omit<ScapEvent, 'offset' | 'blockType'>;

/**
 * Build an event from values, by position or by parameter name, using the event table
 * (the params of `table[type]`, `nparams` of them unless `count` says otherwise).
 * Missing values become empty params.
 */
export function buildEvent(
  type: number, values: readonly ParamValue[] | Readonly<Record<string, ParamValue>>,
  head: { ts: bigint; tid: bigint; cpu?: number; flags?: number },
  table: readonly EventInfo[] = EVENT_TABLE, count?: number,
): EventInput {
  const info = table[type];
  if (!info) throw new RangeError(`unknown event type ${type}`);
  const n = count ?? info.nparams;
  const params: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const p = info.params[i];
    if (!p) throw new RangeError(`event ${info.name} (${type}) has no parameter ${i}`);
    const v = Array.isArray(values) ? (values as ParamValue[])[i] : (values as Record<string, ParamValue>)[p.name];
    params.push(encodeParam(p.type, v, p.info));
  }
  const e: EventInput = { ts: head.ts, tid: head.tid, cpu: head.cpu ?? 0, type, params };
  if (head.flags) e.flags = head.flags;
  return e;
}
