/**
 * Event arguments rendered as sysdig 0.29.3 renders them (`sinsp_evt::get_param_as_str`):
 * each parameter as `VALUE` plus an optional `RESOLVED` part (fd names,
 * errno names, flag names, user names...). `evt.args` / `evt.info` is
 * `name=VALUE(RESOLVED) ` for each parameter (with the trailing space).
 *
 * Resolution needs state at the time of the event (fd table, thread names):
 * `snapshotAux` captures it for rows that outlive the state.
 */
import { EC, NAME_VALUE_TABLES, NAME_VALUE_TABLES_0293_OVERRIDES, PF, PT, DYNAMIC_PARAM_TABLES, PPM_SC_NAMES_0293, type EventInfo, type ParamInfo } from './event-table.js';
import { errnoName } from './errno.js';
import { SYSCALL_CATEGORIES_0293 } from './syscall-categories.js';
import { FdType, fdAt, fdTypeChar, l4Char, concatenatePaths, type FdInfo } from './fds.js';
import { bytesToString, ipv4ToString, ipv6ToString, isV4Mapped, pInt, pUint, u16le, pStr } from './raw-params.js';
import type { EventCtx } from './state.js';
import { EventRecord } from './blocks-event.js';

const PPM_AT_FDCWD = -100;

export const SIGNALS: readonly string[] = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV',
  'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU',
  'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

function flagTable(name: string | undefined): readonly (readonly [string, number])[] | undefined {
  if (!name) return undefined;
  return NAME_VALUE_TABLES_0293_OVERRIDES[name] ?? NAME_VALUE_TABLES[name];
}

/** sysdig 0.29.3's flag walk: stop at an exact match, else collect contained flags. */
export function resolveFlags(val: number, tableName: string | undefined): string {
  const table = flagTable(tableName);
  if (!table) return '';
  const initial = val >>> 0;
  let v = initial;
  let out = '';
  let sep = '';
  let i = 0;
  for (; i < table.length; i++) {
    const [name, fv] = table[i]!;
    const f = fv >>> 0;
    if (f === initial) break;
    if ((f === 0 && initial === 0) || (f !== 0 && (v & f) >>> 0 === f && v !== 0)) {
      out += sep + name;
      sep = '|';
      v = (v & ~f) >>> 0;
    }
  }
  if (i < table.length) out += sep + table[i]![0];
  return out;
}

