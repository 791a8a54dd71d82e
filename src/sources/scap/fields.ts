/**
 * The libsinsp syscall fields (all 232 of syscall-fields.json, plus the
 * container.* fields of sysdig 0.29.3), registered with type and description,
 * and computed from an EventCtx (the event + the thread/fd state it was
 * parsed in) with sysdig 0.29.3's semantics. `null` = absent (sysdig `<NA>`).
 *
 * `fieldValue(ctx, name, arg)` computes one field; `registerScapFields()`
 * registers them all, each with an `extract` over the table's `raw` column.
 */
import type { FieldDef, FieldType, Value } from '../../fields/types.js';
import { registerFields } from '../../fields/registry.js';
import { EC, EF, PT, type EventInfo } from './event-table.js';
import { errnoName } from './errno.js';
import { decodeParam } from './params.js';
import { LIBSINSP_FIELDS } from './field-defs.js';
import type { EventCtx } from './state.js';
import { paramIndex } from './state.js';
import { cmdline, type ThreadInfo } from './threads.js';
import { FdType, Role, fdAt, fdCountAt, fdsAt, fdTypeChar, fdTypeName, isIpSocket, isServSocket, isFile, l4Name, type FdInfo } from './fds.js';
import { categoryName, envOf, renderArgs, renderParam, fdResolved, tupleText } from './args.js';
import { eventTypeName, formatDatetime, formatTime } from './print.js';
import { CONTAINER_TYPES } from './containers.js';
import { pInt, pStr, pUint, paramInt } from './raw-params.js';
import { EventRecord } from './blocks-event.js';

type Extract = (c: EventCtx, arg?: string) => Value;

const PROCINFO = 234;

function isExit(c: EventCtx): boolean {
  return (c.ev.type & 1) === 1;
}

// ------------------------------------------------------------------ evt.*

/** The res value of an exit event: param `res`, else a leading `fd` param. */
export function resValue(c: EventCtx): number | null {
  if (!isExit(c)) return null;
  let i = paramIndex(c.info, 'res');
  if (i < 0 && c.info.params[0]?.name === 'fd') i = 0;
  if (i < 0) return null;
  const ev = c.ev;
  if (ev instanceof EventRecord && !ev.replaced) {
    // without slicing every parameter
    if (i >= ev.nparams || ev.paramLength(i) === 0) return null;
    return paramInt(ev, i, 0);
  }
  const p = ev.params[i];
  if (!p || p.length === 0) return null;
  return pInt(p);
}

function resString(c: EventCtx): string | null {
  const r = resValue(c);
  if (r === null) return null;
  if (r >= 0) return 'SUCCESS';
  return errnoName(-r) ?? String(r);
}

function argIndex(info: EventInfo, arg: string | undefined): number {
  if (arg === undefined) return -1;
  if (/^\d+$/.test(arg)) return Number(arg);
  return paramIndex(info, arg);
}

/** evt.arg: the resolved text when there is one, else the value */
function argText(c: EventCtx, arg: string | undefined): string | null {
  const i = argIndex(c.info, arg);
  if (i < 0 || i >= c.ev.params.length || i >= c.info.params.length) return null;
  const [v, r] = renderParam(c.ev, c.info, i, envOf(c));
  return r ? r : v;
}

