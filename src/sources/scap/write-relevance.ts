/**
 * Pruning the state-only events of a writeScap plan to the processes the selected events can
 * observe. A selected event of process P shows P's own state (threads, fds, cwd, user), the
 * comm of its parent (proc.pname) and of every thread a PID parameter names (`ptid=3200(bash)`,
 * `next=...`); a child inherits its parent's state at clone time. Nothing else crosses process
 * boundaries in libsinsp (fd tables are per process; users, interfaces and containers are
 * global and always written). So each process gets a horizon, the event index after which its
 * state no longer matters:
 *
 *   H(P) >= k + 1  for a selected event at k of P, of a child of P, or naming a thread of P
 *   H(P) >= c + 1  for a clone at c of P (either side) creating a process C with H(C) > c
 *
 * and a state-only event of P at index i is kept only if i < H(P). Enter/exit pairing survives:
 * an exit at e < H(P) keeps its enter (j < e). Processes are keyed by pid at event time
 * (tid reuse only makes the pruning more conservative).
 *
 * Past D(P), the horizon of P's own selected events, P's fds only matter as inherited by
 * clones (a parent or a thread named by a PID parameter only shows its comm). There an fd's whole life (the event creating it
 * up to its close, with every event on it in between) is dropped when no such clone happens
 * during it: a web server's requests before it forks the shell an attacker ran.
 */
import { EF, PT, type EventInfo } from './event-table.js';
import { pInt } from './raw-params.js';
import { grown } from '../../frames/columns.js';
import type { EventCtx, ScapState } from './state.js';

const CLONE_NAMES = new Set(['clone', 'fork', 'vfork', 'clone3']);
/** fd creators whose new fds we do not follow (two fds, or copies) */
const UNTRACKED_CREATORS = new Set(['pipe', 'socketpair', 'dup', 'fcntl']);
const EF_FD_ANY = EF.EF_CREATES_FD | EF.EF_USES_FD | EF.EF_DESTROYS_FD;

/** PID-typed parameter indexes of an event type (cached). */
const pidParams = new Map<number, number[]>();
function pidParamsOf(info: EventInfo): number[] {
  let r = pidParams.get(info.code);
  if (!r) {
    r = [];
    info.params.forEach((p, i) => {
      if (p.type === PT.PT_PID || p.type === PT.PT_PID32) r!.push(i);
    });
    pidParams.set(info.code, r);
  }
  return r;
}

export class Relevance {
  /** process key of each event (NaN: never pruned) */
  private keys = new Float64Array(1024);
  private n = 0;
  private readonly horizon = new Map<number, number>();
  /** horizons of direct uses only (before clone propagation) */
  private readonly direct = new Map<number, number>();
  /** per event: the fd life it belongs to (-1 none), and for exits the index of their enter (-1) */
  private seg = new Int32Array(1024).fill(-1);
  private enterOf = new Int32Array(1024).fill(-1);
  /** fd lives: start index, end index (close; -1 while open), process key */
  private readonly segStart: number[] = [];
  private readonly segEnd: number[] = [];
  private readonly segKey: number[] = [];
  private readonly openSeg = new Map<string, number>();
  /** per thread: index and type of its last enter event */
  private readonly lastEnter = new Map<number, number>();
  private readonly lastEnterType = new Map<number, number>();
  /** per process: indexes of its clones of processes that matter (after finish) */
  private readonly relevantClones = new Map<number, number[]>();
  /** [index, parent key, child key] of cross-process clones */
  private readonly clones: number[] = [];

  constructor(private readonly state: ScapState) {}

  private processOf(tid: number): number {
    return this.state.threads.get(tid)?.pid ?? tid;
  }

  private raise(key: number, h: number, direct = false): void {
    if ((this.horizon.get(key) ?? 0) < h) this.horizon.set(key, h);
    if (direct && (this.direct.get(key) ?? 0) < h) this.direct.set(key, h);
  }

  /** A new section: sysdig rebuilds its tables, so no fd life or pairing crosses it. */
  section(): void {
    this.openSeg.clear();
    this.lastEnter.clear();
    this.lastEnterType.clear();
  }

