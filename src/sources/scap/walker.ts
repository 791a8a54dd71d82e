/**
 * The block walker: turns a byte stream (fed in chunks, or all at once) into ScapBlocks.
 * Spec: scap-format.md §1.2 (framing), §1.3 (SHB), §1.10 (reader algorithm), §7.
 *
 * Feed it with `push(chunk)`, call `next()` until it returns undefined (needs more bytes), and
 * `end()` at EOF; then `next()` drains the rest. Blocks keep referencing the chunk memory, which
 * is never reused, so earlier blocks stay valid.
 */
import { BT, PL_VERSION, READER_BUF_SIZE, SHB_MAGIC, blockTypeName, eventBlockLayout } from './block-types.js';
import { parseEventBlock } from './blocks-event.js';
import { parseFdList } from './blocks-fdlist.js';
import { parseInterfaces, parseMachineInfo, parseUsers } from './blocks-meta.js';
import { parseProcessList } from './blocks-proclist.js';
import { Cursor } from './cursor.js';
import { ScapError, type ScapBlock, type ScapEvent } from './types.js';

export interface WalkOptions {
  /** name used in errors and warnings (default "<buffer>") */
  file?: string;
  /** called for recoverable problems: skipped unknown or malformed blocks, truncation in 'warn' mode */
  onWarning?: (warning: ScapError) => void;
  /** what a partial block at EOF does: throw (default) or warn and end cleanly */
  truncated?: 'error' | 'warn';
  /**
   * every event comes in the same `{kind: 'event', event}` object, refilled by the next call
   * (consumers that use a block before asking for the next one and keep only `event`)
   */
  reuseEventBlock?: boolean;
}

const EMPTY = new Uint8Array(0);
/** Largest block accepted (a corrupt length must not make a stream reader buffer gigabytes). */
const MAX_BLOCK = 256 * 1024 * 1024;
/** How far past a malformed interface-list block to look for the next block. */
const RESYNC_WINDOW = 1024 * 1024;

const KNOWN_TYPES = new Set<number>(Object.values(BT));
/** Bytes of metadata blocks kept to recognise repeats (beyond it the cache starts over). */
const META_CACHE_BYTES = 32 * 1024 * 1024;

/** A decoded metadata block and the bytes it was decoded from. */
interface MetaCached {
  bytes: Buffer;
  block: ScapBlock;
}
const IL_TYPES = new Set<number>([BT.IL, BT.IL_INT, BT.IL_V2]);

export class BlockWalker {
  readonly file: string;
  private readonly onWarning: ((w: ScapError) => void) | undefined;
  private readonly truncMode: 'error' | 'warn';
  private readonly eventBlock: { kind: 'event'; event: ScapEvent } | null;
  private buf: Uint8Array = EMPTY;
  private dv: DataView = new DataView(new ArrayBuffer(0));
  /** position of the next block within buf */
  private pos = 0;
  /** stream offset of buf[0] */
  private base = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private eof = false;
  private started = false;
  private done = false;
  private quiet = false;
  /** total bytes pushed so far */
  streamLength = 0;
  /**
   * Metadata blocks (process, fd, user and interface lists, machine info) already decoded, by
   * type, length and first bytes. Every section of a concatenated capture repeats them byte for
   * byte: a repeat shares the decoded entries (nobody mutates them) instead of decoding again.
   */
  private metaCache = new Map<string, MetaCached[]>();
  private metaCacheBytes = 0;
  /** the last block type seen and its event layout */
  private layoutType = -1;
  private layout: ReturnType<typeof eventBlockLayout> = undefined;

