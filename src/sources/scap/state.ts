/**
 * The scap state engine: consumes ScapBlocks in file order and turns every
 * event into an `EventCtx` — the event plus the thread and fd it concerns,
 * as libsinsp (sysdig 0.29.3) sees them right after parsing the event, which
 * is when sysdig prints it.
 *
 * Numbering and visibility (scap-format.md §4.4), emulating sysdig 0.29.3:
 * - every event whose type is in 0.29.3's table (< 336) gets the next
 *   evt.num; newer types (useradded, groupadded, ...) are skipped and get no
 *   number (`process` returns null);
 * - hidden (ctx.hidden = true): EC_INTERNAL events (procinfo, drop, ...)
 *   unless `showInternal`; EVF events flagged STATE_ONLY; container events at
 *   the very start of each section (consumed by sysdig while opening).
 */
import type { FdEntry, ScapBlock, ScapEvent, ThreadEntry } from './types.js';
import { EventRecord } from './blocks-event.js';
import { EC, EF, EVENT_MAX_0293, EVENT_TABLE_0293, type EventInfo } from './event-table.js';
import { ThreadTable, placeholderThread, threadFromEntry, withThread, withSlash, CL, type ThreadInfo } from './threads.js';
import {
  FdType, L4, Role, concatenatePaths, fdFromEntry, fixSocketsFromProc, makeFd, withFd, tupleName, hostPort, sanitize,
  isIpSocket, type FdInfo, type FdTable,
} from './fds.js';
import { UserTable } from './users.js';
import { InterfaceTable, isUnspecified } from './interfaces.js';
import { ContainerTable, containerIdFromCgroups } from './containers.js';
import { EpochClock } from './epoch.js';
import { pInt, pList, pSockaddr, pStr, pTuple, pUint, paramInt, paramUint, PPM_AF, type SockAddr } from './raw-params.js';

export interface StateOptions {
  /** show EC_INTERNAL events (procinfo, ...) as sysdig -D does */
  showInternal?: boolean;
  /**
   * capture proc.ppid/proc.pname at event time (default true: rows outlive the state).
   * Streaming consumers that read fields before the next event can turn it off.
   */
  snapshot?: boolean;
}

/** What the host (one capture section) knows besides threads: for fields. */
export interface HostInfo {
  hostname: string;
  numCpus: number;
  bootTimeNs: bigint;
  users: UserTable;
  containers: ContainerTable;
  threads: ThreadTable;
  interfaces: InterfaceTable;
  /** first event timestamp of the capture (evt.reltime) */
  firstTs: bigint;
}

/** One numbered event with the state it was parsed in. The raw object behind every field. */
export interface EventCtx {
  num: number;
  ev: ScapEvent;
  info: EventInfo;
  /** the event's thread (null when sysdig has none: unknown tid on switch/clone/procinfo) */
  thread: ThreadInfo | null;
  /** fd.num: the thread's last fd for fd-related events, else null */
  fdNum: number | null;
  /** the fd the event concerns, null if none or unknown */
  fd: FdInfo | null;
  /** the fd sysdig attaches to the event itself (paired enter or the fd the event created); drives evt.category/evt.buflen */
  evtFd: FdInfo | null;
  /** the fd table the event's thread used (for fd params of other numbers) */
  fdTable: FdTable | null;
  /** evt.latency = latencyEnd - latencyStart: the thread's last paired enter/exit (both 0n on enters and unpaired exits) */
  latencyStart: bigint;
  latencyEnd: bigint;
  /** timestamp of the previous shown event (evt.deltatime), this event's own for the first */
  prevTs: bigint;
  hidden: boolean;
  host: HostInfo;
  /** resolved text of PID/FD/path params captured at event time (see snapshotArgs) */
  aux: (string | undefined)[] | null;
  /** proc.ppid / proc.pname captured at event time (undefined: not captured, read the live state) */
  ppid: number | null | undefined;
  pname: string | null | undefined;
  /** the thread table's epoch at the event (versioned tables only): ancestors/leaders as they were then */
  epoch: number | undefined;
}

const EF_FD_ANY = EF.EF_CREATES_FD | EF.EF_USES_FD | EF.EF_DESTROYS_FD;
const PPM_AT_FDCWD = -100;
const PPM_O_DIRECTORY = 1 << 10;
const EINPROGRESS = 115;

/** Cached name -> index of each event type's parameters. */
const paramIndexCache = new Map<number, Map<string, number>>();
export function paramIndex(info: EventInfo, name: string): number {
  let m = paramIndexCache.get(info.code);
  if (!m) {
    m = new Map();
    info.params.forEach((p, i) => m!.set(p.name, i));
    paramIndexCache.set(info.code, m);
  }
  return m.get(name) ?? -1;
}
function param(ev: ScapEvent, info: EventInfo, name: string): Uint8Array | undefined {
  const i = paramIndex(info, name);
  return i < 0 ? undefined : ev.params[i];
}

const CONTAINER_TYPES = new Set([228, 272, 324]);
/** per event type lookups for the hot path */
const IS_CONTAINER = new Uint8Array(EVENT_MAX_0293);
for (const c of CONTAINER_TYPES) IS_CONTAINER[c] = 1;
const IS_SWITCH = new Uint8Array(EVENT_MAX_0293);
const NO_PLACEHOLDER = new Uint8Array(EVENT_MAX_0293);

