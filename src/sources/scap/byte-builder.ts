/**
 * A growable little-endian byte buffer for the writer, with block framing helpers
 * (type, length, body, zero padding to 4, repeated length: scap-format.md §1.2).
 */
const utf8 = new TextEncoder();

export class ByteBuilder {
  buf: Uint8Array;
  dv: DataView;
  length = 0;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
    this.dv = new DataView(this.buf.buffer);
  }

  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.length));
    this.buf = nb;
    this.dv = new DataView(nb.buffer);
  }

  u8(v: number): this {
    this.reserve(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.reserve(2);
    this.dv.setUint16(this.length, v & 0xffff, true);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.reserve(4);
    this.dv.setUint32(this.length, v >>> 0, true);
    this.length += 4;
    return this;
  }
  u64(v: bigint | number): this {
    this.reserve(8);
    this.dv.setBigUint64(this.length, BigInt.asUintN(64, BigInt(v)), true);
    this.length += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  zeros(n: number): this {
    this.reserve(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
    return this;
  }
  /** u16 length + UTF-8 bytes (no NUL), as the metadata blocks store strings. */
  str16(s: string): this {
    const b = utf8.encode(s);
    if (b.length > 0xffff) throw new RangeError(`string of ${b.length} bytes does not fit a u16 length`);
    return this.u16(b.length).bytes(b);
  }
  /** u16 length + NUL-terminated entries (args, env, cgroups). */
  strList16(list: readonly string[] | undefined): this {
    return this.str16((list ?? []).map((s) => `${s}\0`).join(''));
  }

  /** Start a block; returns the mark to pass to endBlock. */
  beginBlock(type: number): number {
    const mark = this.length;
    this.u32(type).u32(0);
    return mark;
  }
  /** Pad the body to 4 bytes, append the trailer and patch the header length. */
  endBlock(mark: number): void {
    const pad = (4 - ((this.length - mark) % 4)) % 4;
    this.zeros(pad);
    const total = this.length - mark + 4;
    this.u32(total);
    this.dv.setUint32(mark + 4, total, true);
  }
  /** u32 placeholder for an entry length; returns its position. */
  lengthMark(): number {
    const at = this.length;
    this.u32(0);
    return at;
  }
  patchU32(at: number, v: number): void {
    this.dv.setUint32(at, v >>> 0, true);
  }

  /** Take the bytes written so far (a copy) and reset. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    return out;
  }
}
