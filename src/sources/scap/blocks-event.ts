/**
 * Event blocks (EV, EVF, EV_V2, EVF_V2, EV_V2_LARGE, EVF_V2_LARGE and the legacy EV alias).
 * Spec: scap-format.md §1.9. One `EventRecord` per block; parameter bytes are located but not
 * sliced until `params` is first read, so walking millions of events allocates one object and
 * two bigints per event.
 */
import { EF, EVENT_MAX, EVENT_TABLE, EVENT_TABLE_0293 } from './event-table.js';
import type { EventBlockLayout } from './block-types.js';
import { ScapError, type ScapEvent } from './types.js';

/** notification (280) and infra (286) events of v1 blocks carry a len 3 bytes too long. */
const V1_LEN_QUIRK = new Set([280, 286]);

/** Per event type: parameter lengths are u32 (EF_LARGE_PAYLOAD). */
const LARGE = new Uint8Array(EVENT_MAX);
for (const e of EVENT_TABLE) if (e.flags & EF.EF_LARGE_PAYLOAD) LARGE[e.code] = 1;

/** Per event type: the largest nparams any table knows (start of the v1 inference loop). */
const MAX_NPARAMS = new Uint8Array(EVENT_MAX);
for (const e of EVENT_TABLE) MAX_NPARAMS[e.code] = Math.max(e.nparams, e.params.length);
for (const e of EVENT_TABLE_0293) MAX_NPARAMS[e.code] = Math.max(MAX_NPARAMS[e.code]!, e.nparams);

const NO_PARAMS: Uint8Array[] = [];

/** One decoded event block; implements the ScapEvent contract with lazily sliced params. */
export class EventRecord implements ScapEvent {
  offset: number;
  blockType: number;
  ts: bigint;
  /** the tid as read, when it is not a safe integer (else made from tidNum on access: no BigInt per event) */
  private tidBig: bigint | undefined;
  /** Number(tid), read without converting the BigInt (the state engine looks threads up by number; set with tid) */
  tidNum: number;
  cpu: number;
  type: number;
  flags: number | undefined;
  /** number of parameters */
  nparams: number;
  /** the bytes the event lives in, and where its length array / parameter data start */
  readonly buf: Uint8Array;
  readonly lensAt: number;
  readonly dataAt: number;
  /** 2 or 4: width of each parameter length */
  readonly lenWidth: number;
  private cached: Uint8Array[] | undefined;
  /** true once `params` was assigned (the bytes at dataAt no longer describe them) */
  replaced = false;

  constructor(
    offset: number, blockType: number, ts: bigint, tid: bigint | undefined, tidNum: number, cpu: number, type: number,
    flags: number | undefined, nparams: number, buf: Uint8Array, lensAt: number, dataAt: number, lenWidth: number,
  ) {
    this.offset = offset;
    this.blockType = blockType;
    this.ts = ts;
    this.tidBig = tid;
    this.tidNum = tidNum;
    this.cpu = cpu;
    this.type = type;
    this.flags = flags;
    this.nparams = nparams;
    this.buf = buf;
    this.lensAt = lensAt;
    this.dataAt = dataAt;
    this.lenWidth = lenWidth;
    this.cached = undefined;
    this.replaced = false;
  }

  get tid(): bigint {
    return this.tidBig ?? BigInt(this.tidNum);
  }
  set tid(v: bigint) {
    this.tidBig = v;
    this.tidNum = Number(v);
  }

  /** Raw bytes of each parameter (zero-length = absent). Sliced on first access, then cached. */
  get params(): Uint8Array[] {
    if (this.cached === undefined) this.cached = this.slice();
    return this.cached;
  }
  set params(p: Uint8Array[]) {
    this.cached = p;
    this.nparams = p.length;
    this.replaced = true;
  }

  /** Parameter i alone (undefined past the last), without slicing the others. */
  param(i: number): Uint8Array | undefined {
    if (this.cached !== undefined) return this.cached[i];
    if (i >= this.nparams) return undefined;
    let p = this.dataAt;
    for (let k = 0; k < i; k++) p += this.paramLength(k);
    return this.buf.subarray(p, p + this.paramLength(i));
  }

