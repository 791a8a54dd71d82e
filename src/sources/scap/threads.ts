/**
 * Threads as libsinsp (sysdig 0.29.3) tracks them: keyed by tid, seeded from
 * the PL blocks, updated by clone/fork/vfork/clone3, execve/execveat,
 * chdir/fchdir, set*id, procexit (removed just before the next event).
 *
 * Like FdInfo, the identity part of a thread (names, args, cwd, ids,
 * container) is never mutated: a change stores a new object in the table, so
 * rows keep "the thread as it was". Only the parsing bookkeeping (last event
 * type/fd, stored enter event) and counters change in place.
 */
import type { ScapEvent, ThreadEntry } from './types.js';
import type { FdTable } from './fds.js';
import { containerIdFromCgroups } from './containers.js';

/** PPM_CL_* clone flags that matter to the state */
export const CL = {
  CLONE_FILES: 1,
  CLONE_FS: 2,
  CLONE_THREAD: 8192,
  CLONE_VFORK: 1 << 15,
  CHILD_IN_PIDNS: 1 << 27,
  IS_MAIN_THREAD: 1 << 26,
} as const;

export interface ThreadInfo {
  readonly tid: number;
  readonly pid: number;
  readonly ptid: number;
  readonly sid: number;
  readonly vpgid: number;
  readonly comm: string;
  readonly exe: string;
  readonly exepath: string;
  readonly args: readonly string[];
  readonly env: readonly string[];
  /** with a trailing slash, as libsinsp stores it */
  readonly cwd: string;
  readonly fdlimit: number;
  /** PPM_CL_* flags */
  readonly flags: number;
  readonly uid: number;
  readonly gid: number;
  readonly vtid: number;
  readonly vpid: number;
  readonly cgroups: readonly string[];
  readonly root: string;
  readonly loginuid: number;
  readonly tty: number;
  readonly pidnsInitStartTs: bigint;
  readonly capInheritable: bigint;
  readonly capPermitted: bigint;
  readonly capEffective: bigint;
  readonly exeWritable: boolean;
  readonly containerId: string;
  /** creation time (ns) when seen in the capture, 0 for threads from the process list */
  readonly cloneTs: bigint;
  /** a thread invented for an unknown tid (`<NA>`) */
  readonly placeholder: boolean;
  /** this thread's own fd table (threads sharing the main thread's table leave theirs empty) */
  readonly fds: FdTable;
  // ---- mutable bookkeeping (not part of a row's snapshot) ----
  vmsize: number;
  vmrss: number;
  vmswap: number;
  pfmajor: number;
  pfminor: number;
  /** type of the last enter event of this thread (-1 none) */
  lastType: number;
  /** fd of the last fd-using enter event (-1 none) */
  lastFd: number;
  /** the last enter event (for exits that need its parameters) */
  lastEnter: ScapEvent | null;
  lastEnterTs: bigint;
  /** evt.latency as libsinsp keeps it per thread (set by exits, kept by context switches): end - start */
  latencyStart: bigint;
  latencyEnd: bigint;
}

export const NA = '<NA>';

function base(tid: number): ThreadInfo {
  return {
    tid, pid: tid, ptid: -1, sid: 0, vpgid: 0, comm: NA, exe: NA, exepath: '', args: [], env: [], cwd: '', fdlimit: 0,
    flags: 0, uid: 0xffffffff, gid: 0xffffffff, vtid: tid, vpid: tid, cgroups: [], root: '', loginuid: 0xffffffff, tty: 0,
    pidnsInitStartTs: 0n, capInheritable: 0n, capPermitted: 0n, capEffective: 0n, exeWritable: false, containerId: 'host',
    cloneTs: 0n, placeholder: false, fds: new Map(), vmsize: 0, vmrss: 0, vmswap: 0, pfmajor: 0, pfminor: 0,
    lastType: -1, lastFd: 0, lastEnter: null, lastEnterTs: 0n, latencyStart: 0n, latencyEnd: 0n,
  };
}

/** The thread libsinsp invents for an unknown tid in a capture (no /proc to ask). */
export function placeholderThread(tid: number): ThreadInfo {
  return { ...base(tid), placeholder: true, sid: -1, vpgid: -1, vtid: -1, vpid: -1, fdlimit: -1 };
}

/** cwd with the trailing slash libsinsp keeps */
export function withSlash(cwd: string): string {
  return cwd === '' || cwd.endsWith('/') ? cwd : cwd + '/';
}

/** A thread from a process-list entry. */
export function threadFromEntry(e: ThreadEntry): ThreadInfo {
  const tid = Number(e.tid);
  const cgroups = e.cgroups ?? [];
  return {
    ...base(tid),
    pid: Number(e.pid),
    ptid: Number(e.ptid),
    sid: e.sid === undefined ? -1 : Number(e.sid),
    vpgid: e.vpgid === undefined ? -1 : Number(e.vpgid),
    comm: e.comm,
    exe: e.exe,
    exepath: e.exepath ?? '',
    args: e.args,
    env: e.env ?? [],
    cwd: withSlash(e.cwd),
    fdlimit: Number(e.fdlimit),
    flags: e.flags,
    uid: e.uid >>> 0,
    gid: e.gid >>> 0,
    vtid: e.vtid === undefined ? tid : Number(e.vtid),
    vpid: e.vpid === undefined ? Number(e.pid) : Number(e.vpid),
    cgroups,
    root: e.root ?? '',
    loginuid: e.loginuid === undefined ? 0xffffffff : e.loginuid >>> 0,
    tty: e.tty ?? 0,
    pidnsInitStartTs: e.pidnsInitStartTs ?? 0n,
    capInheritable: e.capInheritable ?? 0n,
    capPermitted: e.capPermitted ?? 0n,
    capEffective: e.capEffective ?? 0n,
    exeWritable: e.exeWritable ?? false,
    containerId: containerIdFromCgroups(cgroups),
    vmsize: e.vmsizeKb ?? 0,
    vmrss: e.vmrssKb ?? 0,
    vmswap: e.vmswapKb ?? 0,
    pfmajor: e.pfmajor === undefined ? 0 : Number(e.pfmajor),
    pfminor: e.pfminor === undefined ? 0 : Number(e.pfminor),
  };
}