  /** Record event `i` (just processed by the state engine); `kept`: selected. */
  add(i: number, ctx: EventCtx, kept: boolean, global: boolean, createdThread: boolean): void {
    this.keys = grown(this.keys, i);
    this.seg = grown(this.seg, i, -1);
    this.enterOf = grown(this.enterOf, i, -1);
    this.n = i + 1;
    const t = ctx.thread;
    const key = global ? NaN : t ? t.pid : Number(ctx.ev.tid);
    this.keys[i] = key;
    if (global) return;
    const info = ctx.info;
    if (kept) {
      this.raise(key, i + 1, true);
      // the parent and the threads PID parameters name: only their identity (comm) shows
      if (t) {
        this.raise(this.processOf(t.ptid), i + 1);
        const main = this.state.threads.get(t.pid);
        if (main) this.raise(this.processOf(main.ptid), i + 1);
      }
      const ps = ctx.ev.params;
      for (const p of pidParamsOf(info)) {
        const v = pInt(ps[p], -1);
        if (v > 0) this.raise(this.processOf(v), i + 1);
      }
    }
    this.trackFd(i, ctx, key, createdThread);
    if ((ctx.ev.type & 1) === 1 && CLONE_NAMES.has(info.name) && t) {
      const res = pInt(ctx.ev.params[0], -1);
      if (res > 0) {
        const child = this.processOf(res);
        if (child !== key) this.clones.push(i, key, child);
      } else if (res === 0) {
        const parent = this.processOf(t.ptid);
        if (parent !== key) this.clones.push(i, parent, key);
      }
    }
  }

  /** fd lives and enter/exit links of event i */
  private trackFd(i: number, ctx: EventCtx, key: number, createdThread: boolean): void {
    const info = ctx.info;
    const tid = Number(ctx.ev.tid);
    const exit = (ctx.ev.type & 1) === 1;
    if (!exit) {
      this.lastEnter.set(tid, i);
      this.lastEnterType.set(tid, ctx.ev.type);
    } else {
      const j = this.lastEnter.get(tid);
      if (j !== undefined && this.lastEnterType.get(tid) === ctx.ev.type - 1) this.enterOf[i] = j;
    }
    if (!(info.flags & EF_FD_ANY) || ctx.fdNum === null || ctx.fdNum < 0) return;
    const id = `${key}:${ctx.fdNum}`;
    const res = exit ? pInt(ctx.ev.params[0], -1) : -1;
    if (exit && info.flags & EF.EF_CREATES_FD && res >= 0) {
      this.openSeg.delete(id);
      if (UNTRACKED_CREATORS.has(info.name)) return;
      this.segStart.push(i);
      this.segEnd.push(-1);
      this.segKey.push(key);
      this.openSeg.set(id, this.segStart.length - 1);
    }
    const s = this.openSeg.get(id);
    // (an event that created its thread's entry is identity, never part of an fd life)
    if (s === undefined || createdThread) return;
    this.seg[i] = s;
    const j = this.enterOf[i]!;
    if (j >= 0 && this.seg[j] === -1) this.seg[j] = s;
    if (exit && info.name === 'close' && res >= 0) {
      this.segEnd[s] = i;
      this.openSeg.delete(id);
    }
  }

  /** Should the state-only event at `i` stay? (after finish) */
  needed(i: number): boolean {
    const key = this.keys[i]!;
    if (i >= this.n || Number.isNaN(key)) return true;
    if (i >= (this.horizon.get(key) ?? 0)) return false;
    const s = this.seg[i]!;
    if (s < 0) return true;
    const start = this.segStart[s]!;
    const end = this.segEnd[s]!;
    // past the direct uses, a closed fd life without a clone that matters in it
    if (end < 0 || start < (this.direct.get(key) ?? 0)) return true;
    const clones = this.relevantClones.get(key);
    return !!clones && clones.some((c) => c >= start && c <= end);
  }

  /** Propagate horizons from children to parents (latest clones first). */
  finish(): void {
    const c = this.clones;
    for (let j = c.length - 3; j >= 0; j -= 3) {
      const at = c[j]!;
      if ((this.horizon.get(c[j + 2]!) ?? 0) > at) {
        this.raise(c[j + 1]!, at + 1);
        let l = this.relevantClones.get(c[j + 1]!);
        if (!l) this.relevantClones.set(c[j + 1]!, (l = []));
        l.push(at);
      }
    }
  }
}
