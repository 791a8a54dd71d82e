/**
 * Writing .scap captures in the current block versions (scap-format.md §1.11):
 * SHB 1.2 -> MI -> IL_V2 -> UL_V2 -> PL_V9 -> FDL_V2 per thread -> EV_V2 / EVF_V2 (and the
 * _LARGE variants for EF_LARGE_PAYLOAD event types). Plain or gzip, streamed to a file or a
 * writable stream; `encodeScap` builds a capture in memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip, gzipSync } from 'node:zlib';
import { BT, SHB_MAGIC } from './block-types.js';
import { EventRecord } from './blocks-event.js';
import { FD_TYPE } from './blocks-fdlist.js';
import { IFINFO } from './blocks-meta.js';
import { ByteBuilder } from './byte-builder.js';
import { EF, EVENT_MAX, EVENT_TABLE } from './event-table.js';
import type { EventInput } from './encode.js';
import { parseIpv4, parseIpv6 } from './net.js';
import type { FdEntry, GroupEntry, InterfaceEntry, ScapBlock, ThreadEntry, UserEntry } from './types.js';

export type { EventInput } from './encode.js';

export interface MachineInput {
  hostname: string;
  numCpus: number;
  memoryBytes: bigint;
  maxPid?: bigint;
  bootTimeNs?: bigint;
  flags?: bigint;
}

const LARGE = new Uint8Array(EVENT_MAX);
for (const e of EVENT_TABLE) if (e.flags & EF.EF_LARGE_PAYLOAD) LARGE[e.code] = 1;

const utf8 = new TextEncoder();

/** Encodes blocks into a ByteBuilder; the stream plumbing lives in ScapWriter. */
export class BlockEncoder {
  readonly out: ByteBuilder;
  constructor(out = new ByteBuilder()) {
    this.out = out;
  }

  section(minor = 2): void {
    const o = this.out;
    const m = o.beginBlock(BT.SHB);
    o.u32(SHB_MAGIC).u16(1).u16(minor).u64(-1n);
    o.endBlock(m);
  }

  machine(mi: MachineInput): void {
    const o = this.out;
    const m = o.beginBlock(BT.MI);
    o.u32(mi.numCpus).u64(mi.memoryBytes).u64(mi.maxPid ?? 0n);
    const name = utf8.encode(mi.hostname).subarray(0, 127);
    o.bytes(name).zeros(128 - name.length);
    o.u64(mi.bootTimeNs ?? 0n).u64(mi.flags ?? 0n).u64(0n).u64(0n);
    o.endBlock(m);
  }

  interfaces(list: readonly InterfaceEntry[]): void {
    const o = this.out;
    const m = o.beginBlock(BT.IL_V2);
    const ordered = [...list.filter((i) => i.family === 'ipv4'), ...list.filter((i) => i.family === 'ipv6')];
    for (const i of ordered) {
      const at = o.lengthMark();
      const v4 = i.family === 'ipv4';
      const name = utf8.encode(i.name);
      o.u16(v4 ? IFINFO.IPV4 : IFINFO.IPV6).u16(name.length);
      const ip = v4 ? parseIpv4 : parseIpv6;
      const zero = v4 ? '0.0.0.0' : '::';
      o.bytes(ip(i.addr)).bytes(ip(i.netmask ?? zero)).bytes(ip(i.bcast ?? zero));
      o.u64(i.linkspeed ?? 0n).bytes(name);
      o.patchU32(at, o.length - at - 4); // IL_V2 entry length excludes itself
    }
    o.endBlock(m);
  }

  users(users: readonly UserEntry[], groups: readonly GroupEntry[]): void {
    const o = this.out;
    const m = o.beginBlock(BT.UL_V2);
    for (const u of users) {
      const at = o.lengthMark();
      o.u8(0).u32(u.uid).u32(u.gid).str16(u.name).str16(u.homedir).str16(u.shell);
      o.patchU32(at, o.length - at); // UL_V2 entry length includes itself
    }
    for (const g of groups) {
      const at = o.lengthMark();
      o.u8(1).u32(g.gid).str16(g.name);
      o.patchU32(at, o.length - at);
    }
    o.endBlock(m);
  }