/** evt.rawarg: the typed value */
function rawArg(c: EventCtx, arg: string | undefined): Value {
  const i = argIndex(c.info, arg);
  const pi = c.info.params[i];
  if (i < 0 || !pi || i >= c.ev.params.length) return null;
  const v = decodeParam(pi.type, c.ev.params[i], pi.info);
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('latin1');
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

function bufferParam(c: EventCtx): Uint8Array | null {
  for (let i = 0; i < c.info.params.length && i < c.ev.params.length; i++) {
    const pi = c.info.params[i]!;
    if (pi.type === PT.PT_BYTEBUF && pi.name === 'data') return c.ev.params[i]!;
  }
  return null;
}

function isIo(c: EventCtx): boolean {
  return (c.info.flags & (EF.EF_READS_FROM_FD | EF.EF_WRITES_TO_FD)) !== 0;
}

/** evt.buflen: the result of I/O exits on a known fd */
function buflen(c: EventCtx): number | null {
  const cat = c.info.category & 0xff;
  if (!isExit(c) || !c.evtFd || cat < EC.EC_IO_READ || cat > EC.EC_IO_OTHER) return null;
  const r = resValue(c);
  return r !== null && r >= 0 ? r : null;
}

const OPEN_EXITS = new Set(['open', 'openat', 'openat2', 'creat', 'open_by_handle_at']);
const PPM_O_RDONLY = 1, PPM_O_WRONLY = 2, PPM_O_CREAT = 4, PPM_O_TMPFILE = 8192;

function openFlags(c: EventCtx): number | null {
  if (!OPEN_EXITS.has(c.info.name)) return null;
  const i = paramIndex(c.info, 'flags');
  if (i >= 0 && c.ev.params[i]?.length) return pUint(c.ev.params[i]);
  if (c.fd && isFile(c.fd.type)) return c.fd.openFlags;
  return null;
}

function ioCategory(c: EventCtx): 'file' | 'net' | 'other' {
  const fd = c.evtFd ?? c.fd;
  if (!fd) return 'other';
  if (isFile(fd.type)) return 'file';
  if (isIpSocket(fd.type) || isServSocket(fd.type) || fd.type === FdType.UNIX_SOCK) return 'net';
  return 'other';
}

function errorKind(c: EventCtx): 'file' | 'net' | 'memory' | 'other' {
  const cat = c.info.category & 0xff;
  if (cat === EC.EC_MEMORY) return 'memory';
  if ((c.evtFd ?? c.fd) || !(c.info.flags & (EF.EF_CREATES_FD | EF.EF_USES_FD | EF.EF_DESTROYS_FD))) return ioCategory(c);
  // an fd event whose fd is unknown (failed open, failed connect): by the event's category
  return cat === EC.EC_FILE ? 'file' : cat === EC.EC_NET ? 'net' : 'other';
}

function buflenDir(c: EventCtx, dir: 'in' | 'out' | 'any', cat: 'file' | 'net' | 'any'): number | null {
  const n = buflen(c);
  if (n === null) return null;
  if (dir === 'in' && !(c.info.flags & EF.EF_READS_FROM_FD)) return null;
  if (dir === 'out' && !(c.info.flags & EF.EF_WRITES_TO_FD)) return null;
  // the I/O subcategory: ip sockets are net, unix sockets are ipc
  if (cat !== 'any' && ioCategory(c) !== cat) return null;
  if (cat === 'net' && (c.evtFd ?? c.fd)?.type === FdType.UNIX_SOCK) return null;
  return n;
}

function isoTime(ts: bigint): string {
  const d = new Date(Number(ts / 1000000n));
  const ns = String(Number(((ts % 1000000000n) + 1000000000n) % 1000000000n)).padStart(9, '0');
  return d.toISOString().slice(0, 19) + '.' + ns + '+0000';
}

/** the *at syscalls whose paths sysdig 0.29.3 resolves for evt.abspath */
const ABSPATH_EVENTS = new Set(['renameat', 'renameat2', 'linkat', 'symlinkat', 'unlinkat', 'mkdirat']);

function absPath(c: EventCtx, which: string | undefined): string | null {
  const info = c.info;
  if (!ABSPATH_EVENTS.has(info.name)) return null;
  const t = c.thread;
  if (!t) return null;
  const names: [string, string][] =
    which === 'src' ? [['olddirfd', 'oldpath'], ['dirfd', 'path'], ['dirfd', 'name'], ['olddir', 'oldpath']]
      : which === 'dst' ? [['newdirfd', 'newpath'], ['linkdirfd', 'linkpath'], ['newdir', 'newpath']]
        : [['dirfd', 'name'], ['dirfd', 'path'], ['dirfd', 'pathname']];
  for (const [dn, pn] of names) {
    const pi = paramIndex(info, pn);
    if (pi < 0) continue;
    const path = pStr(c.ev.params[pi]);
    const di = paramIndex(info, dn);
    const dirfd = di >= 0 ? pInt(c.ev.params[di], -100) : -100;
    if (path.startsWith('/')) return path;
    let base = (c.host.threads.mainAt(t, c.epoch) ?? t).cwd;
    if (dirfd !== -100) {
      const f = fdAt(c.fdTable, dirfd, c.epoch);
      if (!f) return null;
      base = f.name;
    }
    return base.endsWith('/') ? base + path : base + '/' + path;
  }
  return null;
}

// ------------------------------------------------------------------ proc.*

function main(c: EventCtx): ThreadInfo | null {
  const t = c.thread;
  if (!t) return null;
  return c.host.threads.mainAt(t, c.epoch) ?? null;
}
function parent(c: EventCtx): ThreadInfo | null {
  const t = c.thread;
  if (!t) return null;
  return c.host.threads.getAt(t.ptid, c.epoch) ?? null;
}
/** ancestor N (0 = the process itself) */
function ancestor(c: EventCtx, arg: string | undefined, dflt = 1): ThreadInfo | null {
  const t = c.thread;
  if (!t) return null;
  const n = arg === undefined ? dflt : Number(arg);
  if (!Number.isInteger(n) || n < 0) return null;
  return c.host.threads.ancestorAt(t, n, c.epoch) ?? null;
}
/** every ancestor process from the parent up (what `proc.aname = x` without an index matches against) */
function ancestors(c: EventCtx): ThreadInfo[] {
  const out: ThreadInfo[] = [];
  let mt = main(c);
  const seen = new Set<number>();
  while (mt && out.length < 256) {
    const p = c.host.threads.getAt(mt.ptid, c.epoch);
    if (!p || seen.has(p.tid)) break;
    seen.add(p.tid);
    out.push(p);
    mt = c.host.threads.mainAt(p, c.epoch) ?? p;
  }
  return out;
}
/** proc.aX: the N-th ancestor's value, or (no index) the list of all ancestors' values */
function anc(f: (t: ThreadInfo) => string | number): Extract {
  return (c, a) => {
    if (!c.thread) return null;
    if (a === undefined) return ancestors(c).map((t) => String(f(t)));
    const t = ancestor(c, a);
    return t ? f(t) : null;
  };
}
function byTid(c: EventCtx, tid: number): ThreadInfo | null {
  return c.host.threads.getAt(tid, c.epoch) ?? null;
}
/** the session / process-group leader: the thread whose tid is the id, else the highest ancestor with the same id */
function leader(c: EventCtx, key: 'sid' | 'vpgid'): ThreadInfo | null {
  const t = c.thread;
  if (!t) return null;
  const id = t[key];
  const direct = c.host.threads.getAt(id, c.epoch);
  if (direct) return direct;
  let mt = main(c) ?? t;
  for (let i = 0; i < 1000; i++) {
    const p = c.host.threads.getAt(mt.ptid, c.epoch);
    if (!p || p[key] !== id) break;
    mt = p;
  }
  return mt;
}
function envValue(t: ThreadInfo | null, arg: string | undefined): string | null {
  if (!t) return null;
  if (arg === undefined) return t.env.some((e) => e !== '') ? t.env.join(' ') : '';
  const pre = arg + '=';
  for (const e of t.env) if (e.startsWith(pre)) return e.slice(pre.length);
  return null;
}
/** the fd table the event's thread used (the one the event saw; the thread's current one for events without) */
function fdTableOf(c: EventCtx) {
  return c.fdTable ?? (c.thread ? c.host.threads.fdTable(c.thread) : undefined);
}
/** the event thread's [vmsize, vmrss, vmswap] at the event */
function vm(c: EventCtx): readonly [number, number, number] {
  return c.host.threads.vmAt(c.thread!, c.epoch);
}
function stdFd(c: EventCtx, n: number, what: 'type' | 'name'): string | null {
  const t = c.thread;
  if (!t) return null;
  const fd = fdAt(fdTableOf(c), n, c.epoch);
  if (!fd) return null;
  return what === 'type' ? fdTypeName(fd) : fd.name;
}
function capString(v: bigint): string | null {
  if (v === 0n) return '';
  const names = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP',
    'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE',
    'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
    'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
    'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE'];
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) if (v & (1n << BigInt(i))) out.push(names[i]!);
  return out.join(' ');
}

// ------------------------------------------------------------------ fd.*