/** C's %g (6 significant digits). */
export function fmtG(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 6) {
    let [m, e] = x.toExponential(5).split('e') as [string, string];
    if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  let s = x.toPrecision(6);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

/** BYTEBUF as sysdig prints it by default: non-printables as '.', at most 80 chars ("..." at the end). */
export function bytebufText(b: Uint8Array, truncate = true): string {
  const n = truncate ? Math.min(b.length, 80) : b.length;
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  if (truncate && b.length > 80) s = s.slice(0, 77) + '...';
  return s;
}

function u64dec(p: Uint8Array): string {
  // printed with PRId64: signed
  if (p.length < 8) return String(pInt(p));
  // exact as a number when it is a safe integer (no DataView nor BigInt)
  const v = pInt(p);
  if (Number.isSafeInteger(v)) return String(v);
  return new DataView(p.buffer, p.byteOffset, 8).getBigInt64(0, true).toString();
}
function u64hex(p: Uint8Array): string {
  if (p.length < 8) return pUint(p).toString(16).toUpperCase();
  return new DataView(p.buffer, p.byteOffset, 8).getBigUint64(0, true).toString(16).toUpperCase();
}

function numText(p: Uint8Array, type: number, fmt: number): string {
  const signed = type === PT.PT_INT8 || type === PT.PT_INT16 || type === PT.PT_INT32 || type === PT.PT_INT64;
  if (fmt === PF.PF_HEX) {
    if (p.length === 8) return u64hex(p);
    return pUint(p).toString(16).toUpperCase();
  }
  if (fmt === PF.PF_OCT) {
    const v = pUint(p);
    return v === 0 ? '0' : '0' + v.toString(8);
  }
  if (p.length === 8) return u64dec(p);
  return String(signed ? pInt(p) : pUint(p));
}

/** A socket address param (SOCKADDR) as text. */
export function sockaddrText(p: Uint8Array): string {
  if (p.length === 0) return 'NULL';
  const fam = p[0]!;
  if (fam === 2 && p.length >= 7) return `${ipv4ToString(p, 1)}:${u16le(p, 5)}`;
  if (fam === 10 && p.length >= 19) {
    const ip = isV4Mapped(p, 1) ? ipv4ToString(p, 13) : ipv6ToString(p, 1);
    return `${ip}:${u16le(p, 17)}`;
  }
  if (fam === 1) {
    let end = p.indexOf(0, 1);
    if (end < 0) end = p.length;
    return sanitizeText(bytesToString(p, 1, end));
  }
  return 'family ' + fam;
}

function hex64(p: Uint8Array, off: number): string {
  return new DataView(p.buffer, p.byteOffset + off, 8).getBigUint64(0, true).toString(16);
}

/** A socket tuple param (SOCKTUPLE) as text. */
export function tupleText(p: Uint8Array): string {
  if (p.length === 0) return 'NULL';
  const fam = p[0]!;
  if (fam === 2 && p.length >= 13) return `${ipv4ToString(p, 1)}:${u16le(p, 5)}->${ipv4ToString(p, 7)}:${u16le(p, 11)}`;
  if (fam === 10 && p.length >= 37) {
    const mapped = isV4Mapped(p, 1) && isV4Mapped(p, 19);
    const sip = mapped ? ipv4ToString(p, 13) : ipv6ToString(p, 1);
    const dip = mapped ? ipv4ToString(p, 31) : ipv6ToString(p, 19);
    return `${sip}:${u16le(p, 17)}->${dip}:${u16le(p, 35)}`;
  }
  if (fam === 1 && p.length >= 17) {
    let end = p.indexOf(0, 17);
    if (end < 0) end = p.length;
    return `${hex64(p, 1)}->${hex64(p, 9)} ${sanitizeText(bytesToString(p, 17, end))}`;
  }
  return 'NULL';
}

function sanitizeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f]/.test(s) ? s.replace(/[\x00-\x1f\x7f]/g, '') : s;
}

/** `<T[L]>name` of an fd, as sysdig resolves FD params (one string per fd: FdInfo objects never change). */
export function fdResolved(fd: FdInfo): string {
  let s = resolvedTexts.get(fd);
  if (s === undefined) {
    s = `<${fdTypeChar(fd)}${l4Char(fd)}>${fd.name}`;
    resolvedTexts.set(fd, s);
  }
  return s;
}
const resolvedTexts = new WeakMap<FdInfo, string>();

/** The state a rendering needs: fd lookups and thread names at event time. */
export interface RenderEnv {
  fd(num: number): FdInfo | undefined;
  comm(tid: number): string | undefined;
  user(uid: number): string | undefined;
  group(gid: number): string | undefined;
  cwd: string;
  /** resolved text captured at event time, by parameter index (see snapshotAux) */
  aux?: readonly (string | undefined)[] | null;
}

/** One parameter rendered: [value, resolved]. */
export function renderParam(ev: { params: Uint8Array[] }, info: EventInfo, i: number, env: RenderEnv): [string, string] {
  const pi: ParamInfo | undefined = info.params[i];
  const p = ev.params[i];
  if (!pi || !p) return ['', ''];
  const snap = env.aux?.[i];
  if (snap !== undefined) return [renderValue(p, pi.type, pi.fmt, pi.info, ev, info, env, pi)[0], snap];
  return renderValue(p, pi.type, pi.fmt, pi.info, ev, info, env, pi);
}

/** Parameter types whose rendering depends on state that later events change. */
function stateful(pi: ParamInfo): boolean {
  return pi.type === PT.PT_FD || pi.type === PT.PT_PID || pi.type === PT.PT_FDLIST || pi.type === PT.PT_FSRELPATH ||
    pi.type === PT.PT_FD32 || pi.type === PT.PT_PID32;
}

