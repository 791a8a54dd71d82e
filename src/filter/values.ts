/**
 * Typed values for comparisons. A literal is converted once, at compile
 * time, to the type of the field it is compared with; row values are
 * converted on the fly (and cached per dictionary entry by compile.ts).
 */
import type { FieldType, Value } from '../fields/types.js';
import { compareAddress, inNetwork, parseAddress, parseNetwork, type Address, type Network } from './addresses.js';

/** A comparable scalar: numbers (number|bigint), ns timestamps (bigint), addresses, booleans, strings. */
export type Scalar =
  | { t: 'num'; v: number | bigint }
  | { t: 'time'; v: bigint }
  | { t: 'ip'; v: Address }
  | { t: 'net'; v: Network }
  | { t: 'bool'; v: boolean }
  | { t: 'str'; v: string };

/* ---------- numbers ---------- */

/** Parses numeric text (dec, hex, binary, octal with leading 0, float); bigint beyond 2^53. */
export function parseNumber(text: string): number | bigint | null {
  const s = text.trim();
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(s) || /^[+-]?0[bB][01]+$/.test(s)) {
    const neg = s.startsWith('-');
    const b = BigInt(s.replace(/^[+-]/, ''));
    return small(neg ? -b : b);
  }
  if (/^[+-]?0[0-7]+$/.test(s)) return small(BigInt((s.startsWith('-') ? '-' : '') + '0o' + s.replace(/^[+-]?0/, '')));
  if (/^[+-]?\d+$/.test(s)) return small(BigInt(s));
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return Number(s);
  return null;
}

function small(b: bigint): number | bigint {
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** Compares numbers and bigints exactly where possible. */
export function compareNum(a: number | bigint, b: number | bigint): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  if (typeof a === 'number' && !Number.isInteger(a)) return a < Number(b) ? -1 : a > Number(b) ? 1 : NaN;
  if (typeof b === 'number' && !Number.isInteger(b)) return Number(a) < b ? -1 : Number(a) > b ? 1 : NaN;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/* ---------- timestamps ---------- */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2}|UTC)?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WIRESHARK_TIME = /^([A-Za-z]{3}) +(\d{1,2}), +(\d{4})(?: +(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?: +(UTC|Z))?$/;

/** Parses RFC 3339 (or `YYYY-MM-DD[ HH:MM[:SS[.frac]]]`, or Wireshark's `Sep 26, 2004 23:18:04.954975`) to ns since epoch, UTC unless an offset is given. */
export function parseTimestamp(text: string): bigint | null {
  const s = text.trim();
  let m = RFC3339.exec(s);
  let y: number, mo: number, d: number, h = 0, mi = 0, sec = 0, frac = '', off = 0;
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    h = Number(m[4] ?? 0); mi = Number(m[5] ?? 0); sec = Number(m[6] ?? 0); frac = m[7] ?? '';
    const z = m[8];
    if (z && z !== 'Z' && z !== 'z' && z !== 'UTC') {
      const zz = z.replace(':', '');
      off = (zz.startsWith('-') ? -1 : 1) * (Number(zz.slice(1, 3)) * 60 + Number(zz.slice(3, 5)));
    }
  } else if ((m = WIRESHARK_TIME.exec(s))) {
    const month = MONTHS.indexOf(m[1]!.toLowerCase());
    if (month < 0) return null;
    [y, mo, d] = [Number(m[3]), month + 1, Number(m[2])];
    h = Number(m[4] ?? 0); mi = Number(m[5] ?? 0); sec = Number(m[6] ?? 0); frac = m[7] ?? '';
  } else return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec) - off * 60000;
  if (Number.isNaN(ms)) return null;
  return BigInt(ms) * 1000000n + BigInt((frac + '000000000').slice(0, 9));
}

/** A timestamp value (Date, bigint ns, number ms, RFC 3339 text) as ns since epoch. */
export function toNs(v: Value): bigint | null {
  if (v instanceof Date) {
    const t = v.getTime();
    return Number.isNaN(t) ? null : BigInt(t) * 1000000n;
  }
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.round(v * 1e6)) : null;
  if (typeof v === 'string') return parseTimestamp(v);
  return null;
}

/** RFC 3339 text of ns since epoch, with as many fractional digits as needed. */
export function formatNs(ns: bigint): string {
  const ms = ns / 1000000n;
  const iso = new Date(Number(ms)).toISOString().slice(0, 19);
  const frac = ((ns % 1000000000n) + 1000000000n) % 1000000000n;
  const f = frac === 0n ? '' : '.' + frac.toString().padStart(9, '0').replace(/0+$/, '');
  return `${iso}${f}Z`;
}