/** index of the vm_size/vm_rss/vm_swap params (exits of execve/clone/brk/mmap/munmap, switch), -1 if none */
const vmIndexCache = new Int16Array(EVENT_MAX_0293).fill(-2);
function vmIndexOf(info: EventInfo): number {
  let i = info.code < EVENT_MAX_0293 ? vmIndexCache[info.code]! : -2;
  if (i === -2) {
    i = paramIndex(info, 'vm_size');
    if (i >= 0 && info.params[i + 2]?.name !== 'vm_swap') i = -1;
    if (info.code < EVENT_MAX_0293) vmIndexCache[info.code] = i;
  }
  return i;
}
const CLONE_EXITS = new Set([15, 157, 217, 223, 183, 219, 225, 185, 221, 227, 335]);
const SWITCH = new Set([146, 152]);
for (const c of SWITCH) IS_SWITCH[c] = NO_PLACEHOLDER[c] = 1;
for (const c of CLONE_EXITS) NO_PLACEHOLDER[c] = 1;

/** set_ipvN_addresses_and_ports: the tuple is the socket's (either orientation) */
function sameTuple(fd: FdInfo, tu: SockAddr): boolean {
  return (fd.sip === tu.sip && fd.sport === tu.sport && fd.dip === tu.dip && fd.dport === tu.dport) ||
    (fd.sip === tu.dip && fd.sport === tu.dport && fd.dip === tu.sip && fd.dport === tu.sport);
}
/** connect exit: sysdig 0.29.3 keeps the socket when its local endpoint already matches */
function sameEndpoint(fd: FdInfo, tu: SockAddr): boolean {
  return sameTuple(fd, tu) || (fd.sip === tu.sip && fd.sport === tu.sport && fd.sport !== 0);
}

/*
 * A capture of many sections repeats its process and fd lists in each one, and the block
 * walker hands the same (never mutated) entry objects for a repeated block. What they decode
 * to is cached per entry: an FdInfo is immutable and shared as is; a thread is a fresh copy of
 * its decoded template (its bookkeeping and fd table are per section).
 */
const threadTemplates = new WeakMap<ThreadEntry, ThreadInfo>();
function threadOfEntry(e: ThreadEntry): ThreadInfo {
  let t = threadTemplates.get(e);
  if (t === undefined) {
    t = threadFromEntry(e);
    threadTemplates.set(e, t);
  }
  return { ...t, fds: new Map() };
}
const fdOfEntries = new WeakMap<FdEntry, FdInfo>();
function fdOfEntry(e: FdEntry): FdInfo {
  let fd = fdOfEntries.get(e);
  if (fd === undefined) {
    fd = fdFromEntry(e);
    fdOfEntries.set(e, fd);
  }
  return fd;
}

export class ScapState {
  /** this section's tables (a new section gets new ones: rows of earlier sections keep theirs) */
  threads = new ThreadTable();
  users = new UserTable();
  readonly containers = new ContainerTable();
  readonly interfaces = new InterfaceTable();
  host: HostInfo;
  private num = 0;
  private showInternal: boolean;
  private initialPhase = true;
  private needFix = false;
  private removeTid: number | null = null;
  private closeFd: { table: FdTable; fd: number } | null = null;
  private lastTs = 0n;
  private haveLast = false;
  private haveFirst = false;
  private readonly snapshot: boolean;
  private sections = 0;
  /** versioned state: one clock for the tables of every section */
  private readonly clock = new EpochClock();

  constructor(opts: StateOptions = {}) {
    this.showInternal = opts.showInternal ?? false;
    this.snapshot = opts.snapshot ?? true;
    if (this.snapshot) {
      this.threads = new ThreadTable(true, this.clock);
      this.containers.keepHistory(this.clock);
      this.interfaces.keepHistory(this.clock);
    }
    this.host = {
      hostname: '', numCpus: 0, bootTimeNs: 0n, users: this.users, containers: this.containers, threads: this.threads,
      interfaces: this.interfaces, firstTs: -1n,
    };
  }

  /** evt.num of the last numbered event */
  get count(): number {
    return this.num;
  }

  /** Feed one block; returns the event context for numbered events, else null. */
  block(b: ScapBlock): EventCtx | null {
    switch (b.kind) {
      case 'event':
        return this.process(b.event);
      case 'section':
        this.sections++;
        // sysdig's restart_capture: tables are read again, numbering goes on.
        // (rows may keep old thread objects: drop their reference to the reader's buffers)
        for (const t of this.threads.map.values()) t.lastEnter = null;
        this.threads = new ThreadTable(this.snapshot, this.clock);
        this.users = new UserTable();
        this.host = { ...this.host, threads: this.threads, users: this.users, firstTs: this.host.firstTs };
        this.initialPhase = true;
        this.removeTid = null;
        this.closeFd = null;
        return null;
      case 'machine':
        this.host = { ...this.host, hostname: b.hostname, numCpus: b.numCpus, bootTimeNs: b.bootTimeNs ?? 0n };
        return null;
      case 'threads':
        for (const e of b.threads) this.threads.set(threadOfEntry(e));
        this.needFix = true;
        return null;
      case 'fds': {
        const t = this.threads.get(Number(b.tid));
        if (t) for (const e of b.fds) t.fds.set(Number(e.fd), fdOfEntry(e));
        this.needFix = true;
        return null;
      }
      case 'users':
        this.users.addUsers(b.users, b.groups);
        return null;
      case 'interfaces':
        this.interfaces.set(b.interfaces);
        return null;
      default:
        return null;
    }
  }

