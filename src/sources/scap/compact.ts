/**
 * A compact copy of an event for rows kept in a table: parameter bytes are
 * copied into shared 1 MiB slabs (layout: u32 length of each parameter, then
 * the bytes), so a row holds no reference to the reader's big chunks and no
 * typed array of its own; `params` views are made on demand. At millions of
 * rows this is most of a loaded table's memory.
 */
import type { ScapEvent } from './types.js';

const SLAB = 1 << 20;

/** Hands out space in shared slabs. */
export class SlabAllocator {
  private slab = new Uint8Array(SLAB);
  private used = 0;
  alloc(n: number): [Uint8Array, number] {
    if (n > SLAB) return [new Uint8Array(n), 0];
    if (this.used + n > this.slab.length) {
      this.slab = new Uint8Array(SLAB);
      this.used = 0;
    }
    const at = this.used;
    this.used += (n + 3) & ~3;
    return [this.slab, at];
  }
}

export class CompactEvent implements ScapEvent {
  readonly offset: number;
  readonly blockType: number;
  readonly ts: bigint;
  readonly tid: bigint;
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
    this.tid = ev.tid;
    this.cpu = ev.cpu;
    this.type = ev.type;
    if (ev.flags !== undefined) this.flags = ev.flags;
    const ps = ev.params;
    this.n = ps.length;
    let total = 4 * ps.length;
    for (const p of ps) total += p.length;
    const [slab, at] = slabs.alloc(total);
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