/* ---------- values as scalars of a type ---------- */

/** The string form of any value (what `string()`, `contains` and slices see). */
export function valueToString(v: Value): string {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

const BOOL_TEXT: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false };

/** Converts a row value to a comparable scalar of `type` (null: not convertible, compares unequal). */
export function toScalar(type: FieldType, v: Value): Scalar | null {
  if (v === null) return null;
  switch (type) {
    case 'number': {
      if (typeof v === 'number' || typeof v === 'bigint') return { t: 'num', v };
      if (typeof v === 'boolean') return { t: 'num', v: v ? 1 : 0 };
      if (typeof v === 'string') {
        const n = parseNumber(v);
        return n === null ? { t: 'str', v } : { t: 'num', v: n };
      }
      return null;
    }
    case 'timestamp': {
      const ns = toNs(v);
      return ns === null ? { t: 'str', v: valueToString(v) } : { t: 'time', v: ns };
    }
    case 'ip': {
      const s = valueToString(v);
      const a = parseAddress(s);
      return a ? { t: 'ip', v: a } : { t: 'str', v: s };
    }
    case 'bool': {
      if (typeof v === 'boolean') return { t: 'bool', v };
      if (typeof v === 'number') return { t: 'bool', v: v !== 0 };
      const b = BOOL_TEXT[valueToString(v).toLowerCase()];
      return b === undefined ? { t: 'str', v: valueToString(v) } : { t: 'bool', v: b };
    }
    default:
      return { t: 'str', v: valueToString(v) };
  }
}

/**
 * Converts a literal written in a filter to `type`. Throws an Error with a
 * message (the checker adds the position) when the text cannot be one.
 * `kind` says which message kind the checker should use.
 */
export function literalScalar(type: FieldType, text: string, style: 'quoted' | 'bare' | 'number'): Scalar {
  switch (type) {
    case 'number': {
      const n = parseNumber(text);
      if (n === null) throw new ValueError('bad-value', `"${text}" is not a number`);
      return { t: 'num', v: n };
    }
    case 'timestamp': {
      if (style === 'number') {
        const n = parseNumber(text);
        if (n !== null) return { t: 'time', v: typeof n === 'bigint' ? n : BigInt(Math.round(n)) };
      }
      const ns = parseTimestamp(text);
      if (ns === null) throw new ValueError('bad-value', `"${text}" is not a timestamp (use RFC 3339, e.g. "2023-07-10T12:00:00Z", or ns since the epoch)`);
      return { t: 'time', v: ns };
    }
    case 'ip': {
      let net: Network | null;
      try {
        net = parseNetwork(text);
      } catch (e) {
        throw new ValueError('bad-cidr', (e as Error).message);
      }
      if (net) return { t: 'net', v: net };
      const a = parseAddress(text);
      if (a) return { t: 'ip', v: a };
      if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(text)) throw new ValueError('bad-value', `"${text}" is not a valid IPv4 address`);
      if (style === 'number') throw new ValueError('bad-value', `"${text}" is not an IP address`);
      return { t: 'str', v: text }; // host names (ct.srcip can be "ec2.amazonaws.com")
    }
    case 'bool': {
      const b = BOOL_TEXT[text.toLowerCase()];
      if (b === undefined) throw new ValueError('bad-value', `"${text}" is not a boolean (true/false)`);
      return { t: 'bool', v: b };
    }
    default:
      return { t: 'str', v: text };
  }
}

export class ValueError extends Error {
  constructor(readonly kind: 'bad-value' | 'bad-cidr', message: string) {
    super(message);
  }
}

/**
 * Orders two scalars: negative, zero, positive, or NaN when they do not
 * compare (different kinds). A network equals (0) every address inside it.
 */
export function compareScalar(a: Scalar, b: Scalar): number {
  if (a.t === 'str' || b.t === 'str') {
    if (a.t !== 'str' || b.t !== 'str') return NaN;
    return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  }
  if (a.t === 'num' && b.t === 'num') return compareNum(a.v, b.v);
  if (a.t === 'time' && b.t === 'time') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if (a.t === 'bool' && b.t === 'bool') return Number(a.v) - Number(b.v);
  if (a.t === 'ip' && b.t === 'ip') return compareAddress(a.v, b.v);
  if (a.t === 'ip' && b.t === 'net') return inNetwork(a.v, b.v) ? 0 : compareAddress(a.v, b.v);
  if (a.t === 'net' && b.t === 'ip') return inNetwork(b.v, a.v) ? 0 : compareAddress(a.v, b.v);
  if (a.t === 'net' && b.t === 'net') return compareAddress(a.v, b.v) || a.v.prefix - b.v.prefix;
  return NaN;
}