/** the fd name sysdig shows when the fd is not in the table: the path of a (failed) open, '' for other exits */
function nullFdName(c: EventCtx): string | null {
  if (!isExit(c)) return null;
  if (!OPEN_EXITS.has(c.info.name)) return '';
  const i = paramIndex(c.info, 'name');
  if (i < 0 || !c.ev.params[i]) return null;
  const t = c.thread;
  const name = pStr(c.ev.params[i]);
  if (!t) return name;
  const di = paramIndex(c.info, 'dirfd');
  const [v, r] = renderParam(c.ev, c.info, i, envOf(c));
  void di;
  return r || v;
}

function fdDirectory(fd: FdInfo): string | null {
  if (fd.type === FdType.DIRECTORY) return fd.name;
  if (!isFile(fd.type)) return null;
  const k = fd.name.lastIndexOf('/');
  if (k < 0) return null;
  return k === 0 ? '/' : fd.name.slice(0, k);
}
function fdFilename(fd: FdInfo): string | null {
  if (!isFile(fd.type) || fd.type === FdType.DIRECTORY) return null;
  const k = fd.name.lastIndexOf('/');
  return k < 0 ? fd.name : fd.name.slice(k + 1);
}
function clientIp(fd: FdInfo): string | null {
  return isIpSocket(fd.type) && fd.sip ? fd.sip : null;
}
function serverIp(fd: FdInfo): string | null {
  if (isServSocket(fd.type)) return fd.sip || null;
  return isIpSocket(fd.type) && fd.dip ? fd.dip : null;
}
function clientPort(fd: FdInfo): number | null {
  if (fd.role === Role.NONE) return null;
  if (isIpSocket(fd.type)) return fd.sport;
  return 0; // what sysdig 0.29.3 prints for other fds with a role (server sockets, unix)
}
function serverPort(fd: FdInfo): number | null {
  if (isServSocket(fd.type)) return fd.sport;
  return isIpSocket(fd.type) && fd.role !== Role.NONE ? fd.dport : null;
}
/** the type char sysdig gives fd-creating events whose fd is not (yet) in the table */
function nullFdTypeChar(c: EventCtx): string {
  switch (c.info.name) {
    case 'open': case 'openat': case 'openat2': case 'creat': return 'f';
    case 'socket': case 'accept': return '4';
    case 'pipe': return 'p';
    case 'eventfd': return 'e';
    case 'signalfd': return 's';
    case 'timerfd_create': return 't';
    case 'inotify_init': return 'i';
    default: return 'o';
  }
}
/** is_ipv4addr_in_local_machine / is_ipv6addr_in_local_machine: an interface address or the container's ip */
function isLocalAddr(c: EventCtx, ip: string): boolean {
  const cid = c.thread?.containerId;
  if (cid && cid !== 'host') {
    const ci = c.host.containers.getAt(cid, c.epoch);
    if (ci?.ip && ci.ip === ip) return true;
  }
  return c.host.interfaces.isLocal(ip || (ip === '' ? '0.0.0.0' : ip), c.epoch);
}
function local(c: EventCtx, fd: FdInfo, which: 'ip' | 'port', isLocalSide: boolean): Value {
  if (!isIpSocket(fd.type) || fd.role === Role.NONE) return null;
  const srcLocal = isLocalAddr(c, fd.sip);
  const useSrc = srcLocal === isLocalSide;
  if (which === 'ip') return (useSrc ? fd.sip : fd.dip) || null;
  return useSrc ? fd.sport : fd.dport;
}

/** filter-only "either side" fields: both values (a filter matches if either does) */
function both(a: string | number | null, b: string | number | null): string[] | null {
  const out: string[] = [];
  if (a !== null) out.push(String(a));
  if (b !== null) out.push(String(b));
  return out.length ? out : null;
}

/** fd fields use the fd of fd-related events only */
function withFd(f: (fd: FdInfo, c: EventCtx) => Value, onNull?: (c: EventCtx) => Value): Extract {
  return (c) => {
    if (c.fdNum === null) return null;
    const fd = c.fd;
    if (!fd) return onNull ? onNull(c) : null;
    return f(fd, c);
  };
}

function fdlist(c: EventCtx, f: (fd: FdInfo) => string | number | null): string | null {
  const i = c.info.params.findIndex((p) => p.type === PT.PT_FDLIST);
  if (i < 0) return null;
  const p = c.ev.params[i];
  if (!p || p.length < 2) return null;
  const n = p[0]! | (p[1]! << 8);
  const out: string[] = [];
  for (let j = 0, off = 2; j < n && off + 10 <= p.length; j++, off += 10) {
    const fdn = pInt(p.subarray(off, off + 8));
    const fd = fdAt(c.fdTable, fdn, c.epoch);
    const v = fd ? f(fd) : null;
    if (v !== null && v !== '') out.push(String(v));
  }
  return out.length ? out.join(',') : null;
}

/** failed connect exits show the tuple of the event, not the fd's name */
function connectFailName(c: EventCtx): string | null {
  if (c.info.name !== 'connect' || !isExit(c)) return null;
  const r = pInt(c.ev.params[0], 0);
  if (r >= 0) return null;
  const i = paramIndex(c.info, 'tuple');
  const p = i >= 0 ? c.ev.params[i] : undefined;
  return p ? tupleText(p) : null;
}

/** the container id as libsinsp stores it (empty for the host) */
function cidRaw(c: EventCtx): string {
  const id = c.thread?.containerId ?? '';
  return id === 'host' ? '' : id;
}

// ------------------------------------------------------------------ container.*

function container(c: EventCtx) {
  const id = c.thread?.containerId;
  return id ? c.host.containers.getAt(id, c.epoch) : undefined;
}
function containerField(f: (ci: NonNullable<ReturnType<typeof container>>) => Value, host: Value = null): Extract {
  return (c) => {
    const id = c.thread?.containerId;
    if (!id) return null;
    if (id === 'host') return host;
    const ci = c.host.containers.getAt(id, c.epoch);
    return ci ? f(ci) : null;
  };
}

// ------------------------------------------------------------------ table

