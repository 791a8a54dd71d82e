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
import { VersionedFdTable, type FdTable } from './fds.js';
import { EpochClock, History, VersionLog } from './epoch.js';
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
  private readonly clock: EpochClock;
  private readonly hist: VersionLog<number, ThreadInfo> | null;
  /** versioned tables: threads per pid and per parent tid (proc.nthreads / proc.nchilds) over time */
  private readonly perPid = new Map<number, History<number>>();
  private readonly perPtid = new Map<number, History<number>>();
  /** versioned tables: memory counters of a thread object over time ([vmsize, vmrss, vmswap] per change) */
  private readonly vmHist = new Map<ThreadInfo, History<readonly [number, number, number]>>();

  /** `clock`: shared by the tables of all sections of a capture (a row's epoch orders it among them all) */
  constructor(versioned = false, clock = new EpochClock()) {
    this.hist = versioned ? new VersionLog() : null;
    this.clock = clock;
  }

  /** the clock's value: rows keep it to read the table as it was at their event */
  get epoch(): number {
    return this.clock.epoch;
  }

  /** True when rows can read this table (and its threads' fd tables) as it was at their epoch. */
  get versioned(): boolean {
    return this.hist !== null;
  }

  /** Advances the clock this table and its threads' versioned fd tables share. */
  tick(): number {
    return this.clock.tick();
  }

  private record(tid: number, t: ThreadInfo | undefined): void {
    const e = this.clock.tick();
    const old = this.map.get(tid);
    this.hist!.note(tid, old, t, e);
    // a new version of the same thread in the same process under the same parent: counts unchanged
    if (old && t && old.pid === t.pid && old.ptid === t.ptid) return;
    if (old) {
      count(this.perPid, old.pid, -1, e);
      count(this.perPtid, old.ptid, -1, e);
    }
    if (t) {
      count(this.perPid, t.pid, 1, e);
      count(this.perPtid, t.ptid, 1, e);
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
    if (this.hist) {
      // a thread entering a versioned table gets a versioned fd table (new thread objects are not shared yet)
      if (!(t.fds instanceof VersionedFdTable)) (t as { fds: FdTable }).fds = new VersionedFdTable(this.clock, t.fds);
      this.record(t.tid, t);
    }
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

  /** proc.nthreads: threads of process `pid` at `epoch` (undefined: now) */
  threadsOfAt(pid: number, epoch: number | undefined): number {
    return this.hist === null ? this.liveCount('pid', pid) : countAt(this.perPid.get(pid), epoch);
  }
  /** proc.nchilds: threads whose parent is `tid` at `epoch` (undefined: now) */
  childrenOfAt(tid: number, epoch: number | undefined): number {
    return this.hist === null ? this.liveCount('ptid', tid) : countAt(this.perPtid.get(tid), epoch);
  }
  private liveCount(key: 'pid' | 'ptid', v: number): number {
    let n = 0;
    for (const x of this.map.values()) if (x[key] === v) n++;
    return n;
  }

  /** Sets `t`'s memory counters (kept over time in versioned tables). */
  setVm(t: ThreadInfo, vmsize: number, vmrss: number, vmswap: number): void {
    if (t.vmsize === vmsize && t.vmrss === vmrss && t.vmswap === vmswap) return;
    if (this.hist) {
      let h = this.vmHist.get(t);
      if (h === undefined) {
        this.vmHist.set(t, (h = new History()));
        h.push(-1, [t.vmsize, t.vmrss, t.vmswap]);
      }
      h.push(this.tick(), [vmsize, vmrss, vmswap]);
    }
    t.vmsize = vmsize;
    t.vmrss = vmrss;
    t.vmswap = vmswap;
  }
  /** `t`'s [vmsize, vmrss, vmswap] (kB) at `epoch` (undefined: now) */
  vmAt(t: ThreadInfo, epoch: number | undefined): readonly [number, number, number] {
    const h = epoch === undefined || epoch >= this.epoch ? undefined : this.vmHist.get(t);
    if (h === undefined) return [t.vmsize, t.vmrss, t.vmswap];
    return h.at(epoch!, h.v[0]!);
  }

  /** the thread `tid` as it was at `epoch` (undefined epoch or unversioned table: now) */
  getAt(tid: number, epoch: number | undefined): ThreadInfo | undefined {
    if (epoch === undefined || this.hist === null || epoch >= this.epoch) return this.get(tid);
    return this.hist.at(tid, epoch, this.map.get(tid));
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

/** Adds `d` to the count of `key` from epoch `e` on. */
function count(m: Map<number, History<number>>, key: number, d: number, e: number): void {
  let h = m.get(key);
  if (h === undefined) m.set(key, (h = new History()));
  h.push(e, (h.v[h.v.length - 1] ?? 0) + d);
}
/** The count at `epoch` (undefined: now), 0 before any. */
function countAt(h: History<number> | undefined, epoch: number | undefined): number {
  if (h === undefined) return 0;
  return epoch === undefined ? h.v[h.v.length - 1]! : h.at(epoch, 0);
}