  /**
   * Parse one event. Returns null for event types sysdig 0.29.3 does not know (not numbered).
   * `reuse`: an EventCtx the caller no longer needs, filled in place instead of allocating (streaming).
   */
  process(ev: ScapEvent, reuse?: EventCtx): EventCtx | null {
    if (ev.type >= EVENT_MAX_0293) return null;
    const info = EVENT_TABLE_0293[ev.type];
    if (!info) return null;
    if (this.needFix) {
      const tables: FdTable[] = [];
      for (const t of this.threads.map.values()) tables.push(t.fds);
      fixSocketsFromProc(tables);
      this.needFix = false;
    }
    // deferred removals of the previous event (procexit, close)
    if (this.removeTid !== null) {
      this.threads.delete(this.removeTid);
      this.removeTid = null;
    }
    if (this.closeFd !== null) {
      this.closeFd.table.delete(this.closeFd.fd);
      this.closeFd = null;
    }
    const isContainer = IS_CONTAINER[ev.type] === 1;
    // sysdig 0.29.3 numbers the initial container events of the first section only:
    // when a later section restarts the capture they are consumed without a number
    if (isContainer && this.initialPhase && this.sections > 1) {
      this.parseContainer(ev, info, { thread: null } as EventCtx);
      return null;
    }
    const num = ++this.num;

    let hidden = false;
    if (this.initialPhase) {
      if (isContainer) hidden = true;
      else this.initialPhase = false;
    }
    if ((ev.flags ?? 0) & 1) hidden = true;
    if (info.category & EC.EC_INTERNAL && !this.showInternal) hidden = true;
    // evt.reltime counts from the first event after the initial container events;
    // evt.deltatime from the previous shown event
    if (!this.haveFirst && !this.initialPhase) {
      this.host.firstTs = ev.ts;
      this.haveFirst = true;
    }
    let prevTs = ev.ts;
    if (!hidden) {
      if (this.haveLast) prevTs = this.lastTs;
      this.lastTs = ev.ts;
      this.haveLast = true;
    }

    let ctx: EventCtx;
    if (reuse) {
      ctx = reuse;
      ctx.num = num; ctx.ev = ev; ctx.info = info; ctx.thread = null; ctx.fdNum = null; ctx.fd = null; ctx.evtFd = null;
      ctx.fdTable = null; ctx.latencyStart = 0n; ctx.latencyEnd = 0n; ctx.prevTs = prevTs; ctx.hidden = hidden; ctx.host = this.host; ctx.aux = null;
      ctx.ppid = null; ctx.pname = null; ctx.epoch = undefined;
    } else {
      ctx = {
        num, ev, info, thread: null, fdNum: null, fd: null, evtFd: null, fdTable: null, latencyStart: 0n, latencyEnd: 0n, prevTs, hidden, host: this.host, aux: null,
        ppid: null, pname: null, epoch: undefined,
      };
    }
    const tid = ev instanceof EventRecord ? ev.tidNum : Number(ev.tid);

    if (isContainer) {
      this.parseContainer(ev, info, ctx);
      if (this.snapshot) ctx.epoch = this.threads.epoch;
      return ctx;
    }
    if (info.flags & EF.EF_SKIPPARSERESET) {
      // procinfo: the thread if known, no bookkeeping
      ctx.thread = this.threads.get(tid) ?? null;
      this.finish(ctx);
      return ctx;
    }

    // reset(): thread lookup, enter/exit pairing
    let t = this.threads.get(tid);
    if (!t && NO_PLACEHOLDER[ev.type] !== 1) {
      t = placeholderThread(tid);
      this.threads.set(t);
    }
    const enter = (ev.type & 1) === 0;
    let valid = false;
    let fd: FdInfo | null = null;
    if (t) {
      if (enter && IS_SWITCH[ev.type] === 1) {
        // sysdig 0.29.3 leaves the pairing state alone on context switches
      } else if (enter) {
        t.lastType = ev.type;
        t.lastEnter = ev;
        t.lastEnterTs = ev.ts;
        t.latencyStart = 0n;
        t.latencyEnd = 0n;
        if (info.flags & EF.EF_USES_FD) {
          t.lastFd = paramInt(ev, 0, -1);
          fd = this.threads.fdTable(t)?.get(t.lastFd) ?? null;
        } else t.lastFd = -1;
      } else {
        valid = t.lastType === ev.type - 1;
        t.latencyStart = valid ? t.lastEnterTs : 0n;
        t.latencyEnd = valid ? ev.ts : 0n;
        if (valid && info.flags & EF.EF_USES_FD) fd = this.threads.fdTable(t)?.get(t.lastFd) ?? null;
      }
    }
    ctx.thread = t ?? null;
    ctx.fd = fd;
    if (t) {
      ctx.latencyStart = t.latencyStart;
      ctx.latencyEnd = t.latencyEnd;
    }
    this.parse(ev, info, ctx, valid);
    const vi = ctx.thread ? vmIndexOf(info) : -1;
    if (vi >= 0 && ctx.thread) {
      const th = this.threads.get(ctx.thread.tid) ?? ctx.thread;
      const i = vi;
      this.threads.setVm(th, paramUint(ev, i, th.vmsize), paramUint(ev, i + 1, th.vmrss), paramUint(ev, i + 2, th.vmswap));
    }
    this.finish(ctx);
    return ctx;
  }