const PATH_EVENTS: Record<string, [string, string?]> = {
  mkdir: ['path'], mkdirat: ['path'], rmdir: ['path'], unlink: ['path'], unlinkat: ['name'], open: ['name'], openat: ['name'],
  openat2: ['name'], creat: ['name'], chmod: ['filename'], fchmodat: ['filename'], chown: ['path'], fchownat: ['pathname'],
  rename: ['oldpath', 'newpath'], renameat: ['oldpath', 'newpath'], renameat2: ['oldpath', 'newpath'], link: ['oldpath', 'newpath'],
  linkat: ['oldpath', 'newpath'], symlink: ['target', 'linkpath'], symlinkat: ['target', 'linkpath'], mount: ['dev', 'dir'],
};
function fsPath(c: EventCtx, which: 'name' | 'source' | 'target', raw: boolean): string | null {
  const spec = PATH_EVENTS[c.info.name];
  if (!spec) return null;
  const single = spec.length === 1;
  if (which === 'name' ? !single : single) return null;
  const pn = which === 'target' ? spec[1]! : spec[0];
  const i = paramIndex(c.info, pn);
  if (i < 0 || !c.ev.params[i]) return null;
  if (raw) return pStr(c.ev.params[i]);
  const [v, r] = renderParam(c.ev, c.info, i, envOf(c));
  return r || v;
}