  constructor(opts: WalkOptions = {}) {
    this.file = opts.file ?? '<buffer>';
    this.onWarning = opts.onWarning;
    this.truncMode = opts.truncated ?? 'error';
    this.eventBlock = opts.reuseEventBlock ? { kind: 'event', event: null as unknown as ScapEvent } : null;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.streamLength += chunk.length;
    if (this.pos >= this.buf.length && this.pending.length === 0) {
      this.base += this.buf.length;
      this.setBuf(chunk);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
  }

  end(): void {
    this.eof = true;
  }

  private setBuf(b: Uint8Array): void {
    // a plain Uint8Array view of a Buffer chunk: parameter subarrays are then plain views
    // (Buffer's subarray is several times slower), as they are for blocks across chunks
    if (Buffer.isBuffer(b)) b = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    this.buf = b;
    this.pos = 0;
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  /** Make at least n bytes available from pos; false if the stream has not delivered them yet. */
  private ensure(n: number): boolean {
    let have = this.buf.length - this.pos;
    if (have >= n) return true;
    if (have + this.pendingBytes < n) return false;
    // this chunk is used up: go on in the next one, without copying it
    while (have === 0 && this.pending.length) {
      const c = this.pending.shift()!;
      this.pendingBytes -= c.length;
      this.base += this.pos;
      this.setBuf(c);
      have = c.length;
      if (have >= n) return true;
    }
    // a block across chunks: copy only its n bytes (the rest of the chunks stays where it is)
    const merged = new Uint8Array(n);
    merged.set(this.buf.subarray(this.pos), 0);
    let at = have;
    while (at < n) {
      const c = this.pending[0]!;
      const take = Math.min(c.length, n - at);
      merged.set(take === c.length ? c : c.subarray(0, take), at);
      at += take;
      if (take === c.length) this.pending.shift();
      else this.pending[0] = c.subarray(take);
      this.pendingBytes -= take;
    }
    this.base += this.pos;
    this.setBuf(merged);
    return true;
  }

  private fail(message: string, offset: number): never {
    this.done = true;
    throw new ScapError(message, this.file, offset);
  }

  private warn(message: string, offset: number): void {
    this.onWarning?.(new ScapError(message, this.file, offset));
  }

  /** Bytes not yet consumed. */
  private get available(): number {
    return this.buf.length - this.pos + this.pendingBytes;
  }

  /** True when every byte received so far belongs to a complete block. */
  atBlockBoundary(): boolean {
    return this.available === 0;
  }

  /**
   * The next complete block, or undefined when more input is needed or the stream is done.
   * `quietEnd`: the input ended because of an error the caller raises itself, so a partial
   * block at the end is dropped silently instead of being reported as truncation.
   */
  next(quietEnd = false): ScapBlock | undefined {
    if (this.done) return undefined;
    if (quietEnd && this.eof) this.quiet = true;
    const at = this.base + this.pos;
    if (!this.ensure(8)) {
      if (!this.eof) return undefined;
      const left = this.available;
      if (!this.started) {
        this.fail(left === 0 ? 'empty file: not a scap capture' : `not a scap capture: only ${left} bytes`, at);
      }
      if (left === 0) {
        this.done = true;
        return undefined;
      }
      return this.truncatedAt(at, 8, left);
    }
    const dv = this.dv;
    const p = this.pos;
    const type = dv.getUint32(p, true);
    const len = dv.getUint32(p + 4, true);
    if (!this.started) {
      if (type !== BT.SHB) this.fail(`not a scap capture: the first block type is 0x${type.toString(16)}, not a section header block`, at);
      this.started = true;
    }
    if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) {
      this.fail(`corrupt block length ${len} for ${blockTypeName(type)} (must be >= 12 and a multiple of 4)`, at);
    }
    // one block type after another is the rule (events): skip the layout map lookup then
    let layout = this.layout;
    if (type !== this.layoutType) {
      layout = eventBlockLayout(type);
      this.layoutType = type;
      this.layout = layout;
    }
    if (layout && !layout.large && len - 8 > READER_BUF_SIZE) {
      this.fail(`corrupt block length ${len}: a ${blockTypeName(type)} block is limited to ${READER_BUF_SIZE + 8} bytes`, at);
    }
    if (!this.ensure(len)) {
      if (!this.eof) return undefined;
      return this.truncatedAt(at, len, this.available);
    }
    const trailer = this.dv.getUint32(this.pos + len - 4, true);
    if (trailer !== len) {
      if (IL_TYPES.has(type)) return this.resyncAfterBadInterfaces(type, len, trailer);
      this.fail(`corrupt block: trailing length ${trailer} does not match the header length ${len} of ${blockTypeName(type)}`, at);
    }
    const start = this.pos;
    this.pos += len;
    return this.parse(type, start, start + 8, start + len - 4, at, layout);
  }

  private truncatedAt(at: number, need: number, have: number): undefined {
    if (this.quiet && this.started) {
      this.done = true;
      return undefined;
    }
    const msg = `truncated block: expecting ${need} bytes, read ${have} (is the file truncated?)`;
    if (this.truncMode === 'warn') {
      this.done = true;
      this.warn(msg, at);
      return undefined;
    }
    return this.fail(msg, at);
  }

  private parse(
    type: number, start: number, body: number, bodyEnd: number, at: number,
    layout: ReturnType<typeof eventBlockLayout>,
  ): ScapBlock {
    const buf = this.buf;
    const dv = this.dv;
    const base = this.base;
    try {
      if (layout) {
        const event = parseEventBlock(buf, dv, body, bodyEnd, type, layout, at, base, this.file);
        const reuse = this.eventBlock;
        if (reuse === null) return { kind: 'event', event };
        reuse.event = event;
        return reuse;
      }
      if (type !== BT.SHB) {
        const len = bodyEnd + 4 - start;
        const key = metaKey(type, len, dv, body, bodyEnd);
        const bytes = Buffer.from(buf.buffer, buf.byteOffset + start, len);
        const seen = this.metaCache.get(key);
        if (seen) {
          for (let i = 0; i < seen.length; i++) {
            const m = seen[i]!;
            if (m.bytes.equals(bytes)) return { ...m.block, offset: at } as ScapBlock;
          }
        }
        const block = this.parseMeta(type, start, body, bodyEnd, at);
        if (block.kind !== 'unknown') {
          if (this.metaCacheBytes + len > META_CACHE_BYTES) {
            this.metaCache.clear();
            this.metaCacheBytes = 0;
          }
          const entry: MetaCached = { bytes: Buffer.from(bytes), block };
          if (seen) seen.push(entry);
          else this.metaCache.set(key, [entry]);
          this.metaCacheBytes += len;
        }
        return block;
      }
      const c = new Cursor(buf, dv, body, bodyEnd, this.file, base);
      const magic = c.u32('byte order magic');
      if (magic !== SHB_MAGIC) {
        const swapped = magic === 0x4d3c2b1a;
        this.fail(swapped ? 'big-endian scap captures are not supported' : `not a scap capture: invalid magic number 0x${magic.toString(16)}`, at + 8);
      }
      const major = c.u16('major version');
      const minor = c.u16('minor version');
      if (major > 1) this.fail(`unsupported scap version ${major}.${minor} (this reader knows 1.x)`, at + 12);
      // section_length and any pcapng options are skipped
      return { kind: 'section', offset: at, major, minor };
    } catch (err) {
      this.done = true;
      if (err instanceof ScapError) throw err;
      throw new ScapError(`cannot parse ${blockTypeName(type)}: ${(err as Error).message}`, this.file, at);
    }
  }

  /** Decodes a metadata block (anything but events and section headers). */
  private parseMeta(type: number, start: number, body: number, bodyEnd: number, at: number): ScapBlock {
    {
      const c = new Cursor(this.buf, this.dv, body, bodyEnd, this.file, this.base);
      switch (type) {
        case BT.MI:
        case BT.MI_INT: {
          const mi = parseMachineInfo(c);
          return {
            kind: 'machine', offset: at, hostname: mi.hostname, numCpus: mi.numCpus, memoryBytes: mi.memoryBytes,
            maxPid: mi.maxPid, bootTimeNs: mi.bootTimeNs, flags: mi.flags,
          };
        }
        case BT.IL:
        case BT.IL_INT:
        case BT.IL_V2:
          return { kind: 'interfaces', offset: at, blockType: type, interfaces: parseInterfaces(c, type === BT.IL_V2) };
        case BT.UL:
        case BT.UL_INT:
        case BT.UL_V2: {
          const { users, groups } = parseUsers(c, type === BT.UL_V2);
          return { kind: 'users', offset: at, blockType: type, users, groups };
        }
        case BT.FDL:
        case BT.FDL_INT:
        case BT.FDL_V2: {
          const { tid, fds } = parseFdList(c, type === BT.FDL_V2);
          return { kind: 'fds', offset: at, blockType: type, tid, fds };
        }
        default: {
          const version = PL_VERSION.get(type);
          if (version !== undefined) {
            return { kind: 'threads', offset: at, blockType: type, threads: parseProcessList(c, version) };
          }
          this.warn(`skipped ${blockTypeName(type)} of ${bodyEnd + 4 - start} bytes`, at);
          return { kind: 'unknown', offset: at, blockType: type, length: bodyEnd + 4 - start };
        }
      }
    }
  }

  /**
   * sysdig 0.29.3's own `-w` output of old captures carries an interface-list block whose header
   * length is wrong (§1.11). Skip it: find the next plausible block start (a known type whose
   * length and trailer agree) and continue from there with a warning.
   */
  private resyncAfterBadInterfaces(type: number, len: number, trailer: number): ScapBlock | undefined {
    const at = this.base + this.pos;
    this.ensure(this.available); // everything received so far, in one buffer
    const dv = this.dv;
    const limit = this.buf.length;
    const last = Math.min(limit - 12, this.pos + RESYNC_WINDOW);
    for (let q = this.pos + 12; q <= last; q += 4) {
      const t = dv.getUint32(q, true);
      if (!KNOWN_TYPES.has(t) || IL_TYPES.has(t)) continue;
      const l = dv.getUint32(q + 4, true);
      if (l < 12 || l % 4 !== 0 || l > MAX_BLOCK) continue;
      if (q + l > limit) {
        if (!this.eof) return undefined; // plausible: wait until its trailer has arrived
        continue;
      }
      if (dv.getUint32(q + l - 4, true) !== l) continue;
      const length = q - this.pos;
      this.warn(
        `skipped a malformed ${blockTypeName(type)}: header length ${len} but trailer ${trailer} (a known sysdig 0.29.3 -w defect); resumed at the next block`,
        at,
      );
      this.pos = q;
      return { kind: 'unknown', offset: at, blockType: type, length };
    }
    if (!this.eof && limit - this.pos < RESYNC_WINDOW + 12) return undefined;
    return this.fail(`corrupt ${blockTypeName(type)}: trailing length ${trailer} does not match the header length ${len}, and no following block was found`, at);
  }
}

/** Cache key of a metadata block: type, length and its first body words (an fd list's tid). */
function metaKey(type: number, len: number, dv: DataView, body: number, bodyEnd: number): string {
  const a = body + 4 <= bodyEnd ? dv.getUint32(body, true) : 0;
  const b = body + 8 <= bodyEnd ? dv.getUint32(body + 4, true) : 0;
  const c = body + 12 <= bodyEnd ? dv.getUint32(body + 8, true) : 0;
  return `${type}:${len}:${a}:${b}:${c}`;
}