/**
 * Captures, at event time, the resolved text of the parameters that depend
 * on mutable state (fd names, thread names), so rows kept in a table render
 * evt.args / evt.arg exactly as they would have been printed then.
 */
export function snapshotAux(ctx: EventCtx): void {
  const info = ctx.info;
  const ev = ctx.ev;
  // the parameter count without slicing the parameters (most events have no stateful one)
  const n = Math.min(ev instanceof EventRecord && !ev.replaced ? ev.nparams : ev.params.length, info.params.length);
  let aux: (string | undefined)[] | null = null;
  let env: RenderEnv | null = null;
  for (let i = 0; i < n; i++) {
    const pi = info.params[i]!;
    if (!stateful(pi)) continue;
    env ??= envOf(ctx);
    aux ??= new Array(n);
    const p = ev instanceof EventRecord ? ev.param(i)! : ev.params[i]!;
    aux[i] = resolvedText(p, pi, ev, info, env);
  }
  ctx.aux = aux;
}

/** The RESOLVED part of a stateful parameter (what snapshotAux keeps), without rendering its value. */
function resolvedText(p: Uint8Array, pi: ParamInfo, ev: { params: Uint8Array[] }, info: EventInfo, env: RenderEnv): string {
  if ((pi.type === PT.PT_FD || pi.type === PT.PT_FD32) && p.length > 0) return fdParamResolved(pInt(p), env);
  return renderValue(p, pi.type, pi.fmt, pi.info, ev, info, env, pi)[1];
}

/** The RESOLVED part of an FD parameter with value `v`: AT_FDCWD, an errno name, or the fd's `<T[L]>name`. */
function fdParamResolved(v: number, env: RenderEnv): string {
  if (v === PPM_AT_FDCWD) return 'AT_FDCWD';
  if (v < 0) return errnoName(-v) ?? '';
  const fd = env.fd(v);
  return fd ? fdResolved(fd) : '';
}

