/**
 * Pass 1 of writeScap: which events of a source capture go into the output, and how.
 *
 * The output is a subsequence of the source (same metadata blocks, events in file order), so
 * sysdig rebuilds the very same thread/fd/user/container state the source gave the selected
 * events — provided no dropped event changed that state. Every event gets one decision:
 *
 *   KEEP   a selected event: written as it was (sysdig prints it)
 *   STATE  not selected but its parsing matters to later events: written as an EVF_V2 block
 *          flagged SCAP_DF_STATE_ONLY, which sysdig numbers and parses but never prints (the
 *          mechanism of `sysdig -F -w`, "fatfile" mode; scap-format.md §1.9, §4.4)
 *   ASIS   container events at the start of a section (consumed by sysdig while opening):
 *          written with their original flags (in sections that write a KEEP or STATE event)
 *   DROP   left out
 *
 * An unselected event is STATE when (a) its type modifies state in sysdig 0.29.3's table
 * (EF_MODIFIES_STATE/CREATES_FD/DESTROYS_FD: clone, execve, open, close, socket, connect,
 * sendto, procexit, container...) or is prlimit/setrlimit; (b) it creates a thread entry (the
 * first event of an unknown tid makes libsinsp's `<NA>` placeholder); or (c) it is the last
 * enter event of a thread before a written exit (libsinsp pairs an exit with the thread's
 * last enter: fd.name of the exit, socket domain, openat names...). Internal events (procinfo)
 * and other unselected events are dropped. With `numbering: 'original'` every unselected
 * numbered event is kept as STATE, so sysdig numbers the selected events as in the source.
 */
import { readScap } from './reader.js';
import { ScapState } from './state.js';
import { EC, EF, EVENT_MAX_0293, EVENT_TABLE_0293 } from './event-table.js';
import { ScapError } from './types.js';
import { Relevance } from './write-relevance.js';
import { grown } from '../../frames/columns.js';

export const DROP = 0;
export const KEEP = 1;
export const STATE = 2;
export const ASIS = 3;
export type Decision = typeof DROP | typeof KEEP | typeof STATE | typeof ASIS;

export type Numbering = 'compact' | 'original';

/** What pass 1 found out about one source file. */
export interface WritePlan {
  path: string;
  /** one decision per event block of the file, in file order */
  decisions: Uint8Array;
  /** per section (0-based): does it write at least one event */
  sectionUsed: boolean[];
  kept: number;
  stateOnly: number;
  /** timestamp of the first event block (for an empty capture's placeholder event) */
  firstTs: bigint;
}

const CONTAINER_TYPES = new Set([228, 272, 324]);
const SWITCH_TYPES = new Set([146, 152]);

/** Event types whose parsing changes state that later events show (by 0.29.3's table). */
const STATEFUL = new Uint8Array(EVENT_MAX_0293);
for (const e of EVENT_TABLE_0293) {
  if (!e) continue;
  if (e.flags & (EF.EF_MODIFIES_STATE | EF.EF_CREATES_FD | EF.EF_DESTROYS_FD)) STATEFUL[e.code] = 1;
  if (e.name === 'prlimit' || e.name === 'setrlimit') STATEFUL[e.code] = 1;
}

class Decisions {
  buf = new Uint8Array(1024);
  length = 0;
  push(d: Decision): number {
    this.buf = grown(this.buf, this.length);
    this.buf[this.length] = d;
    return this.length++;
  }
}

/** What identifies a selected event besides its evt.num (checked on the re-read). */
export interface EventKey {
  ts: bigint;
  tid: bigint;
  type: number;
}

function sameEvent(a: EventKey, ts: bigint, tid: bigint, type: number): boolean {
  return a.ts === ts && a.tid === tid && a.type === type;
}

/**
 * Walks `path` once with the loader's state engine (so evt.num is what the loader gave the
 * rows) and decides every event. `keep`: the selected events by evt.num.
 */
export async function planSource(path: string, keep: ReadonlyMap<number, EventKey>, numbering: Numbering = 'compact'): Promise<WritePlan> {
  const state = new ScapState({ showInternal: false });
  const dec = new Decisions();
  const sectionUsed: boolean[] = [];
  /** event index where each section starts */
  const sectionStart: number[] = [];
  const relevance = numbering === 'compact' ? new Relevance(state) : null;
  const lastEnter = new Map<number, number>();
  let section = -1;
  let kept = 0;
  let firstTs = -1n;
  for await (const b of readScap(path, { file: path, truncated: 'warn' })) {
    if (b.kind !== 'event') {
      if (b.kind === 'section') {
        section++;
        sectionUsed.push(false);
        sectionStart.push(dec.length);
        lastEnter.clear();
        relevance?.section();
      }
      state.block(b);
      continue;
    }
    const ev = b.event;
    if (firstTs < 0n) firstTs = ev.ts;
    const tid = Number(ev.tid);
    const known = state.threads.get(tid) !== undefined;
    const isContainer = CONTAINER_TYPES.has(ev.type) && ev.type < EVENT_MAX_0293;
    const ctx = state.process(ev);
    let d: Decision = DROP;
    if (!ctx) {
      // unknown to sysdig 0.29.3 (not numbered), or a later section's initial container event
      if (isContainer) d = ASIS;
    } else {
      const row = keep.get(ctx.num);
      const info = ctx.info;
      if (row) {
        if (!sameEvent(row, ev.ts, ev.tid, ev.type)) {
          throw new ScapError(`writeScap: event #${ctx.num} is not the event the table was loaded with (has the file changed?)`, path, ev.offset);
        }
        d = KEEP;
        kept++;
      } else if (isContainer) d = ctx.hidden ? ASIS : STATE;
      else if (info.category & EC.EC_INTERNAL) d = numbering === 'original' ? ASIS : DROP;
      else if (numbering === 'original') d = STATE;
      else if (STATEFUL[ev.type] || (!known && state.threads.get(tid) !== undefined)) d = STATE;
      const i = dec.push(d);
      relevance?.add(i, ctx, d === KEEP, isContainer, !known && state.threads.get(tid) !== undefined);
      const enter = (ev.type & 1) === 0;
      if (enter) {
        if (!SWITCH_TYPES.has(ev.type) && !(info.flags & EF.EF_SKIPPARSERESET)) lastEnter.set(tid, i);
      } else if (d !== DROP) {
        const j = lastEnter.get(tid);
        if (j !== undefined && dec.buf[j] === DROP) dec.buf[j] = STATE;
      }
      continue;
    }
    dec.push(d);
  }
  if (kept !== keep.size) {
    throw new ScapError(`writeScap: ${keep.size - kept} selected events were not found again (has the file changed?)`, path, 0);
  }
  const decisions = dec.buf.subarray(0, dec.length);
  if (relevance) {
    relevance.finish();
    for (let i = 0; i < decisions.length; i++) if (decisions[i] === STATE && !relevance.needed(i)) decisions[i] = DROP;
  }
  let stateOnly = 0;
  for (let i = 0, s = -1; i < decisions.length; i++) {
    while (s + 1 < sectionStart.length && sectionStart[s + 1]! <= i) s++;
    const d = decisions[i];
    if (d === STATE) stateOnly++;
    if ((d === KEEP || d === STATE) && s >= 0) sectionUsed[s] = true;
  }
  return { path, decisions, sectionUsed, kept, stateOnly, firstTs: firstTs < 0n ? 0n : firstTs };
}