  /** PL_V9 with every field 0..30; absent optional fields get libscap's defaults. */
  threads(list: readonly ThreadEntry[]): void {
    const o = this.out;
    const m = o.beginBlock(BT.PL_V9);
    for (const t of list) {
      const at = o.lengthMark();
      o.u64(t.tid).u64(t.pid).u64(t.ptid).u64(t.sid ?? 0n).u64(t.vpgid ?? 0n);
      o.str16(t.comm).str16(t.exe).str16(t.exepath ?? '').strList16(t.args).str16(t.cwd);
      o.u64(t.fdlimit).u32(t.flags).u32(t.uid).u32(t.gid);
      o.u32(t.vmsizeKb ?? 0).u32(t.vmrssKb ?? 0).u32(t.vmswapKb ?? 0).u64(t.pfmajor ?? 0n).u64(t.pfminor ?? 0n);
      o.strList16(t.env).u64(t.vtid ?? t.tid).u64(t.vpid ?? t.pid).strList16(t.cgroups).str16(t.root ?? '');
      o.u64(t.pidnsInitStartTs ?? 0n).u32(t.tty ?? 0).u32(t.loginuid ?? 0xffffffff).u8(t.exeWritable ? 1 : 0);
      o.u64(t.capInheritable ?? 0n).u64(t.capPermitted ?? 0n).u64(t.capEffective ?? 0n);
      o.u8(t.exeUpperLayer ? 1 : 0).u64(t.exeIno ?? 0n).u64(t.exeInoCtime ?? 0n).u64(t.exeInoMtime ?? 0n);
      o.u8(t.exeFromMemfd ? 1 : 0).u8(t.exeLowerLayer ? 1 : 0).u64(t.pgid ?? t.vpgid ?? 0n);
      o.patchU32(at, o.length - at);
    }
    o.endBlock(m);
  }

  /** FDL_V2 for one thread (emitted even when empty: then the body is just the tid). */
  fds(tid: bigint, list: readonly FdEntry[]): void {
    const o = this.out;
    const m = o.beginBlock(BT.FDL_V2);
    o.u64(tid);
    for (const f of list) {
      if (f.type === FD_TYPE.UNKNOWN || f.type < 0) continue;
      const at = o.lengthMark();
      o.u64(f.fd).u64(f.ino ?? 0n).u8(f.type);
      switch (f.type) {
        case FD_TYPE.IPV4_SOCK:
          o.bytes(parseIpv4(f.sip ?? '0.0.0.0')).bytes(parseIpv4(f.dip ?? '0.0.0.0'));
          o.u16(f.sport ?? 0).u16(f.dport ?? 0).u8(f.l4proto ?? 0);
          break;
        case FD_TYPE.IPV6_SOCK:
          o.bytes(parseIpv6(f.sip ?? '::')).bytes(parseIpv6(f.dip ?? '::'));
          o.u16(f.sport ?? 0).u16(f.dport ?? 0).u8(f.l4proto ?? 0);
          break;
        case FD_TYPE.IPV4_SERVSOCK:
          o.bytes(parseIpv4(f.sip ?? '0.0.0.0')).u16(f.sport ?? 0).u8(f.l4proto ?? 0);
          break;
        case FD_TYPE.IPV6_SERVSOCK:
          o.bytes(parseIpv6(f.sip ?? '::')).u16(f.sport ?? 0).u8(f.l4proto ?? 0);
          break;
        case FD_TYPE.UNIX_SOCK:
          o.u64(f.source ?? 0n).u64(f.destination ?? 0n).str16(f.name ?? '');
          break;
        case FD_TYPE.FILE_V2:
          o.u32(f.flags ?? 0).str16(f.name ?? '').u32(f.dev ?? 0);
          break;
        default:
          o.str16(f.name ?? '');
      }
      o.patchU32(at, o.length - at);
    }
    o.endBlock(m);
  }

  /** One event: EV_V2 or EVF_V2 (flags != 0), LARGE for EF_LARGE_PAYLOAD types. */
  event(e: EventInput | EventRecord): void {
    const o = this.out;
    const flags = e.flags ?? 0;
    const wide = e instanceof EventRecord ? e.lenWidth === 4 : e.type < EVENT_MAX && LARGE[e.type] === 1;
    const type = wide ? (flags ? BT.EVF_V2_LARGE : BT.EV_V2_LARGE) : flags ? BT.EVF_V2 : BT.EV_V2;
    const params = e.params;
    const n = params.length;
    let dataLen = 0;
    for (let i = 0; i < n; i++) dataLen += params[i]!.length;
    const len = 26 + n * (wide ? 4 : 2) + dataLen;
    const m = o.beginBlock(type);
    o.u16(e.cpu);
    if (flags) o.u32(flags);
    o.u64(e.ts).u64(e.tid).u32(len).u16(e.type).u32(n);
    if (wide) for (let i = 0; i < n; i++) o.u32(params[i]!.length);
    else {
      for (let i = 0; i < n; i++) {
        const l = params[i]!.length;
        if (l > 0xffff) throw new RangeError(`parameter ${i} of event type ${e.type} is ${l} bytes: too long for a u16 length`);
        o.u16(l);
      }
    }
    for (let i = 0; i < n; i++) o.bytes(params[i]!);
    o.endBlock(m);
  }