function renderValue(
  p: Uint8Array, type: number, fmt: number, tinfo: string | undefined, ev: { params: Uint8Array[] }, info: EventInfo, env: RenderEnv, pi?: ParamInfo,
): [string, string] {
  switch (type) {
    case PT.PT_INT8: case PT.PT_INT16: case PT.PT_INT32: case PT.PT_INT64:
    case PT.PT_UINT8: case PT.PT_UINT16: case PT.PT_UINT32: case PT.PT_UINT64:
    case PT.PT_PORT: case PT.PT_L4PROTO: case PT.PT_SOCKFAMILY: case PT.PT_BOOL:
      if (p.length === 0) return ['<NA>', ''];
      return [numText(p, type, fmt), ''];
    case PT.PT_ERRNO: {
      if (p.length === 0) return ['<NA>', ''];
      const v = pInt(p);
      const val = p.length === 8 ? u64dec(p) : String(v);
      if (v < 0) return [val, errnoName(-v) ?? ''];
      return [val, ''];
    }
    case PT.PT_FD: case PT.PT_FD32: {
      if (p.length === 0) return ['<NA>', ''];
      const v = pInt(p);
      return [p.length === 8 ? u64dec(p) : String(v), fdParamResolved(v, env)];
    }
    case PT.PT_PID: case PT.PT_PID32: {
      if (p.length === 0) return ['<NA>', ''];
      const v = pInt(p);
      const val = p.length === 8 ? u64dec(p) : String(v);
      return [val, env.comm(v) ?? ''];
    }
    case PT.PT_FLAGS8: case PT.PT_FLAGS16: case PT.PT_FLAGS32:
    case PT.PT_ENUMFLAGS8: case PT.PT_ENUMFLAGS16: case PT.PT_ENUMFLAGS32: case PT.PT_MODE: {
      if (p.length === 0) return ['<NA>', ''];
      const v = pUint(p);
      const val = fmt === PF.PF_OCT ? (v === 0 ? '0' : '0' + v.toString(8)) : String(v);
      return [val, resolveFlags(v, tinfo)];
    }
    case PT.PT_UID: case PT.PT_GID: {
      if (p.length === 0) return ['<NA>', ''];
      const v = pUint(p);
      if (v === 0xffffffff) return ['-1', '<NONE>'];
      const name = type === PT.PT_UID ? env.user(v) : env.group(v);
      return [String(v), name ?? '<NA>'];
    }
    case PT.PT_CHARBUF:
      return [pStr(p), ''];
    case PT.PT_FSPATH: {
      const s = pStr(p);
      if (s === '' || s.startsWith('/') || s === '<NA>' || s === '(NULL)') return [s, ''];
      return [s, concatenatePaths(env.cwd, s)];
    }
    case PT.PT_FSRELPATH: {
      const s = pStr(p);
      if (s === '' || s.startsWith('/') || s === '<NA>' || s === '(NULL)') return [s, ''];
      let base = env.cwd;
      if (pi?.dirfd !== undefined) {
        const d = pInt(ev.params[pi.dirfd], PPM_AT_FDCWD);
        if (d !== PPM_AT_FDCWD) {
          const fd = env.fd(d);
          base = fd ? fd.name : '<UNKNOWN>';
        }
      }
      return [s, concatenatePaths(base, s)];
    }
    case PT.PT_BYTEBUF:
      return [bytebufText(p), ''];
    case PT.PT_SOCKADDR:
      return [sockaddrText(p), ''];
    case PT.PT_SOCKTUPLE:
      return [tupleText(p), ''];
    case PT.PT_FDLIST: {
      if (p.length < 2) return ['', ''];
      const n = u16le(p, 0);
      const parts: string[] = [];
      for (let j = 0, off = 2; j < n && off + 10 <= p.length; j++, off += 10) {
        const fdn = pInt(p.subarray(off, off + 8));
        const fl = u16le(p, off + 8);
        const fd = env.fd(fdn);
        parts.push(`${fdn}:${fd ? fdTypeChar(fd) : '?'}${fl.toString(16)}`);
      }
      return [parts.join(' '), ''];
    }
    case PT.PT_SYSCALLID: {
      const v = pUint(p);
      return [String(v), PPM_SC_NAMES_0293[v] ?? ''];
    }
    case PT.PT_SIGTYPE: {
      if (p.length === 0) return ['<NA>', ''];
      const v = pUint(p);
      return [String(v), SIGNALS[v] ?? ''];
    }
    case PT.PT_RELTIME: {
      if (p.length === 0) return ['<NA>', ''];
      const val = u64dec(p);
      if (val === '-1') return [val, 'none'];
      return [val, fmtG(Number(val) / 1e9) + 's'];
    }
    case PT.PT_ABSTIME:
      return [p.length === 8 ? u64dec(p) : '', ''];
    case PT.PT_IPV4ADDR:
      return [p.length >= 4 ? ipv4ToString(p, 0) : '', ''];
    case PT.PT_IPV6ADDR:
      return [p.length >= 16 ? ipv6ToString(p, 0) : '', ''];
    case PT.PT_DOUBLE:
      return [p.length >= 8 ? new DataView(p.buffer, p.byteOffset, 8).getFloat64(0, true).toFixed(6) : '', ''];
    case PT.PT_SIGSET: {
      const v = pUint(p);
      const names: string[] = [];
      for (let s = 1; s < 32; s++) if (v & (1 << (s - 1))) names.push(SIGNALS[s] ?? String(s));
      return [names.join(' '), ''];
    }
    case PT.PT_DYN: {
      if (p.length === 0) return ['<NA>', ''];
      const entry = tinfo ? DYNAMIC_PARAM_TABLES[tinfo]?.[p[0]!] : undefined;
      if (!entry) return ['', ''];
      return renderValue(p.subarray(1), entry.type, entry.fmt, undefined, ev, info, env);
    }
    default:
      return [bytebufText(p), ''];
  }
}

/** True for events sysdig prints without arguments (generic syscalls). */
export function printsNoArgs(info: EventInfo): boolean {
  return info.code === 0 || info.code === 1;
}

