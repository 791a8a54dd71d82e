/**
 * The rows of a loaded capture, packed: no object per row outlives the load.
 * Per-row event data lives in typed arrays, parameter bytes in shared 1 MiB
 * slabs (per row: u32 length of each parameter, then the bytes), and the
 * state a row refers to by number: a thread record (thread, fd table, host),
 * the fd and the event's own fd, and the resolved argument texts, each an
 * index into a list of the shared, immutable objects the state engine made.
 * `at(row)` (the table's `raw` column) makes the row's EventCtx on access,
 * so the lazy fields (fields.ts) read a loaded row as they read a live one.
 *
 * Why: kept per-row objects (an EventCtx and a copy of the event, ~250 bytes
 * each) and per-row pointers made most of a table load's time, in garbage
 * collection and write barriers.
 */
import { Interner, grown, type TypedArray } from '../../frames/columns.js';
import { EventRecord } from './blocks-event.js';
import { EVENT_TABLE_0293 } from './event-table.js';
import type { FdInfo, FdTable } from './fds.js';
import type { EventCtx, HostInfo } from './state.js';
import type { ThreadInfo } from './threads.js';
import type { ScapEvent } from './types.js';

const SLAB = 1 << 20;

/** A packed row's event: parameters are views into a slab, made on each access. */
export class PackedEvent implements ScapEvent {
  readonly offset: number;
  readonly blockType: number;
  readonly ts: bigint;
  /** the tid as a number when that is exact, else the BigInt */
  private readonly tidv: number | bigint;
  readonly cpu: number;
  readonly type: number;
  readonly flags: number | undefined;
  private readonly slab: Uint8Array;
  private readonly at: number;
  private readonly n: number;

  constructor(
    offset: number, blockType: number, ts: bigint, tid: number | bigint, cpu: number, type: number, flags: number | undefined,
    slab: Uint8Array, at: number, n: number,
  ) {
    this.offset = offset;
    this.blockType = blockType;
    this.ts = ts;
    this.tidv = tid;
    this.cpu = cpu;
    this.type = type;
    this.flags = flags;
    this.slab = slab;
    this.at = at;
    this.n = n;
  }

  get tid(): bigint {
    const t = this.tidv;
    return typeof t === 'number' ? BigInt(t) : t;
  }

  get params(): Uint8Array[] {
    const s = this.slab;
    const out = new Array<Uint8Array>(this.n);
    let hdr = this.at;
    let data = this.at + 4 * this.n;
    for (let i = 0; i < this.n; i++) {
      const len = (s[hdr]! | (s[hdr + 1]! << 8) | (s[hdr + 2]! << 16)) + s[hdr + 3]! * 0x1000000;
      out[i] = s.subarray(data, data + len);
      data += len;
      hdr += 4;
    }
    return out;
  }
}

/** What a row's thread gives it: the thread as it was, the fd table it used, the host (section) it ran on. */
export interface ThreadRecord {
  readonly thread: ThreadInfo | null;
  readonly fdTable: FdTable | null;
  readonly host: HostInfo;
}

export class PackedRows {
  private n = 0;
  // per row
  /** evt.rawtime */
  ts = new BigUint64Array(0);
  private latS = new BigUint64Array(0);
  private latE = new BigUint64Array(0);
  private prevTs = new BigUint64Array(0);
  private offset = new Float64Array(0);
  /** Number(tid); the exact BigInt in bigTids when that is not a safe integer */
  tid = new Float64Array(0);
  /** NaN: no flags (not an EVF block) */
  private flags = new Float64Array(0);
  private blockType = new Uint32Array(0);
  /** the event type (index into the event table) */
  type = new Uint16Array(0);
  private nparams = new Uint32Array(0);
  private slabNo = new Uint32Array(0);
  private slabAt = new Uint32Array(0);
  /** thread table epoch, -1 for none */
  private epoch = new Int32Array(0);
  /** evt.num */
  num = new Float64Array(0);
  cpu = new Int32Array(0);
  /** fd.num and proc.ppid, NaN for null */
  fdNum = new Float64Array(0);
  ppid = new Float64Array(0);
  /** index into threadRecords */
  threadRec = new Int32Array(0);
  /** indexes into fds (-1: none) */
  private fdRec = new Int32Array(0);
  private evtFdRec = new Int32Array(0);
  /** index into auxes (-1: none) */
  private auxRec = new Int32Array(0);
  // the shared objects rows refer to
  readonly threadRecords: ThreadRecord[] = [];
  /** the fds and argument-text arrays rows refer to, by dense id */
  private readonly fds = new Interner<FdInfo>();
  private readonly auxes = new Interner<(string | undefined)[]>();
  private readonly bigTids = new Map<number, bigint>();
  // lookups of those objects (the last one first: consecutive rows share them)
  private readonly threadIds = new Map<ThreadInfo | null, number[]>();
  private lastRec = -1;
  // parameter bytes
  private readonly slabs: Uint8Array[] = [];
  private slab: Uint8Array = new Uint8Array(0);
  private slabIndex = -1;
  private used = 0;
  // the last row made (consecutive reads of one row's fields make it once)
  private lastRow = -1;
  private lastCtx: EventCtx | null = null;