export const EXTRACTORS: Record<string, Extract> = {
  // evt (generic)
  'evt.num': (c) => c.num,
  'evt.time': (c) => formatTime(c.ev.ts),
  'evt.time.s': (c) => formatTime(c.ev.ts).slice(0, 8),
  'evt.time.iso8601': (c) => isoTime(c.ev.ts),
  'evt.datetime': (c) => formatDatetime(c.ev.ts),
  'evt.datetime.s': (c) => formatDatetime(c.ev.ts).slice(0, 19),
  'evt.rawtime': (c) => c.ev.ts,
  'evt.rawtime.s': (c) => Number(c.ev.ts / 1000000000n),
  'evt.rawtime.ns': (c) => Number(c.ev.ts % 1000000000n),
  'evt.reltime': (c) => Number(c.ev.ts - c.host.firstTs),
  'evt.reltime.s': (c) => Math.floor(Number(c.ev.ts - c.host.firstTs) / 1e9),
  'evt.reltime.ns': (c) => Number(c.ev.ts - c.host.firstTs) % 1e9,
  'evt.pluginname': () => null,
  'evt.plugininfo': () => null,
  'evt.source': () => 'syscall',
  'evt.is_async': () => false,
  'evt.asynctype': () => null,
  'evt.hostname': (c) => c.host.hostname || null,
  // evt (syscall)
  'evt.latency': (c) => latency(c),
  'evt.latency.s': (c) => Math.floor(latency(c) / 1e9),
  'evt.latency.ns': (c) => latency(c) % 1e9,
  'evt.latency.quantized': (c) => (latency(c) > 0 ? Math.floor(Math.log10(latency(c)) * 10) : 0),
  'evt.latency.human': (c) => humanNs(latency(c)),
  'evt.deltatime': (c) => delta(c),
  'evt.deltatime.s': (c) => Math.floor(delta(c) / 1e9),
  'evt.deltatime.ns': (c) => delta(c) % 1e9,
  'evt.outputtime': (c) => formatTime(c.ev.ts),
  'evt.dir': (c) => c.info.dir,
  'evt.type': (c) => eventTypeName(c.ev, c.info),
  'evt.type.is': (c, arg) => (eventTypeName(c.ev, c.info) === arg ? 1 : 0),
  'syscall.type': (c) => (c.info.category & EC.EC_INTERNAL || (c.info.category & 0xff) === EC.EC_SCHEDULER ? null : eventTypeName(c.ev, c.info)),
  'evt.category': (c) => categoryName(c.info, c.evtFd, c.ev),
  'evt.cpu': (c) => c.ev.cpu,
  'evt.args': (c) => renderArgs(c.ev, c.info, envOf(c)),
  'evt.arg': (c, arg) => argText(c, arg),
  'evt.rawarg': (c, arg) => rawArg(c, arg),
  'evt.info': (c) => renderArgs(c.ev, c.info, envOf(c)),
  'evt.buffer': (c) => {
    const b = bufferParam(c);
    return b ? Buffer.from(b).toString('latin1') : null;
  },
  'evt.buflen': (c) => buflen(c),
  'evt.res': (c) => resString(c),
  'evt.rawres': (c) => resValue(c),
  'evt.failed': (c) => {
    const r = resValue(c);
    return r !== null && r < 0;
  },
  'evt.is_io': (c) => isIo(c),
  'evt.is_io_read': (c) => (c.info.flags & EF.EF_READS_FROM_FD) !== 0,
  'evt.is_io_write': (c) => (c.info.flags & EF.EF_WRITES_TO_FD) !== 0,
  'evt.io_dir': (c) => (c.info.flags & EF.EF_READS_FROM_FD ? 'read' : c.info.flags & EF.EF_WRITES_TO_FD ? 'write' : null),
  'evt.is_wait': (c) => (c.info.flags & EF.EF_WAITS) !== 0,
  'evt.wait_latency': () => null,
  'evt.is_syslog': (c) => !!(c.fd && c.fd.name === '/dev/log' && c.info.flags & EF.EF_WRITES_TO_FD),
  'evt.count': () => 1,
  // counters are 1 when they count the event, absent otherwise (as sysdig prints them)
  'evt.count.error': (c) => ((resValue(c) ?? 0) < 0 ? 1 : null),
  // error counters by the kind of the event's fd (file / ip socket), memory events, or other
  'evt.count.error.file': (c) => ((resValue(c) ?? 0) < 0 && errorKind(c) === 'file' ? 1 : null),
  'evt.count.error.net': (c) => ((resValue(c) ?? 0) < 0 && errorKind(c) === 'net' ? 1 : null),
  'evt.count.error.memory': (c) => ((resValue(c) ?? 0) < 0 && errorKind(c) === 'memory' ? 1 : null),
  'evt.count.error.other': (c) => ((resValue(c) ?? 0) < 0 && errorKind(c) === 'other' ? 1 : null),
  'evt.count.exit': (c) => (isExit(c) ? 1 : null),
  'evt.count.procinfo': (c) => (c.info.code === PROCINFO ? 1 : null),
  'evt.count.threadinfo': () => null,
  'evt.around': () => null,
  'evt.abspath': (c, arg) => absPath(c, arg),
  'evt.buflen.in': (c) => buflenDir(c, 'in', 'any'),
  'evt.buflen.out': (c) => buflenDir(c, 'out', 'any'),
  'evt.buflen.file': (c) => buflenDir(c, 'any', 'file'),
  'evt.buflen.file.in': (c) => buflenDir(c, 'in', 'file'),
  'evt.buflen.file.out': (c) => buflenDir(c, 'out', 'file'),
  'evt.buflen.net': (c) => buflenDir(c, 'any', 'net'),
  'evt.buflen.net.in': (c) => buflenDir(c, 'in', 'net'),
  'evt.buflen.net.out': (c) => buflenDir(c, 'out', 'net'),
  'evt.is_open_read': (c) => {
    const f = openFlags(c);
    return f === null ? false : (f & PPM_O_RDONLY) !== 0;
  },
  'evt.is_open_write': (c) => {
    const f = openFlags(c);
    return f === null ? false : (f & PPM_O_WRONLY) !== 0;
  },
  'evt.is_open_exec': (c) => {
    const f = openFlags(c);
    if (f === null || !(f & (PPM_O_CREAT | PPM_O_TMPFILE))) return false;
    const m = pUint(c.ev.params[paramIndex(c.info, 'mode')]);
    return (m & 0o111) !== 0;
  },
  'evt.is_open_create': (c) => {
    const f = openFlags(c);
    return f === null ? false : (f & PPM_O_CREAT) !== 0;
  },
  'evt.infra.docker.name': () => null,
  'evt.infra.docker.container.id': () => null,
  'evt.infra.docker.container.name': () => null,
  'evt.infra.docker.container.image': () => null,

  // proc / thread
  'proc.exe': (c) => c.thread?.exe ?? null,
  'proc.pexe': (c) => parent(c)?.exe ?? null,
  'proc.aexe': anc((t) => t.exe),
  'proc.exepath': (c) => c.thread?.exepath ?? null,
  'proc.pexepath': (c) => parent(c)?.exepath ?? null,
  'proc.aexepath': anc((t) => t.exepath),
  'proc.name': (c) => c.thread?.comm ?? null,
  'proc.pname': (c) => (c.thread ? (c.pname !== undefined ? c.pname : c.host.threads.getAt(c.thread.ptid, c.epoch)?.comm ?? null) : null),
  'proc.aname': anc((t) => t.comm),
  'proc.args': (c, a) => {
    const t = c.thread;
    if (!t) return null;
    if (a !== undefined) return t.args[Number(a)] ?? null;
    return t.args.join(' ');
  },
  'proc.aargs': anc((t) => t.args.join(' ')),
  'proc.cmdline': (c) => (c.thread ? cmdline(c.thread) : null),
  'proc.pcmdline': (c) => {
    const p = parent(c);
    return p ? cmdline(p) : null;
  },
  'proc.acmdline': anc(cmdline),
  'proc.cmdnargs': (c) => c.thread?.args.length ?? null,
  'proc.cmdlenargs': (c) => (c.thread ? c.thread.args.reduce((n, s) => n + s.length, 0) : null),
  'proc.exeline': (c) => (c.thread ? `${c.thread.exe} ${c.thread.args.join(' ')}` : null),
  'proc.env': (c, a) => envValue(main(c) ?? c.thread, a),
  'proc.aenv': (c, a) => envValue(ancestor(c, a), undefined),
  'proc.cwd': (c) => (c.thread ? (main(c) ?? c.thread).cwd : null),
  'proc.loginshellid': (c) => {
    let t = c.thread ? main(c) : null;
    let found: number | null = null;
    for (let i = 0; t && i < 64; i++) {
      if (t.exe.endsWith('sh') || t.comm.endsWith('sh')) found = t.pid;
      t = byTid(c, t.ptid);
    }
    return found;
  },
  'proc.tty': (c) => c.thread?.tty ?? null,
  'proc.pid': (c) => c.thread?.pid ?? null,
  'proc.ppid': (c) => (c.thread ? (c.ppid !== undefined ? c.ppid : c.host.threads.ppidAt(c.thread, c.epoch)) : null),
  'proc.apid': anc((t) => t.pid),
  'proc.vpid': (c) => (c.thread && c.thread.vpid !== -1 ? c.thread.vpid : null),
  'proc.pvpid': (c) => parent(c)?.vpid ?? null,
  'proc.sid': (c) => c.thread?.sid ?? null,
  'proc.sname': (c) => leader(c, 'sid')?.comm ?? null,
  'proc.sid.exe': (c) => leader(c, 'sid')?.exe ?? null,
  'proc.sid.exepath': (c) => leader(c, 'sid')?.exepath ?? null,
  'proc.vpgid': (c) => c.thread?.vpgid ?? null,
  'proc.vpgid.name': (c) => leader(c, 'vpgid')?.comm ?? null,
  'proc.vpgid.exe': (c) => leader(c, 'vpgid')?.exe ?? null,
  'proc.vpgid.exepath': (c) => leader(c, 'vpgid')?.exepath ?? null,
  'proc.pgid': () => null,
  'proc.pgid.name': () => null,
  'proc.pgid.exe': () => null,
  'proc.pgid.exepath': () => null,
  'proc.duration': (c) => {
    const t = c.thread;
    return t && t.cloneTs > 0n ? Number(c.ev.ts - t.cloneTs) : null;
  },
  'proc.ppid.duration': (c) => {
    const m = main(c);
    const p = m ? byTid(c, m.ptid) : null;
    return p && p.cloneTs > 0n ? Number(c.ev.ts - p.cloneTs) : null;
  },
  'proc.pid.ts': (c) => {
    const m = main(c);
    return m && m.cloneTs > 0n ? m.cloneTs : null;
  },
  'proc.ppid.ts': (c) => {
    const m = main(c);
    const p = m ? byTid(c, m.ptid) : null;
    return p && p.cloneTs > 0n ? p.cloneTs : null;
  },
  'proc.is_exe_writable': (c) => c.thread?.exeWritable ?? null,
  'proc.is_exe_upper_layer': (c) => (c.thread ? false : null),
  'proc.is_exe_lower_layer': (c) => (c.thread ? false : null),
  'proc.is_exe_from_memfd': (c) => (c.thread ? false : null),
  'proc.is_sid_leader': (c) => (c.thread ? c.thread.sid === c.thread.vpid : null),
  'proc.is_vpgid_leader': (c) => (c.thread ? c.thread.vpgid === c.thread.vpid : null),
  'proc.is_pgid_leader': () => null,
  'proc.exe_ino': () => null,
  'proc.exe_ino.ctime': () => null,
  'proc.exe_ino.mtime': () => null,
  'proc.exe_ino.ctime_duration_proc_start': () => null,
  'proc.exe_ino.ctime_duration_pidns_start': () => null,
  'proc.pidns_init_start_ts': (c) => (c.thread && c.thread.pidnsInitStartTs ? c.thread.pidnsInitStartTs : null),
  'thread.cap_permitted': (c) => (c.thread ? capString(c.thread.capPermitted) : null),
  'thread.cap_inheritable': (c) => (c.thread ? capString(c.thread.capInheritable) : null),
  'thread.cap_effective': (c) => (c.thread ? capString(c.thread.capEffective) : null),
  'proc.fdopencount': (c) => (c.thread ? fdCountAt(fdTableOf(c), c.epoch) : null),
  'proc.fdlimit': (c) => (c.thread ? (main(c) ?? c.thread).fdlimit : null),
  'proc.fdusage': (c) => {
    const t = c.thread;
    if (!t) return null;
    const lim = (main(c) ?? t).fdlimit;
    const n = fdCountAt(fdTableOf(c), c.epoch);
    return lim > 0 ? (n * 100) / lim : null;
  },
  'proc.vmsize': (c) => (c.thread ? vm(c)[0] : null),
  'proc.vmrss': (c) => (c.thread ? vm(c)[1] : null),
  'proc.vmswap': (c) => (c.thread ? vm(c)[2] : null),
  'thread.pfmajor': (c) => c.thread?.pfmajor ?? null,
  'thread.pfminor': (c) => c.thread?.pfminor ?? null,
  'thread.tid': (c) => (c.thread ? c.thread.tid : Number(c.ev.tid)),
  'thread.ismain': (c) => (c.thread ? c.thread.tid === c.thread.pid : null),
  'thread.vtid': (c) => (c.thread && c.thread.vtid !== -1 ? c.thread.vtid : null),
  'thread.nametid': (c) => (c.thread ? `${c.thread.comm}${c.thread.tid}` : null),
  'thread.exectime': () => null,
  'thread.totexectime': () => null,
  'thread.cgroups': (c) => (c.thread && c.thread.cgroups.length ? c.thread.cgroups.map((g) => (g.startsWith('io=') ? 'blkio' + g.slice(2) : g)).join(' ') : null),
  'thread.cgroup': (c, a) => {
    if (!c.thread || a === undefined) return null;
    for (const cg of c.thread.cgroups) {
      const eq = cg.indexOf('=');
      if (eq >= 0 && cg.slice(0, eq).split(',').includes(a)) return cg.slice(eq + 1);
    }
    return null;
  },
  'proc.nthreads': (c) => (c.thread ? c.host.threads.threadsOfAt(c.thread.pid, c.epoch) : null),
  'proc.nchilds': (c) => (c.thread ? c.host.threads.childrenOfAt(c.thread.tid, c.epoch) : null),
  'thread.cpu': () => null,
  'thread.cpu.user': () => null,
  'thread.cpu.system': () => null,
  // what sysdig 0.29.3 prints: the counters of main threads, 0 for the other threads
  'thread.vmsize': (c) => (c.thread ? (c.thread.tid === c.thread.pid ? vm(c)[0] : 0) : null),
  'thread.vmrss': (c) => (c.thread ? (c.thread.tid === c.thread.pid ? vm(c)[1] : 0) : null),
  'thread.vmsize.b': (c) => (c.thread ? (c.thread.tid === c.thread.pid ? vm(c)[0] * 1024 : 0) : null),
  'thread.vmrss.b': (c) => (c.thread ? (c.thread.tid === c.thread.pid ? vm(c)[1] * 1024 : 0) : null),
  'proc.stdin.type': (c) => stdFd(c, 0, 'type'),
  'proc.stdout.type': (c) => stdFd(c, 1, 'type'),
  'proc.stderr.type': (c) => stdFd(c, 2, 'type'),
  'proc.stdin.name': (c) => stdFd(c, 0, 'name'),
  'proc.stdout.name': (c) => stdFd(c, 1, 'name'),
  'proc.stderr.name': (c) => stdFd(c, 2, 'name'),

  // user / group
  'user.uid': (c) => (c.thread ? c.thread.uid : null),
  'user.name': (c) => (c.thread ? c.host.users.user(c.thread.uid)?.name ?? null : null),
  'user.homedir': (c) => (c.thread ? c.host.users.user(c.thread.uid)?.homedir ?? null : null),
  'user.shell': (c) => (c.thread ? c.host.users.user(c.thread.uid)?.shell ?? null : null),
  'user.loginuid': (c) => (c.thread ? (c.thread.loginuid === 0xffffffff ? -1 : c.thread.loginuid) : null),
  'user.loginname': (c) => (c.thread && c.thread.loginuid !== 0xffffffff ? c.host.users.user(c.thread.loginuid)?.name ?? null : null),
  'group.gid': (c) => (c.thread ? c.thread.gid : null),
  'group.name': (c) => (c.thread ? c.host.users.group(c.thread.gid)?.name ?? null : null),

  // fd
  'fd.num': (c) => c.fdNum,
  'fd.type': withFd((fd) => fdTypeName(fd)),
  'fd.typechar': withFd((fd) => fdTypeChar(fd), nullFdTypeChar),
  'fd.name': withFd((fd, c) => connectFailName(c) ?? fd.name, nullFdName),
  'fd.directory': withFd((fd) => fdDirectory(fd), (c) => {
    const n = nullFdName(c);
    if (n === null) return null;
    const k = n.lastIndexOf('/');
    return k <= 0 ? '/' : n.slice(0, k);
  }),
  'fd.filename': withFd((fd) => fdFilename(fd)),
  'fd.ip': withFd((fd) => both(clientIp(fd), serverIp(fd))),
  'fd.cip': withFd((fd) => clientIp(fd)),
  'fd.sip': withFd((fd) => serverIp(fd)),
  'fd.lip': withFd((fd, c) => local(c, fd, 'ip', true)),
  'fd.rip': withFd((fd, c) => local(c, fd, 'ip', false)),
  'fd.port': withFd((fd) => both(clientPort(fd), serverPort(fd))),
  'fd.cport': withFd((fd) => clientPort(fd)),
  'fd.sport': withFd((fd) => serverPort(fd)),
  'fd.lport': withFd((fd, c) => local(c, fd, 'port', true)),
  'fd.rport': withFd((fd, c) => local(c, fd, 'port', false)),
  'fd.l4proto': withFd((fd) => (isServSocket(fd.type) || (isIpSocket(fd.type) && fd.role !== Role.NONE) ? l4Name(fd) : null)),
  'fd.sockfamily': withFd((fd) => (isIpSocket(fd.type) || isServSocket(fd.type) ? 'ip' : fd.type === FdType.UNIX_SOCK ? 'unix' : null)),
  'fd.is_server': withFd((fd, c) => isServSocket(fd.type) || (isIpSocket(fd.type) && isLocalAddr(c, fd.dip || (fd.type === FdType.IPV6_SOCK ? '::' : '0.0.0.0')))),
  'fd.uid': withFd((fd, c) => `${c.thread?.tid ?? ''}${fd.num}`, (c) => (c.thread ? `${c.thread.tid}${c.fdNum}` : null)),
  'fd.containername': withFd((fd, c) => `${cidRaw(c)}:${connectFailName(c) ?? fd.name}`, (c) => {
    const n = nullFdName(c);
    return n === null ? null : `${cidRaw(c)}:${n}`;
  }),
  'fd.containerdirectory': withFd((fd, c) => {
    const d = fdDirectory(fd);
    return d === null ? null : `${cidRaw(c)}:${d}`;
  }),
  'fd.proto': () => null,
  'fd.cproto': () => null,
  'fd.sproto': () => null,
  'fd.lproto': () => null,
  'fd.rproto': () => null,
  'fd.net': withFd((fd) => both(clientIp(fd), serverIp(fd))),
  'fd.cnet': withFd((fd) => clientIp(fd)),
  'fd.snet': withFd((fd) => serverIp(fd)),
  'fd.lnet': withFd((fd, c) => local(c, fd, 'ip', true)),
  'fd.rnet': withFd((fd, c) => local(c, fd, 'ip', false)),
  'fd.connected': withFd((fd) => fd.connected),
  'fd.name_changed': withFd(() => false),
  'fd.cip.name': () => null,
  'fd.sip.name': () => null,
  'fd.lip.name': () => null,
  'fd.rip.name': () => null,
  'fd.dev': withFd((fd) => (isFile(fd.type) ? fd.dev : null)),
  'fd.dev.major': withFd((fd) => (isFile(fd.type) ? (fd.dev >>> 20) & 0xfff : null)),
  'fd.dev.minor': withFd((fd) => (isFile(fd.type) ? fd.dev & 0xfffff : null)),
  'fd.ino': withFd((fd) => fd.ino),
  'fd.nameraw': withFd((fd) => fd.name, nullFdName),
  'fd.types': (c, a) => {
    const t = c.thread;
    if (!t) return null;
    const table = c.fdTable;
    if (!table) return null;
    if (a !== undefined) {
      const fd = fdAt(table, Number(a), c.epoch);
      return fd ? [fdTypeName(fd)] : null;
    }
    return [...new Set(fdsAt(table, c.epoch).map(fdTypeName))];
  },
  'fd.is_upper_layer': withFd(() => false),
  'fd.is_lower_layer': withFd(() => false),

  // fdlist
  'fdlist.nums': (c) => fdlist(c, (fd) => fd.num),
  'fdlist.names': (c) => fdlist(c, (fd) => fd.name),
  'fdlist.cips': (c) => fdlist(c, clientIp),
  'fdlist.sips': (c) => fdlist(c, serverIp),
  'fdlist.cports': (c) => fdlist(c, clientPort),
  'fdlist.sports': (c) => fdlist(c, serverPort),

  // fs.path
  'fs.path.name': (c) => fsPath(c, 'name', false),
  'fs.path.nameraw': (c) => fsPath(c, 'name', true),
  'fs.path.source': (c) => fsPath(c, 'source', false),
  'fs.path.sourceraw': (c) => fsPath(c, 'source', true),
  'fs.path.target': (c) => fsPath(c, 'target', false),
  'fs.path.targetraw': (c) => fsPath(c, 'target', true),

  // container (sysdig 0.29.3 container engine semantics)
  'container.id': (c) => c.thread?.containerId ?? null,
  'container.name': containerField((ci) => ci.name || null, 'host'),
  'container.image': containerField((ci) => ci.image || null),
  'container.image.id': containerField((ci) => ci.imageId ?? null),
  'container.image.repository': containerField((ci) => ci.imageRepo ?? null),
  'container.image.tag': containerField((ci) => ci.imageTag ?? null),
  'container.image.digest': containerField((ci) => ci.imageDigest ?? null),
  'container.type': containerField((ci) => CONTAINER_TYPES[ci.type] ?? null, 'host'),
  'container.privileged': containerField((ci) => ci.privileged ?? null),
  'container.full_id': containerField((ci) => ci.fullId ?? null),
  'container.ip': containerField((ci) => ci.ip ?? null),
  'container.mounts': containerField((ci) =>
    ci.mounts ? ci.mounts.map((m) => `${m.Source ?? ''}:${m.Destination ?? ''}:${m.Mode ?? ''}:${m.RW ? 'true' : 'false'}:${m.Propagation ?? ''}`).join(',') : null),
  'container.label': (c, a) => {
    const ci = container(c);
    return a !== undefined && ci?.labels ? ci.labels[a] ?? null : null;
  },
  'container.labels': containerField((ci) => (ci.labels ? Object.entries(ci.labels).map(([k, v]) => `${k}:${v}`).join(', ') : null)),
  'container.is_pod_sandbox': containerField((ci) => ci.isPodSandbox ?? null),
};