/** evt.args / evt.info: `name=VALUE(RESOLVED) ` per parameter. */
export function renderArgs(ev: { params: Uint8Array[] }, info: EventInfo, env: RenderEnv): string {
  if (printsNoArgs(info)) return '';
  let out = '';
  const n = Math.min(ev.params.length, info.params.length, info.nparams);
  for (let i = 0; i < n; i++) {
    const [v, r] = renderParam(ev, info, i, env);
    out += info.params[i]!.name + '=' + v + (r ? `(${r})` : '') + ' ';
  }
  return out;
}

/** A RenderEnv over an event context (live state, or the aux snapshot when the row has one). */
export function envOf(ctx: EventCtx): RenderEnv {
  return new CtxEnv(ctx);
}

/** The render environment of an event (methods, not per-event closures: tsx's keepNames makes closures costly). */
class CtxEnv implements RenderEnv {
  private readonly ctx: EventCtx;
  private readonly table: EventCtx['fdTable'];
  readonly cwd: string;
  readonly aux: EventCtx['aux'];
  constructor(ctx: EventCtx) {
    this.ctx = ctx;
    this.table = ctx.fdTable;
    const t = ctx.thread;
    const main = t ? ctx.host.threads.mainAt(t, ctx.epoch) : undefined;
    this.cwd = main?.cwd ?? t?.cwd ?? '';
    this.aux = ctx.aux;
  }
  fd(n: number): FdInfo | undefined {
    const ctx = this.ctx;
    return ctx.fd && ctx.fd.num === n ? ctx.fd : fdAt(this.table, n, ctx.epoch);
  }
  comm(tid: number): string | undefined {
    return this.ctx.host.threads.getAt(tid, this.ctx.epoch)?.comm;
  }
  user(uid: number): string | undefined {
    return this.ctx.host.users.user(uid)?.name;
  }
  group(gid: number): string | undefined {
    return this.ctx.host.users.group(gid)?.name;
  }
}

/** The evt.category name of an event */
export function categoryName(info: EventInfo, fd?: FdInfo | null, ev?: { params: Uint8Array[] }): string {
  if (info.code <= 1 && ev) return SYSCALL_CATEGORIES_0293[pUint(ev.params[0])] ?? 'unknown';
  const c = info.category & 0xff;
  if (info.category & EC.EC_INTERNAL) return 'internal';
  if (c === EC.EC_IO_READ || c === EC.EC_IO_WRITE || c === EC.EC_IO_OTHER) {
    // I/O events take the subcategory of their fd
    if (!fd) return 'unknown';
    switch (fd.type) {
      case FdType.FILE: case FdType.FILE_V2: case FdType.DIRECTORY: return 'file';
      case FdType.IPV4_SOCK: case FdType.IPV6_SOCK: case FdType.IPV4_SERVSOCK: case FdType.IPV6_SERVSOCK: return 'net';
      case FdType.UNIX_SOCK: case FdType.FIFO: case FdType.EVENT: case FdType.SIGNALFD: case FdType.INOTIFY:
      case FdType.EVENTPOLL: case FdType.NETLINK: return 'ipc';
      default: return 'unknown';
    }
  }
  switch (c) {
    case EC.EC_UNKNOWN: return 'unknown';
    case EC.EC_OTHER: return 'other';
    case EC.EC_FILE: return 'file';
    case EC.EC_NET: return 'net';
    case EC.EC_IPC: return 'IPC';
    case EC.EC_MEMORY: return 'memory';
    case EC.EC_PROCESS: return 'process';
    case EC.EC_SLEEP: return 'sleep';
    case EC.EC_SYSTEM: return 'system';
    case EC.EC_SIGNAL: return 'signal';
    case EC.EC_USER: return 'user';
    case EC.EC_TIME: return 'time';
    case EC.EC_PROCESSING: return 'processing';
    case EC.EC_IO_READ: case EC.EC_IO_WRITE: case EC.EC_IO_OTHER: return 'I/O';
    case EC.EC_WAIT: return 'wait';
    case EC.EC_SCHEDULER: return 'scheduler';
    default: return 'unknown';
  }
}