  get length(): number {
    return this.n;
  }

  private grow(): void {
    const i = this.n;
    const g = <A extends TypedArray>(a: A): A => grown(a, i, undefined, 4096);
    this.ts = g(this.ts);
    this.latS = g(this.latS);
    this.latE = g(this.latE);
    this.prevTs = g(this.prevTs);
    this.offset = g(this.offset);
    this.tid = g(this.tid);
    this.flags = g(this.flags);
    this.blockType = g(this.blockType);
    this.type = g(this.type);
    this.nparams = g(this.nparams);
    this.slabNo = g(this.slabNo);
    this.slabAt = g(this.slabAt);
    this.epoch = g(this.epoch);
    this.num = g(this.num);
    this.cpu = g(this.cpu);
    this.fdNum = g(this.fdNum);
    this.ppid = g(this.ppid);
    this.threadRec = g(this.threadRec);
    this.fdRec = g(this.fdRec);
    this.evtFdRec = g(this.evtFdRec);
    this.auxRec = g(this.auxRec);
  }

  /** Space for n bytes of parameters in the current slab (sets slab/slabIndex); returns the offset. */
  private take(n: number): number {
    if (n > SLAB) {
      this.slabs.push(new Uint8Array(n));
      this.slabIndex = this.slabs.length - 1;
      this.slab = this.slabs[this.slabIndex]!;
      this.used = this.slab.length;
      return 0;
    }
    if (this.slabIndex < 0 || this.used + n > this.slab.length) {
      this.slabs.push(new Uint8Array(SLAB));
      this.slabIndex = this.slabs.length - 1;
      this.slab = this.slabs[this.slabIndex]!;
      this.used = 0;
    }
    const at = this.used;
    this.used += (n + 3) & ~3;
    return at;
  }

  private threadId(t: ThreadInfo | null, fdTable: FdTable | null, host: HostInfo): number {
    const last = this.threadRecords[this.lastRec];
    if (last !== undefined && last.thread === t && last.fdTable === fdTable && last.host === host) return this.lastRec;
    let ids = this.threadIds.get(t);
    if (ids === undefined) this.threadIds.set(t, (ids = []));
    for (const id of ids) {
      const r = this.threadRecords[id]!;
      if (r.fdTable === fdTable && r.host === host) return (this.lastRec = id);
    }
    const id = this.threadRecords.length;
    this.threadRecords.push({ thread: t, fdTable, host });
    ids.push(id);
    return (this.lastRec = id);
  }