  /** Re-encode a block as read by the reader (unknown blocks cannot be re-encoded and are dropped). */
  block(b: ScapBlock): void {
    switch (b.kind) {
      case 'section':
        return this.section();
      case 'machine':
        return this.machine(b);
      case 'interfaces':
        return this.interfaces(b.interfaces);
      case 'users':
        return this.users(b.users, b.groups);
      case 'threads':
        return this.threads(b.threads);
      case 'fds':
        return this.fds(b.tid, b.fds);
      case 'event':
        return this.event(b.event as EventInput);
      case 'unknown':
        return;
    }
  }
}

export interface WriterOptions {
  /** gzip the output (like sysdig -z) */
  gzip?: boolean;
  /** zlib level 0..9 (default 6) */
  level?: number;
  /** end the target stream on close (default: yes, except process.stdout/stderr) */
  endTarget?: boolean;
}

/** Flush to the stream once this many bytes are buffered. */
const FLUSH_AT = 1 << 20;

/**
 * Streams a capture to a file path or a writable stream. Block methods are synchronous and
 * buffer; call `await maybeFlush()` after blocks (it flushes every MiB and honours
 * back-pressure), and `await close()` at the end. Stream errors reject flush/close.
 */
export class ScapWriter extends BlockEncoder {
  private readonly sink: NodeJS.WritableStream;
  private readonly target: NodeJS.WritableStream;
  private readonly ownsTarget: boolean;
  private readonly endTarget: boolean;
  private readonly gzip: ReturnType<typeof createGzip> | undefined;
  private failure: Error | undefined;
  /** bytes handed to the stream (before compression) */
  bytesWritten = 0;

  constructor(target: string | NodeJS.WritableStream, opts: WriterOptions = {}) {
    super(new ByteBuilder(FLUSH_AT + (1 << 16)));
    this.ownsTarget = typeof target === 'string';
    this.target = typeof target === 'string' ? createWriteStream(target) : target;
    this.endTarget = opts.endTarget ?? (this.ownsTarget || (target !== process.stdout && target !== process.stderr));
    const fail = (e: Error) => {
      this.failure ??= e;
    };
    this.target.on('error', fail);
    if (opts.gzip) {
      this.gzip = createGzip({ level: opts.level ?? 6 });
      this.gzip.on('error', fail);
      this.gzip.pipe(this.target, { end: false });
      this.sink = this.gzip;
    } else {
      this.sink = this.target;
    }
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private async wait(stream: NodeJS.EventEmitter, event: string): Promise<void> {
    const ac = new AbortController();
    try {
      await Promise.race([
        once(stream, event, { signal: ac.signal }),
        new Promise<void>((_, reject) => {
          const t = setInterval(() => {
            if (this.failure) reject(this.failure);
          }, 50);
          ac.signal.addEventListener('abort', () => clearInterval(t));
        }),
      ]);
    } finally {
      ac.abort();
    }
  }

  /** Hand the buffered bytes to the stream; resolves when the stream can take more. */
  async flush(): Promise<void> {
    this.check();
    if (this.out.length === 0) return;
    const chunk = this.out.take();
    this.bytesWritten += chunk.length;
    if (!this.sink.write(chunk)) await this.wait(this.sink, 'drain');
    this.check();
  }

  /** Flush if enough bytes are buffered (cheap to call after every block). */
  async maybeFlush(): Promise<void> {
    if (this.out.length >= FLUSH_AT) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.gzip) {
      const ended = this.wait(this.gzip, 'end');
      this.gzip.end();
      await ended;
    }
    if (this.endTarget) {
      const done = this.wait(this.target, this.ownsTarget ? 'close' : 'finish');
      this.target.end();
      await done;
    }
    this.check();
  }
}

/** Encode blocks into an in-memory capture (gzip optional). */
export function encodeScap(blocks: Iterable<ScapBlock>, opts: WriterOptions = {}): Uint8Array {
  const enc = new BlockEncoder();
  for (const b of blocks) enc.block(b);
  const raw = enc.out.take();
  if (!opts.gzip) return raw;
  const z = gzipSync(raw, { level: opts.level ?? 6 });
  return new Uint8Array(z.buffer, z.byteOffset, z.byteLength);
}