  /** After parsing: the row's thread, fd and fd.num as sysdig extracts them. */
  private finish(ctx: EventCtx): void {
    const t = ctx.thread ? this.threads.get(ctx.thread.tid) ?? ctx.thread : null;
    ctx.thread = t;
    if (!t) return;
    const table = this.threads.fdTable(t) ?? null;
    ctx.fdTable = table;
    ctx.evtFd = ctx.fd;
    if (ctx.info.flags & EF_FD_ANY) {
      ctx.fdNum = t.lastFd;
      if (!ctx.fd && t.lastFd !== -1 && table) ctx.fd = table.get(t.lastFd) ?? null;
    } else ctx.fd = null;
    const main = this.threads.main(t);
    if (!this.snapshot) {
      ctx.ppid = undefined;
      ctx.pname = undefined;
      return;
    }
    ctx.epoch = this.threads.epoch;
    ctx.ppid = main ? main.ptid : null;
    const p = this.threads.get(t.ptid);
    ctx.pname = p ? p.comm : null;
  }

  // ---------------------------------------------------------------- parsers

  private parse(ev: ScapEvent, info: EventInfo, ctx: EventCtx, valid: boolean): void {
    const t = ctx.thread;
    const name = info.name;
    const enter = (ev.type & 1) === 0;
    if (enter) {
      if (!t) return;
      switch (name) {
        case 'procexit':
          this.removeTid = t.tid;
          return;
        case 'connect':
          this.parseConnectEnter(ev, info, ctx);
          return;
        case 'switch':
          return;
        default:
          return;
      }
    }
    switch (name) {
      case 'open':
      case 'creat':
      case 'openat':
      case 'openat2':
        this.parseOpenExit(ev, info, ctx, valid);
        return;
      case 'socket':
        this.parseSocketExit(ev, info, ctx, valid);
        return;
      case 'bind':
        this.parseBindExit(ev, info, ctx);
        return;
      case 'connect':
        this.parseConnectExit(ev, info, ctx);
        return;
      case 'accept':
        this.parseAcceptExit(ev, info, ctx);
        return;
      case 'close':
        if (t && ctx.fd && pInt(ev.params[0], -1) >= 0) {
          const table = this.threads.fdTable(t);
          if (table) this.closeFd = { table, fd: ctx.fd.num };
        }
        return;
      case 'pipe':
        this.parsePipeExit(ev, ctx);
        return;
      case 'socketpair':
        this.parseSocketpairExit(ev, ctx);
        return;
      case 'eventfd':
        this.addSimpleFd(ev, ctx, FdType.EVENT);
        return;
      case 'signalfd':
        this.addSimpleFd(ev, ctx, FdType.SIGNALFD);
        return;
      case 'timerfd_create':
        this.addSimpleFd(ev, ctx, FdType.TIMERFD);
        return;
      case 'inotify_init':
        this.addSimpleFd(ev, ctx, FdType.INOTIFY);
        return;
      case 'dup':
        this.parseDupExit(ev, ctx, pInt(ev.params[0], -1));
        return;
      case 'fcntl': {
        const cmd = valid && t?.lastEnter ? pUint(t.lastEnter.params[1]) : -1;
        if (cmd === 0 || cmd === 26) this.parseDupExit(ev, ctx, pInt(ev.params[0], -1));
        return;
      }
      case 'clone':
      case 'fork':
      case 'vfork':
      case 'clone3':
        this.parseCloneExit(ev, info, ctx);
        return;
      case 'execve':
      case 'execveat':
        this.parseExecveExit(ev, info, ctx, valid);
        return;
      case 'chdir':
        if (t && pInt(ev.params[0], -1) >= 0) this.setCwd(t, pStr(ev.params[1]));
        return;
      case 'fchdir':
        if (t && ctx.fd && pInt(ev.params[0], -1) >= 0) this.setCwd(t, ctx.fd.name);
        return;
      case 'setuid':
      case 'setgid':
      case 'setresuid':
      case 'setresgid':
        this.parseSetId(ev, info, ctx, valid);
        return;
      case 'setsid': {
        const res = pInt(ev.params[0], -1);
        if (t && res >= 0) this.threads.set(withThread(t, { sid: res }));
        return;
      }
      case 'sendto':
      case 'sendmsg':
      case 'recvfrom':
      case 'recvmsg':
        this.parseRwTuple(ev, info, ctx, valid);
        return;
      default:
        // parse_rw_exit: a successful read/write on an IP socket marks it connected
        if (t && ctx.fd && !ctx.fd.connected && info.flags & (EF.EF_READS_FROM_FD | EF.EF_WRITES_TO_FD) && isIpSocket(ctx.fd.type) &&
          pInt(ev.params[0], -1) >= 0) {
          const nfd = withFd(ctx.fd, { connected: true });
          this.setFd(t, nfd);
          ctx.fd = nfd;
        }
        return;
    }
  }