function latency(c: EventCtx): number {
  return Number(c.latencyEnd - c.latencyStart);
}
function delta(c: EventCtx): number {
  return Number(c.ev.ts - c.prevTs);
}

/** sysdig's human latency: value in ns/us/ms/s, 2 truncated decimals below 10 */
function humanNs(ns: number): string {
  if (ns < 0) return '';
  if (ns === 0) return '0ns';
  const [unit, div] = ns >= 1e9 ? ['s', 1e9] : ns >= 1e6 ? ['ms', 1e6] : ns >= 1e3 ? ['us', 1e3] : ['ns', 1];
  const whole = Math.floor(ns / div);
  if (div === 1 || whole >= 10) return `${whole}${unit}`;
  const frac = Math.floor(((ns % div) * 100) / div);
  return `${whole}.${String(frac).padStart(2, '0')}${unit}`;
}

/** The value of one field for an event context (null = absent). Unknown fields are null. */
export function fieldValue(c: EventCtx, name: string, arg?: string): Value {
  const f = EXTRACTORS[name];
  if (f) return f(c, arg);
  // evt.arg.NAME / evt.rawarg.NAME / evt.type.is.NAME / thread.cgroup.X / evt.abspath.src spelled with a dot
  const m = /^(evt\.arg|evt\.rawarg|evt\.type\.is|thread\.cgroup|evt\.abspath|proc\.env|proc\.aname|proc\.apid)\.(.+)$/.exec(name);
  if (m) return EXTRACTORS[m[1]!]!(c, m[2]);
  return null;
}