  /** Length of parameter i (without slicing). */
  paramLength(i: number): number {
    const b = this.buf;
    const at = this.lensAt + i * this.lenWidth;
    return this.lenWidth === 2 ? b[at]! | (b[at + 1]! << 8) : (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;
  }

  private slice(): Uint8Array[] {
    const n = this.nparams;
    if (n === 0) return NO_PARAMS;
    const out = new Array<Uint8Array>(n);
    let p = this.dataAt;
    for (let i = 0; i < n; i++) {
      const len = this.paramLength(i);
      out[i] = this.buf.subarray(p, p + len);
      p += len;
    }
    return out;
  }
}

function corrupt(msg: string, file: string, offset: number): never {
  throw new ScapError(`corrupted event: ${msg}`, file, offset);
}

/**
 * Parse the event block whose body spans [body, bodyEnd) of `buf`.
 * `base` is the stream offset of buf[0]; `blockOffset` the stream offset of the block.
 */
export function parseEventBlock(
  buf: Uint8Array, dv: DataView, body: number, bodyEnd: number, blockType: number, layout: EventBlockLayout,
  blockOffset: number, base: number, file: string,
): EventRecord {
  // (no closures here: this runs once per event, and tsx's keepNames makes each closure costly)
  let p = body;
  const pre = layout.hasFlags ? 6 : 2;
  if (bodyEnd - p < pre + layout.headerSize) corrupt(`block body of ${bodyEnd - p} bytes is shorter than an event header`, file, base + p);
  const cpu = dv.getUint16(p, true);
  p += 2;
  let flags: number | undefined;
  if (layout.hasFlags) {
    flags = dv.getUint32(p, true);
    p += 4;
  }
  const ev = p;
  const ts = dv.getBigUint64(ev, true);
  // Number(tid) without converting the BigInt: one rounding of the exact sum, as Number() does
  const tidNum = dv.getInt32(ev + 12, true) * 4294967296 + dv.getUint32(ev + 8, true);
  // exact as a number when safe: the BigInt is then made on access only
  const tid = Number.isSafeInteger(tidNum) ? undefined : dv.getBigInt64(ev + 8, true);
  let len = dv.getUint32(ev + 16, true);
  const type = dv.getUint16(ev + 20, true);
  const hdr = layout.headerSize;
  const known = type < EVENT_MAX;
  const w = (known ? LARGE[type] === 1 : layout.large) ? 4 : 2;
  const avail = bodyEnd - ev;
  let nparams: number;
  if (hdr === 26) {
    nparams = dv.getUint32(ev + 22, true);
    if (len < 26) corrupt(`length ${len} is shorter than the header`, file, base + ev + 16);
    if (len > avail) corrupt(`length ${len} exceeds the ${avail} bytes of the block`, file, base + ev + 16);
    if (26 + nparams * w > len) corrupt(`${nparams} parameters do not fit in length ${len}`, file, base + ev + 22);
    let sum = 0;
    const lensAt = ev + 26;
    for (let i = 0; i < nparams; i++) {
      const a = lensAt + i * w;
      sum += w === 2 ? buf[a]! | (buf[a + 1]! << 8) : dv.getUint32(a, true);
    }
    if (26 + nparams * w + sum > len) corrupt(`parameters (${sum} bytes) overrun the event length ${len}`, file, base + lensAt);
    return new EventRecord(blockOffset, blockType, ts, tid, tidNum, cpu, type, flags, nparams, buf, lensAt, lensAt + nparams * w, w);
  }
  // v1: no nparams on disk; infer it like libscap's next_event_from_file
  if (V1_LEN_QUIRK.has(type)) len -= 3;
  if (len < 22) corrupt(`length ${len} is shorter than the header`, file, base + ev + 16);
  if (len > avail) corrupt(`length ${len} exceeds the ${avail} bytes of the block`, file, base + ev + 16);
  const lensAt = ev + 22;
  if (!known) {
    // cannot infer the parameters of a type we do not know: keep the event without them
    return new EventRecord(blockOffset, blockType, ts, tid, tidNum, cpu, type, flags, 0, buf, lensAt, lensAt, w);
  }
  for (let n = MAX_NPARAMS[type]!; n >= 0; n--) {
    if (22 + n * w > len) continue;
    let end = 22 + n * w;
    for (let i = 0; i < n; i++) {
      const a = lensAt + i * w;
      end += w === 2 ? buf[a]! | (buf[a + 1]! << 8) : dv.getUint32(a, true);
    }
    if (end === len) return new EventRecord(blockOffset, blockType, ts, tid, tidNum, cpu, type, flags, n, buf, lensAt, lensAt + n * w, w);
    // libscap calls end < len a corrupted file; a longer guess may simply be wrong, so keep trying
  }
  return corrupt(`cannot infer the parameters of a v1 event of type ${type} with length ${len}`, file, base + ev + 16);
}