  private parseContainer(ev: ScapEvent, info: EventInfo, ctx: EventCtx): void {
    let id = '';
    if (ev.type === 228) {
      id = pStr(ev.params[0]);
      this.containers.addLegacy(id, pUint(ev.params[1]), pStr(ev.params[2]), pStr(ev.params[3]));
    } else {
      id = this.containers.addJson(pStr(ev.params[0])) ?? '';
    }
    void info;
    const t = placeholderThread(-1);
    // what sysdig 0.29.3 shows for container events: a thread-less pseudo process
    ctx.thread = withThread(t, {
      comm: `container:${id}`, exe: '', ptid: 0, uid: 0, gid: 0, vtid: -2, vpid: -2, loginuid: 0, containerId: id, placeholder: false,
    });
    ctx.ppid = 0;
    ctx.pname = null;
  }

  private setFd(t: ThreadInfo, fd: FdInfo): FdTable | undefined {
    const table = this.threads.fdTable(t);
    table?.set(fd.num, fd);
    return table;
  }

  private setCwd(t: ThreadInfo, path: string): void {
    const main = this.threads.main(t) ?? t;
    const cwd = withSlash(path.startsWith('/') ? concatenatePaths('', path) : concatenatePaths(main.cwd, path));
    this.threads.set(withThread(main, { cwd }));
  }

  /** cwd of the thread's process (libsinsp keeps it in the main thread) */
  private cwdOf(t: ThreadInfo): string {
    return (this.threads.main(t) ?? t).cwd;
  }

  private parseOpenExit(ev: ScapEvent, info: EventInfo, ctx: EventCtx, valid: boolean): void {
    const t = ctx.thread;
    if (!t) return;
    const fdn = pInt(param(ev, info, 'fd'), -1);
    let name = pStr(param(ev, info, 'name'));
    let flags = pUint(param(ev, info, 'flags'));
    let dirfd = pInt(param(ev, info, 'dirfd'), PPM_AT_FDCWD);
    const hasName = paramIndex(info, 'name') >= 0;
    if (valid && t.lastEnter) {
      const einfo = EVENT_TABLE_0293[t.lastEnter.type];
      if (einfo && paramIndex(einfo, 'name') >= 0 && t.lastEnter.params.length > paramIndex(einfo, 'name')) {
        const en = pStr(param(t.lastEnter, einfo, 'name'));
        if (en !== '(NULL)' || !hasName) {
          name = en;
          if (paramIndex(einfo, 'flags') >= 0) flags = pUint(param(t.lastEnter, einfo, 'flags'));
          if (paramIndex(einfo, 'dirfd') >= 0) dirfd = pInt(param(t.lastEnter, einfo, 'dirfd'), PPM_AT_FDCWD);
        }
      }
    }
    if (fdn < 0) return;
    const path = this.resolvePath(t, name, info.name === 'openat' || info.name === 'openat2' ? dirfd : PPM_AT_FDCWD);
    const fd = makeFd({
      num: fdn, type: flags & PPM_O_DIRECTORY ? FdType.DIRECTORY : FdType.FILE_V2, name: path, openFlags: flags,
      dev: pUint(param(ev, info, 'dev')),
    });
    this.setFd(t, fd);
    t.lastFd = fdn;
    ctx.fd = fd;
  }

  /** An open path as libsinsp stores it: absolute, relative to cwd or to dirfd. */
  resolvePath(t: ThreadInfo, name: string, dirfd: number): string {
    if (name.startsWith('/')) return sanitize(concatenatePaths('', name));
    let base: string;
    if (dirfd === PPM_AT_FDCWD) base = this.cwdOf(t);
    else {
      const d = this.threads.fdTable(t)?.get(dirfd);
      base = d ? d.name : '<UNKNOWN>';
    }
    return sanitize(concatenatePaths(base, name));
  }

  private parseSocketExit(ev: ScapEvent, info: EventInfo, ctx: EventCtx, valid: boolean): void {
    const t = ctx.thread;
    const fdn = pInt(ev.params[0], -1);
    if (!t || fdn < 0) return;
    void info;
    let domain = -1;
    let stype = 0;
    let proto = 0;
    if (valid && t.lastEnter) {
      domain = pUint(t.lastEnter.params[0], -1);
      stype = pUint(t.lastEnter.params[1]);
      proto = pUint(t.lastEnter.params[2]);
    }
    let type: number;
    if (domain === PPM_AF.UNIX) type = FdType.UNIX_SOCK;
    else if (domain === PPM_AF.INET) type = FdType.IPV4_SOCK;
    else if (domain === PPM_AF.INET6) type = FdType.IPV6_SOCK;
    else if (domain === PPM_AF.NETLINK) type = FdType.NETLINK;
    else return;
    let l4: number = L4.UNKNOWN;
    if (type === FdType.IPV4_SOCK || type === FdType.IPV6_SOCK) {
      const st = stype & 0xff;
      if (proto === 6) l4 = st === 3 ? L4.RAW : L4.TCP;
      else if (proto === 17) l4 = L4.UDP;
      else if (proto === 0) l4 = st === 1 ? L4.TCP : st === 2 ? L4.UDP : st === 3 ? L4.RAW : L4.UNKNOWN;
      else if (proto === 1 || proto === 58) l4 = L4.ICMP;
      else if (proto === 255) l4 = L4.RAW;
    }
    const fd = makeFd({ num: fdn, type, l4 });
    this.setFd(t, fd);
    t.lastFd = fdn;
    ctx.fd = fd;
  }