/** A `{get(field, arg)}` view of an event context, for filters and streaming consumers. */
export class ScapRow {
  constructor(public ctx: EventCtx) {}
  get(field: string, arg?: string): Value {
    return fieldValue(this.ctx, field, arg);
  }
}

// ------------------------------------------------------------------ registry

function fieldType(pt: string, flags: string): FieldType {
  if (flags.includes('IS_LIST')) return 'list';
  switch (pt) {
    case 'CHARBUF': case 'BYTEBUF': case 'DYN': return 'string';
    case 'BOOL': return 'bool';
    case 'IPADDR': case 'IPNET': return 'ip';
    default: return 'number';
  }
}

const ARG_SPECS: Record<string, { required: boolean; kind: 'index' | 'name' | 'any'; description: string }> = {
  'evt.arg': { required: true, kind: 'any', description: 'argument name (evt.arg.fd) or index (evt.arg[0])' },
  'evt.rawarg': { required: true, kind: 'name', description: 'argument name, e.g. evt.rawarg.res' },
  'evt.type.is': { required: true, kind: 'name', description: 'an event type, e.g. evt.type.is.open' },
  'evt.around': { required: true, kind: 'any', description: 'evt.rawtime of the center event' },
  'evt.abspath': { required: true, kind: 'name', description: 'src or dst' },
  'thread.cgroup': { required: true, kind: 'name', description: 'cgroup subsystem, e.g. thread.cgroup.cpuacct' },
  'proc.env': { required: false, kind: 'name', description: 'an environment variable name' },
  'proc.args': { required: false, kind: 'index', description: 'argument index (0 = first argument after argv[0])' },
  'fd.types': { required: false, kind: 'index', description: 'an fd number' },
  'container.label': { required: true, kind: 'name', description: 'a label key' },
};
const ANCESTOR_FIELDS = ['proc.aexe', 'proc.aexepath', 'proc.aname', 'proc.aargs', 'proc.acmdline', 'proc.aenv', 'proc.apid'];