  /**
   * Appends an event context (after snapshotAux resolved its arguments);
   * returns its row. The context may be reused afterwards.
   */
  add(ctx: EventCtx): number {
    if (this.n === this.ts.length) this.grow();
    const i = this.n++;
    const ev = ctx.ev;
    const t = ctx.thread;
    this.ts[i] = ev.ts;
    this.latS[i] = ctx.latencyStart;
    this.latE[i] = ctx.latencyEnd;
    this.prevTs[i] = ctx.prevTs;
    this.offset[i] = ev.offset;
    const tn = ev instanceof EventRecord ? ev.tidNum : Number(ev.tid);
    this.tid[i] = tn;
    if (!Number.isSafeInteger(tn)) this.bigTids.set(i, ev.tid);
    this.flags[i] = ev.flags === undefined ? NaN : ev.flags;
    this.blockType[i] = ev.blockType;
    this.type[i] = ev.type;
    this.epoch[i] = ctx.epoch === undefined ? -1 : ctx.epoch;
    this.num[i] = ctx.num;
    this.cpu[i] = ev.cpu;
    this.fdNum[i] = ctx.fdNum === null ? NaN : ctx.fdNum;
    this.ppid[i] = t === null || ctx.ppid === null || ctx.ppid === undefined ? NaN : ctx.ppid;
    this.threadRec[i] = this.threadId(t, ctx.fdTable, ctx.host);
    this.fdRec[i] = this.fds.code(ctx.fd);
    this.evtFdRec[i] = ctx.evtFd === ctx.fd ? this.fdRec[i]! : this.fds.code(ctx.evtFd);
    this.auxRec[i] = this.auxes.code(ctx.aux);
    this.copyParams(i, ev);
    return i;
  }

  private copyParams(i: number, ev: ScapEvent): void {
    if (ev instanceof EventRecord && !ev.replaced) {
      // straight from the record's bytes: lengths, then the contiguous parameter data
      const n = ev.nparams;
      let dataLen = 0;
      for (let k = 0; k < n; k++) dataLen += ev.paramLength(k);
      const at = this.take(4 * n + dataLen);
      const slab = this.slab;
      this.nparams[i] = n;
      this.slabNo[i] = this.slabIndex;
      this.slabAt[i] = at;
      let hdr = at;
      for (let k = 0; k < n; k++) {
        const len = ev.paramLength(k);
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
    let total = 4 * ps.length;
    for (const p of ps) total += p.length;
    const at = this.take(total);
    const slab = this.slab;
    this.nparams[i] = ps.length;
    this.slabNo[i] = this.slabIndex;
    this.slabAt[i] = at;
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

  /** The row's event context, made on access (the same object for repeated reads of one row). */
  at(row: number): EventCtx | null {
    if (row === this.lastRow) return this.lastCtx;
    if (!(row >= 0 && row < this.n)) return null;
    const tn = this.tid[row]!;
    const f = this.flags[row]!;
    const ep = this.epoch[row]!;
    const type = this.type[row]!;
    const rec = this.threadRecords[this.threadRec[row]!]!;
    const fdn = this.fdNum[row]!;
    const ppid = this.ppid[row]!;
    const fd = this.fdRec[row]!;
    const evtFd = this.evtFdRec[row]!;
    const aux = this.auxRec[row]!;
    const ev = new PackedEvent(
      this.offset[row]!, this.blockType[row]!, this.ts[row]!, Number.isSafeInteger(tn) ? tn : this.bigTids.get(row)!, this.cpu[row]!, type,
      Number.isNaN(f) ? undefined : f, this.slabs[this.slabNo[row]!]!, this.slabAt[row]!, this.nparams[row]!,
    );
    // the same property order as the state engine's contexts (one shape for the field extractors);
    // pname is left to proc.pname's lookup in the versioned thread table at the row's epoch
    const ctx: EventCtx = {
      num: this.num[row]!, ev, info: EVENT_TABLE_0293[type]!, thread: rec.thread, fdNum: Number.isNaN(fdn) ? null : fdn,
      fd: this.fds.get(fd), evtFd: this.fds.get(evtFd), fdTable: rec.fdTable,
      latencyStart: this.latS[row]!, latencyEnd: this.latE[row]!, prevTs: this.prevTs[row]!, hidden: false, host: rec.host,
      aux: this.auxes.get(aux), ppid: Number.isNaN(ppid) ? null : ppid, pname: undefined, epoch: ep < 0 ? undefined : ep,
    };
    this.lastRow = row;
    this.lastCtx = ctx;
    return ctx;
  }

  *[Symbol.iterator](): Iterator<EventCtx | null> {
    for (let i = 0; i < this.n; i++) yield this.at(i);
  }

  toArray(): (EventCtx | null)[] {
    const out = new Array<EventCtx | null>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.at(i);
    return out;
  }
}
