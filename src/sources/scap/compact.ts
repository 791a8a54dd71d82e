/**
 * A compact copy of an event for rows kept in a table: parameter bytes are
 * copied into shared 1 MiB slabs (layout: u32 length of each parameter, then
 * the bytes), so a row holds no reference to the reader's big chunks and no
 * typed array of its own; `params` views are made on demand. At millions of
 * rows this is most of a loaded table's memory.
 */
import type { ScapEvent } from './types.js';
import { EventRecord } from './blocks-event.js';

const SLAB = 1 << 20;

/** Hands out space in shared slabs. */
export class SlabAllocator {
  private slab = new Uint8Array(SLAB);
  private used = 0;
  /** the slab and offset of the last `take` (no tuple per allocation) */
  lastSlab: Uint8Array = this.slab;
  lastAt = 0;
  alloc(n: number): [Uint8Array, number] {
    this.take(n);
    return [this.lastSlab, this.lastAt];
  }
  take(n: number): void {
    if (n > SLAB) {
      this.lastSlab = new Uint8Array(n);
      this.lastAt = 0;
      return;
    }
    if (this.used + n > this.slab.length) {
      this.slab = new Uint8Array(SLAB);
      this.used = 0;
    }
    this.lastSlab = this.slab;
    this.lastAt = this.used;
    this.used += (n + 3) & ~3;
  }
}

export class CompactEvent implements ScapEvent {
  readonly offset: number;
  readonly blockType: number;
  readonly ts: bigint;
  /** the tid as a number when that is exact (no BigInt kept per row), else the BigInt */
  private readonly tidv: number | bigint;
  readonly cpu: number;
  readonly type: number;
  readonly flags?: number;
  private readonly slab: Uint8Array;
  private readonly at: number;
  private readonly n: number;

  constructor(ev: ScapEvent, slabs: SlabAllocator) {
    this.offset = ev.offset;
    this.blockType = ev.blockType;
    this.ts = ev.ts;
    const tn = ev instanceof EventRecord ? ev.tidNum : Number(ev.tid);
    this.tidv = Number.isSafeInteger(tn) ? tn : ev.tid;
    this.cpu = ev.cpu;
    this.type = ev.type;
    if (ev.flags !== undefined) this.flags = ev.flags;
    if (ev instanceof EventRecord && !ev.replaced) {
      // straight from the record's bytes: lengths, then the contiguous parameter data
      const n = ev.nparams;
      this.n = n;
      let dataLen = 0;
      for (let i = 0; i < n; i++) dataLen += ev.paramLength(i);
      slabs.take(4 * n + dataLen);
      const slab = slabs.lastSlab;
      const at = slabs.lastAt;
      this.slab = slab;
      this.at = at;
      let hdr = at;
      for (let i = 0; i < n; i++) {
        const len = ev.paramLength(i);
        slab[hdr] = len & 255;
        slab[hdr + 1] = (len >>> 8) & 255;
        slab[hdr + 2] = (len >>> 16) & 255;
        slab[hdr + 3] = (len >>> 24) & 255;
        hdr += 4;
      }
      const src = ev.buf;
      const from = ev.dataAt;
      // most events carry a few dozen bytes: a loop beats a subarray + set
      if (dataLen <= 64) for (let k = 0; k < dataLen; k++) slab[hdr + k] = src[from + k]!;
      else slab.set(src.subarray(from, from + dataLen), hdr);
      return;
    }
    const ps = ev.params;
    this.n = ps.length;
    let total = 4 * ps.length;
    for (const p of ps) total += p.length;
    slabs.take(total);
    const slab = slabs.lastSlab;
    const at = slabs.lastAt;
    this.slab = slab;
    this.at = at;
    let hdr = at;
    let data = at + 4 * ps.length;
    for (const p of ps) {
      const len = p.length;
      slab[hdr] = len & 255;
      slab[hdr + 1] = (len >>> 8) & 255;
      slab[hdr + 2] = (len >>> 16) & 255;
      slab[hdr + 3] = (len >>> 24) & 255;
      hdr += 4;
      slab.set(p, data);
      data += len;
    }
  }

  get tid(): bigint {
    const t = this.tidv;
    return typeof t === 'number' ? BigInt(t) : t;
  }

  /** the parameters, as views into the slab (made on each access) */
  get params(): Uint8Array[] {
    const s = this.slab;
    const out = new Array<Uint8Array>(this.n);
    let hdr = this.at;
    let data = this.at + 4 * this.n;
    for (let i = 0; i < this.n; i++) {
      const len = (s[hdr]! | (s[hdr + 1]! << 8) | (s[hdr + 2]! << 16) | (s[hdr + 3]! << 24)) >>> 0;
      out[i] = s.subarray(data, data + len);
      data += len;
      hdr += 4;
    }
    return out;
  }
}