const CONTAINER_DEFS: [string, FieldType, string, string][] = [
  ['container.id', 'string', 'Container ID', 'the container id (first 12 hex chars of the runtime id, from the thread cgroups), or "host".'],
  ['container.name', 'string', 'Container Name', 'the container name, "host" for host processes.'],
  ['container.image', 'string', 'Image Name', 'the container image name (e.g. falcosecurity/falco:latest for docker).'],
  ['container.image.id', 'string', 'Image ID', 'the container image id (e.g. 6f7e2741b66b).'],
  ['container.image.repository', 'string', 'Repository', 'the container image repository (e.g. falcosecurity/falco).'],
  ['container.image.tag', 'string', 'Image Tag', 'the container image tag (e.g. stable, latest).'],
  ['container.image.digest', 'string', 'Registry Digest', 'the container image registry digest.'],
  ['container.type', 'string', 'Type', 'the container type, e.g. docker or rkt ("host" for host processes).'],
  ['container.privileged', 'bool', 'Privileged', "'true' for containers running as privileged, false otherwise."],
  ['container.full_id', 'string', 'Container ID', 'the full container id.'],
  ['container.ip', 'ip', 'Container IP', 'the container IP address.'],
  ['container.mounts', 'string', 'Mounts', 'a comma-separated list of mount information (source:dest:mode:rdrw:propagation).'],
  ['container.label', 'string', 'Label', 'a container label, e.g. container.label.foo.'],
  ['container.labels', 'string', 'Labels', 'the container labels as key:value pairs.'],
  ['container.is_pod_sandbox', 'bool', 'Pod Sandbox', "'true' if the container is a pod sandbox."],
];

/** Every scap field as a FieldDef (extract reads the EventCtx in the `raw` column). */
export function scapFieldDefs(): FieldDef[] {
  const defs: FieldDef[] = [];
  const wrap = (name: string) => {
    const f = EXTRACTORS[name];
    return f ? (raw: any, arg?: string): Value => (raw && raw.ev ? f(raw as EventCtx, arg) : null) : undefined;
  };
  for (const [name, pt, flags, display, desc] of LIBSINSP_FIELDS) {
    const d: FieldDef = {
      name, type: ANCESTOR_FIELDS.includes(name) && name !== 'proc.aenv' ? 'list' : fieldType(pt, flags), display, description: desc, source: 'syscall', rawColumn: 'raw',
    };
    const ex = wrap(name);
    if (ex) d.extract = ex;
    const a = ARG_SPECS[name] ?? (ANCESTOR_FIELDS.includes(name) ? { required: false, kind: 'index' as const, description: 'ancestor level (1 = parent)' } : undefined);
    if (a) d.arg = a;
    const props: string[] = [];
    if (flags.includes('FILTER_ONLY')) props.push('filter_only');
    if (flags.includes('DEPRECATED')) props.push('deprecated');
    if (flags.includes('TABLE_ONLY')) props.push('hidden');
    if (props.length) d.properties = props;
    defs.push(d);
  }
  for (const [name, type, display, description] of CONTAINER_DEFS) {
    const d: FieldDef = { name, type, display, description, source: 'syscall', rawColumn: 'raw' };
    const ex = wrap(name);
    if (ex) d.extract = ex;
    const a = ARG_SPECS[name];
    if (a) d.arg = a;
    defs.push(d);
  }
  return defs;
}

let registered = false;
/** Register all scap fields in the field registry (idempotent). */
export function registerScapFields(): void {
  if (registered) return;
  registered = true;
  registerFields(scapFieldDefs());
}
registerScapFields();

export { fdResolved, pUint };