/** A copy of `t` with identity fields changed (the table then stores the copy). */
export function withThread(t: ThreadInfo, changes: Partial<ThreadInfo>): ThreadInfo {
  return { ...t, ...changes };
}

export function isMainThread(t: ThreadInfo): boolean {
  return t.tid === t.pid;
}

const cmdlines = new WeakMap<ThreadInfo, string>();

/** proc.cmdline: comm, then " " + each arg (memoized: a thread object never changes) */
export function cmdline(t: ThreadInfo): string {
  let s = cmdlines.get(t);
  if (s !== undefined) return s;
  s = t.comm;
  for (const a of t.args) s += ' ' + a;
  cmdlines.set(t, s);
  return s;
}

/** proc.exeline: exe, then " " + each arg */
export function exeline(t: ThreadInfo): string {
  let s = t.exe;
  for (const a of t.args) s += ' ' + a;
  return s;
}

/** The thread table: tid -> ThreadInfo. */
export class ThreadTable {
  /** read-only outside this class (set/delete/clear keep the one-entry cache right) */
  readonly map = new Map<number, ThreadInfo>();
  /** the last tid looked up and what it gave: an event asks for its thread several times */
  private lastTid = NaN;
  private last: ThreadInfo | undefined = undefined;
  /**
   * Versioned tables (rows outlive the state): every set/delete bumps `epoch`
   * and records the tid's new value, so a row keeping the epoch of its event
   * reads the table as it was then (ThreadInfo objects are immutable).
   */
  epoch = 0;
  private readonly hist: Map<number, { e: number[]; t: (ThreadInfo | undefined)[] }> | null;

  constructor(versioned = false) {
    this.hist = versioned ? new Map() : null;
  }

  private record(tid: number, t: ThreadInfo | undefined): void {
    const hist = this.hist!;
    const e = ++this.epoch;
    const h = hist.get(tid);
    if (h === undefined) hist.set(tid, { e: [e], t: [t] });
    else {
      h.e.push(e);
      h.t.push(t);
    }
  }

  get(tid: number): ThreadInfo | undefined {
    if (tid === this.lastTid) return this.last;
    const t = this.map.get(tid);
    this.lastTid = tid;
    this.last = t;
    return t;
  }
  set(t: ThreadInfo): void {
    if (this.hist) this.record(t.tid, t);
    this.map.set(t.tid, t);
    if (t.tid === this.lastTid) this.last = t;
  }
  delete(tid: number): void {
    if (this.hist && this.map.has(tid)) this.record(tid, undefined);
    this.map.delete(tid);
    if (tid === this.lastTid) this.last = undefined;
  }
  clear(): void {
    if (this.hist) for (const tid of this.map.keys()) this.record(tid, undefined);
    this.map.clear();
    this.lastTid = NaN;
    this.last = undefined;
  }
  /** the main thread (tid == pid) of `t`'s process, or undefined */
  main(t: ThreadInfo): ThreadInfo | undefined {
    return t.tid === t.pid ? t : this.map.get(t.pid);
  }
  /** the fd table `t` uses: its main thread's when it shares it (CLONE_FILES) */
  fdTable(t: ThreadInfo): FdTable | undefined {
    if (!(t.flags & CL.CLONE_FILES) || t.tid === t.pid) return t.fds;
    return this.map.get(t.pid)?.fds;
  }
  /** proc.ppid: the main thread's ptid */
  ppid(t: ThreadInfo): number | null {
    const m = this.main(t);
    return m ? m.ptid : null;
  }
  /** the N-th ancestor process's main thread (0 = this process) */
  ancestor(t: ThreadInfo, n: number): ThreadInfo | undefined {
    let mt = this.main(t);
    for (let i = 0; i < n && mt; i++) mt = this.map.get(mt.ptid);
    return mt;
  }

  /** the thread `tid` as it was at `epoch` (undefined epoch or unversioned table: now) */
  getAt(tid: number, epoch: number | undefined): ThreadInfo | undefined {
    if (epoch === undefined || this.hist === null || epoch >= this.epoch) return this.get(tid);
    const h = this.hist.get(tid);
    if (h === undefined) return undefined;
    const es = h.e;
    // last version recorded at or before epoch
    let lo = 0;
    let hi = es.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (es[mid]! <= epoch) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : h.t[lo - 1];
  }
  /** main() at `epoch` */
  mainAt(t: ThreadInfo, epoch: number | undefined): ThreadInfo | undefined {
    return t.tid === t.pid ? t : this.getAt(t.pid, epoch);
  }
  /** ppid() at `epoch` */
  ppidAt(t: ThreadInfo, epoch: number | undefined): number | null {
    const m = this.mainAt(t, epoch);
    return m ? m.ptid : null;
  }
  /** ancestor() at `epoch` */
  ancestorAt(t: ThreadInfo, n: number, epoch: number | undefined): ThreadInfo | undefined {
    let mt = this.mainAt(t, epoch);
    for (let i = 0; i < n && mt; i++) mt = this.getAt(mt.ptid, epoch);
    return mt;
  }
}