  private parseBindExit(ev: ScapEvent, info: EventInfo, ctx: EventCtx): void {
    const t = ctx.thread;
    const fd = ctx.fd;
    if (!t || !fd || pInt(ev.params[0], -1) < 0) return;
    const a = pSockaddr(param(ev, info, 'addr'));
    if (!a) return;
    let nfd: FdInfo | null = null;
    if (a.kind === 'ipv4' || a.kind === 'ipv6') {
      if (a.dport > 0) {
        nfd = withFd(fd, {
          type: a.kind === 'ipv4' ? FdType.IPV4_SERVSOCK : FdType.IPV6_SERVSOCK, sip: a.dip, sport: a.dport, dip: '', dport: 0,
          role: Role.SERVER, name: hostPort(a.dip, a.dport),
        });
      } else nfd = withFd(fd, { name: hostPort(a.dip, a.dport) });
    } else if (a.kind === 'unix') {
      nfd = withFd(fd, { name: sanitize(a.path) });
    }
    if (nfd) {
      this.setFd(t, nfd);
      ctx.fd = nfd;
    }
  }

  private parseConnectEnter(ev: ScapEvent, info: EventInfo, ctx: EventCtx): void {
    const t = ctx.thread;
    const fd = ctx.fd;
    if (!t || !fd) return;
    const a = pSockaddr(param(ev, info, 'addr'));
    if (!a || (a.kind !== 'ipv4' && a.kind !== 'ipv6')) return;
    const type = a.kind === 'ipv4' ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
    const nfd = withFd(fd, { type, dip: a.dip, dport: a.dport, name: tupleName(fd.sip || (a.kind === 'ipv4' ? '0.0.0.0' : '::'), fd.sport, a.dip, a.dport, fd.l4) });
    this.setFd(t, nfd);
    ctx.fd = nfd;
  }

  private socketFromTuple(fd: FdInfo, tu: SockAddr, role: number): FdInfo {
    if (tu.kind === 'ipv4' || tu.kind === 'ipv6') {
      const type = tu.kind === 'ipv4' ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
      return withFd(fd, {
        type, sip: tu.sip, sport: tu.sport, dip: tu.dip, dport: tu.dport, role: fd.role === Role.NONE ? role : fd.role,
        name: tupleName(tu.sip, tu.sport, tu.dip, tu.dport, fd.l4),
      });
    }
    if (tu.kind === 'unix') {
      return withFd(fd, {
        type: FdType.UNIX_SOCK, usource: tu.usource, udest: tu.udest, role: fd.role === Role.NONE ? role : fd.role,
        name: `${tu.usource.toString(16)}->${tu.udest.toString(16)} ${sanitize(tu.path)}`,
      });
    }
    return fd;
  }

  private parseConnectExit(ev: ScapEvent, info: EventInfo, ctx: EventCtx): void {
    const t = ctx.thread;
    const fd = ctx.fd;
    if (!t || !fd) return;
    const res = pInt(ev.params[0], -1);
    if (res < 0 && res !== -EINPROGRESS) return;
    const tu = pTuple(param(ev, info, 'tuple'));
    if (!tu) return;
    if ((tu.kind === 'ipv4' || tu.kind === 'ipv6') && isIpSocket(fd.type) && sameEndpoint(fd, tu)) return;
    const nfd = withFd(this.socketFromTuple(fd, tu, Role.CLIENT), { connected: true });
    this.setFd(t, nfd);
    ctx.fd = nfd;
  }

  private parseAcceptExit(ev: ScapEvent, info: EventInfo, ctx: EventCtx): void {
    const t = ctx.thread;
    const fdn = pInt(ev.params[0], -1);
    if (!t || fdn < 0) return;
    const tu = pTuple(param(ev, info, 'tuple'));
    let fd = makeFd({ num: fdn, type: FdType.UNIX_SOCK, l4: L4.TCP, role: Role.SERVER });
    if (tu) fd = withFd(this.socketFromTuple(fd, tu, Role.SERVER), { connected: true });
    else fd = withFd(fd, { type: FdType.UNKNOWN });
    this.setFd(t, fd);
    t.lastFd = fdn;
    ctx.fd = fd;
  }

  private parsePipeExit(ev: ScapEvent, ctx: EventCtx): void {
    const t = ctx.thread;
    if (!t || pInt(ev.params[0], -1) < 0) return;
    const ino = pUint(ev.params[3]);
    this.setFd(t, makeFd({ num: pInt(ev.params[1], -1), type: FdType.FIFO, ino }));
    const fd2 = makeFd({ num: pInt(ev.params[2], -1), type: FdType.FIFO, ino });
    this.setFd(t, fd2);
    t.lastFd = fd2.num;
    ctx.fd = fd2;
  }

