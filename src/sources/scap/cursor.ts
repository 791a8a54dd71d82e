/**
 * A bounds-checked little-endian reader over one block's body, for the metadata blocks
 * (MI, IL, UL, PL, FDL). Every overrun is a ScapError naming the file and stream offset.
 */
import { ScapError } from './types.js';

const utf8 = new TextDecoder('utf-8');

/** Decode bytes as text: ASCII fast path, else UTF-8 (invalid sequences become U+FFFD). */
export function bytesToString(b: Uint8Array, start: number, end: number): string {
  if (end - start < 64) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c >= 0x80) return utf8.decode(b.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(b.subarray(start, end));
}

export class Cursor {
  readonly bytes: Uint8Array;
  readonly dv: DataView;
  /** current position within `bytes` */
  pos: number;
  /** end of the readable region within `bytes` */
  end: number;
  readonly file: string;
  /** stream offset of bytes[0] */
  readonly base: number;

  constructor(bytes: Uint8Array, dv: DataView, pos: number, end: number, file: string, base: number) {
    this.bytes = bytes;
    this.dv = dv;
    this.pos = pos;
    this.end = end;
    this.file = file;
    this.base = base;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Stream offset of the current position. */
  get offset(): number {
    return this.base + this.pos;
  }

  fail(message: string, at = this.pos): never {
    throw new ScapError(message, this.file, this.base + at);
  }

  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) {
      this.fail(`${what}: needs ${n} bytes but only ${this.end - this.pos} remain in the block`);
    }
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.dv.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(what: string): bigint {
    this.need(8, what);
    const v = this.dv.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  i64(what: string): bigint {
    this.need(8, what);
    const v = this.dv.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }
  raw(n: number, what: string): Uint8Array {
    this.need(n, what);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }
  /** u16 length + bytes (not NUL-terminated on disk), with libscap's maximum length check. */
  str16(what: string, max = 65535): string {
    const len = this.u16(`${what} length`);
    if (len > max) this.fail(`${what}: length ${len} exceeds the limit ${max}`, this.pos - 2);
    this.need(len, what);
    const s = bytesToString(this.bytes, this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
  /** u16 length + NUL-separated strings (args, env, cgroups): a trailing NUL adds no entry. */
  strList16(what: string, max = 65535): string[] {
    const len = this.u16(`${what} length`);
    if (len > max) this.fail(`${what}: length ${len} exceeds the limit ${max}`, this.pos - 2);
    this.need(len, what);
    const out = splitNul(this.bytes, this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
}

/** Split NUL-separated strings the way libsinsp's set_args does: a trailing NUL adds no entry. */
export function splitNul(b: Uint8Array, start: number, end: number): string[] {
  const out: string[] = [];
  let s = start;
  while (s < end) {
    let e = s;
    while (e < end && b[e] !== 0) e++;
    out.push(bytesToString(b, s, e));
    s = e + 1;
  }
  return out;
}