  private parseSocketpairExit(ev: ScapEvent, ctx: EventCtx): void {
    const t = ctx.thread;
    if (!t || pInt(ev.params[0], -1) < 0) return;
    const src = BigInt(pUint(ev.params[3]));
    const peer = BigInt(pUint(ev.params[4]));
    this.setFd(t, makeFd({ num: pInt(ev.params[1], -1), type: FdType.UNIX_SOCK, usource: src, udest: peer }));
    const fd2 = makeFd({ num: pInt(ev.params[2], -1), type: FdType.UNIX_SOCK, usource: peer, udest: src });
    this.setFd(t, fd2);
    t.lastFd = fd2.num;
    ctx.fd = fd2;
  }

  private addSimpleFd(ev: ScapEvent, ctx: EventCtx, type: number): void {
    const t = ctx.thread;
    const fdn = pInt(ev.params[0], -1);
    if (!t || fdn < 0) return;
    this.setFd(t, makeFd({ num: fdn, type }));
  }

  private parseDupExit(_ev: ScapEvent, ctx: EventCtx, res: number): void {
    const t = ctx.thread;
    const fd = ctx.fd;
    if (!t || !fd || res < 0 || res === fd.num) return;
    this.setFd(t, withFd(fd, { num: res }));
  }

  private parseSetId(ev: ScapEvent, info: EventInfo, ctx: EventCtx, valid: boolean): void {
    const t = ctx.thread;
    if (!t || !valid || !t.lastEnter || pInt(ev.params[0], -1) < 0) return;
    const e = t.lastEnter;
    switch (info.name) {
      case 'setuid':
        this.threads.set(withThread(t, { uid: pUint(e.params[0]) }));
        break;
      case 'setgid':
        this.threads.set(withThread(t, { gid: pUint(e.params[0]) }));
        break;
      case 'setresuid': {
        const euid = pUint(e.params[1]);
        if (euid !== 0xffffffff) this.threads.set(withThread(t, { uid: euid }));
        break;
      }
      case 'setresgid': {
        const egid = pUint(e.params[1]);
        if (egid !== 0xffffffff) this.threads.set(withThread(t, { gid: egid }));
        break;
      }
    }
  }

  /** sendto/sendmsg/recvfrom/recvmsg: UDP (or unnamed) sockets take the tuple of the datagram. */
  private parseRwTuple(ev: ScapEvent, info: EventInfo, ctx: EventCtx, valid: boolean): void {
    const t = ctx.thread;
    const fd = ctx.fd;
    if (!t || !fd || !isIpSocket(fd.type)) return;
    if (pInt(ev.params[0], -1) < 0) return;
    let tp: Uint8Array | undefined;
    if (info.name === 'sendto' || info.name === 'sendmsg') {
      if (valid && t.lastEnter) {
        const einfo = EVENT_TABLE_0293[t.lastEnter.type];
        if (einfo) tp = param(t.lastEnter, einfo, 'tuple');
      }
    } else tp = param(ev, info, 'tuple');
    const tu = pTuple(tp);
    let nfd = fd;
    if (tu && (tu.kind === 'ipv4' || tu.kind === 'ipv6') && !sameTuple(fd, tu)) {
      let sip = tu.sip, sport = tu.sport, dip = tu.dip, dport = tu.dport;
      // sinsp_network_interfaces::update_fd: fill the unspecified side with the local address
      const v4 = tu.kind === 'ipv4';
      if (isUnspecified(sip) && !isUnspecified(dip)) sip = (v4 ? this.interfaces.inferV4(dip) : this.interfaces.inferV6(dip)) ?? sip;
      else if (isUnspecified(dip) && !isUnspecified(sip)) dip = (v4 ? this.interfaces.inferV4(sip) : this.interfaces.inferV6(sip)) ?? dip;
      let role: number = fd.role;
      if (role === Role.NONE) role = this.listensOn(t, info.name.startsWith('recv') ? dport : sport) ? Role.SERVER : Role.CLIENT;
      const incoming = info.name.startsWith('recv');
      // keep client -> server orientation
      if ((role === Role.SERVER && !incoming) || (role === Role.CLIENT && incoming)) {
        [sip, sport, dip, dport] = [dip, dport, sip, sport];
      }
      nfd = withFd(fd, {
        type: v4 ? FdType.IPV4_SOCK : FdType.IPV6_SOCK, sip, sport, dip, dport, role,
        name: tupleName(sip, sport, dip, dport, fd.l4),
      });
    }
    if (!nfd.connected) nfd = withFd(nfd, { connected: true });
    if (nfd !== fd) {
      this.setFd(t, nfd);
      ctx.fd = nfd;
    }
  }

  private listensOn(t: ThreadInfo, port: number): boolean {
    const table = this.threads.fdTable(t);
    if (!table) return false;
    for (const f of table.values()) if ((f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK) && f.sport === port) return true;
    return false;
  }

  private parseCloneExit(ev: ScapEvent, info: EventInfo, ctx: EventCtx): void {
    const res = pInt(param(ev, info, 'res'), -1);
    if (res < 0) return;
    const flags = pUint(param(ev, info, 'flags'));
    const evTid = Number(ev.tid);
    const pTid = pInt(param(ev, info, 'tid'), evTid);
    const pPid = pInt(param(ev, info, 'pid'), evTid);
    const pPtid = pInt(param(ev, info, 'ptid'), -1);
    const hasV = paramIndex(info, 'vtid') >= 0;
    const vtidP = hasV ? pInt(param(ev, info, 'vtid'), -1) : -1;
    const vpidP = hasV ? pInt(param(ev, info, 'vpid'), -1) : -1;
    let childTid: number;
    let parent: ThreadInfo | undefined;
    if (res === 0) {
      // child side
      childTid = evTid;
      const existing = this.threads.get(childTid);
      if (existing) {
        if (hasV) this.threads.set(withThread(existing, { vtid: vtidP, vpid: vpidP }));
        ctx.thread = this.threads.get(childTid) ?? null;
        return;
      }
      parent = this.threads.get(flags & CL.CLONE_THREAD ? pPid : pPtid);
    } else {
      // parent side
      if (flags & CL.CHILD_IN_PIDNS) return;
      if (hasV && vtidP !== -1 && pTid !== vtidP) return;
      childTid = res;
      parent = this.threads.get(evTid);
    }
    const isThread = (flags & CL.CLONE_THREAD) !== 0;
    const exe = pStr(param(ev, info, 'exe'));
    const commP = param(ev, info, 'comm');
    const comm = commP ? pStr(commP) : exe;
    const args = pList(param(ev, info, 'args'));
    const cgP = param(ev, info, 'cgroups');
    const cgroups = cgP ? pList(cgP) : parent?.cgroups ?? [];
    const cwdP = pStr(param(ev, info, 'cwd'));
    const pid = isThread ? pPid : childTid;
    const base = placeholderThread(childTid);
    const useParent = parent && !parent.placeholder;
    let fds: FdTable = new Map();
    if (!isThread && parent) {
      const pt = this.threads.fdTable(parent);
      if (pt) fds = new Map(pt);
    }
    const child: ThreadInfo = {
      ...base,
      placeholder: false,
      pid,
      ptid: res === 0 ? (isThread ? pPid : pPtid) : evTid,
      sid: parent?.sid ?? 0,
      vpgid: parent?.vpgid ?? 0,
      comm,
      exe,
      exepath: useParent ? parent!.exepath : '',
      args,
      env: useParent && !isThread ? parent!.env : [],
      cwd: parent ? this.cwdOf(parent) : withSlash(cwdP),
      fdlimit: pInt(param(ev, info, 'fdlimit')),
      flags,
      uid: paramIndex(info, 'uid') >= 0 ? pUint(param(ev, info, 'uid')) : parent?.uid ?? 0xffffffff,
      gid: paramIndex(info, 'gid') >= 0 ? pUint(param(ev, info, 'gid')) : parent?.gid ?? 0xffffffff,
      vtid: hasV ? (res === 0 ? vtidP : childTid) : childTid,
      vpid: hasV ? (res === 0 ? vpidP : pid) : pid,
      cgroups,
      root: parent?.root ?? '',
      loginuid: parent?.loginuid ?? 0xffffffff,
      tty: parent?.tty ?? 0,
      containerId: containerIdFromCgroups(cgroups),
      cloneTs: ev.ts,
      fds,
    };
    this.threads.set(child);
    if (res === 0) ctx.thread = child;
  }

  private parseExecveExit(ev: ScapEvent, info: EventInfo, ctx: EventCtx, valid: boolean): void {
    const t = ctx.thread;
    if (!t) return;
    if (pInt(param(ev, info, 'res'), -1) < 0) return;
    const exe = pStr(param(ev, info, 'exe'));
    const commP = param(ev, info, 'comm');
    const changes: { -readonly [K in keyof ThreadInfo]?: ThreadInfo[K] } = {
      exe,
      comm: commP ? pStr(commP) : exe,
      args: pList(param(ev, info, 'args')),
      pid: pInt(param(ev, info, 'pid'), t.pid),
      fdlimit: pInt(param(ev, info, 'fdlimit')),
      flags: 0,
    };
    if (t.ptid === -1) changes.ptid = pInt(param(ev, info, 'ptid'), -1);
    const envP = param(ev, info, 'env');
    if (envP) changes.env = pList(envP);
    const cgP = param(ev, info, 'cgroups');
    if (cgP) {
      changes.cgroups = pList(cgP);
      changes.containerId = containerIdFromCgroups(changes.cgroups);
    }
    const ttyP = param(ev, info, 'tty');
    if (ttyP) changes.tty = pInt(ttyP);
    const pgidP = param(ev, info, 'pgid');
    if (pgidP) changes.vpgid = pInt(pgidP);
    const luP = param(ev, info, 'loginuid');
    if (luP) changes.loginuid = pUint(luP);
    if (valid && t.lastEnter) {
      const einfo = EVENT_TABLE_0293[t.lastEnter.type];
      const fnP = einfo ? param(t.lastEnter, einfo, 'filename') ?? param(t.lastEnter, einfo, 'pathname') : undefined;
      if (fnP) {
        const fn = pStr(fnP);
        changes.exepath = fn.startsWith('/') ? concatenatePaths('', fn) : concatenatePaths(this.cwdOf(t), fn);
      }
    }
    if (t.placeholder) changes.placeholder = false;
    const nt = withThread(t, changes);
    this.threads.set(nt);
    ctx.thread = nt;
  }
}
