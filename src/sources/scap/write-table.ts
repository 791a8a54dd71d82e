/**
 * `writeScap(table, path)`: the selected events of a syscall table (any filtered/ordered view
 * of tables loaded from captures) written as a capture that sysdig 0.29.3 and Stratoshark read,
 * and that prints the same lines for those events as the source did.
 *
 * How (doc/scap-write.md): rows are grouped by the capture they were loaded from (origin.ts).
 * For each source, pass 1 (write-plan.ts) re-walks the file with the loader's state engine,
 * finds the rows' events by evt.num, and decides what else must go along so that the state
 * (threads, fds, users, containers) sysdig rebuilds is the state the source gave the selected
 * events. Pass 2 writes the source's metadata (MI, IL, UL, PL, FDL, re-encoded in the current
 * block versions) and the chosen events in file order: selected ones as they were, the others
 * flagged state-only (parsed, numbered, never printed). Several sources become several
 * sections, in the order of their first row.
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Transform } from 'node:stream';
import type { Table } from '../../frames/table.js';
import { readScap } from './reader.js';
import { ScapWriter } from './writer.js';
import { originOf } from './origin.js';
import type { EventCtx } from './state.js';
import { DROP, KEEP, STATE, planSource, type EventKey, type Numbering, type WritePlan } from './write-plan.js';
import type { EventRecord } from './blocks-event.js';

export interface WriteScapOptions {
  /** gzip the output (default: when the path ends in .gz) */
  gzip?: boolean;
  /** zlib level 0..9 (default 6) */
  level?: number;
  /**
   * 'compact' (default): only the events the state needs go along, and sysdig numbers the
   * output's events anew. 'original': every unselected event goes along as state-only, so
   * sysdig gives the selected events their source evt.num (the output is as big as the source).
   */
  numbering?: Numbering;
}

export interface WriteScapResult {
  /** selected events written (what sysdig prints) */
  events: number;
  /** events written as state-only (parsed by sysdig, never printed) */
  stateOnly: number;
  /** bytes written (compressed size when gzip) */
  bytes: number;
  /** the source captures, in output order */
  sources: string[];
}

/** A SCAP_DF_STATE_ONLY block flag. */
const DF_STATE_ONLY = 1;

function isEventCtx(v: unknown): v is EventCtx {
  return typeof v === 'object' && v !== null && 'ev' in v && 'num' in v && 'host' in v;
}

/** The table's rows as selected events, grouped by source capture in order of first row. */
function selectedEvents(table: Table, out: string): Map<string, Map<number, EventKey>> {
  const groups = new Map<string, Map<number, EventKey>>();
  if (table.numRows() === 0) return groups;
  if (!table.column('raw')) throw new Error(`writeScap ${out}: the table has no \`raw\` column (load the capture with loadScap / sl.load)`);
  const raws = table.array('raw') as unknown[];
  for (const r of raws) {
    if (!isEventCtx(r)) throw new Error(`writeScap ${out}: a row is not a syscall event (only tables loaded from .scap captures can be written)`);
    const origin = originOf(r);
    if (origin === undefined) throw new Error(`writeScap ${out}: event #${r.num} does not say which capture it was loaded from (load it with loadScap / sl.load)`);
    let g = groups.get(origin);
    if (!g) groups.set(origin, (g = new Map()));
    g.set(r.num, { ts: r.ev.ts, tid: r.ev.tid, type: r.ev.type });
  }
  return groups;
}

/** The output stream: a file, or stdout for '-' (with a byte count either way). */
function openOutput(path: string, opts: WriteScapOptions): { writer: ScapWriter; bytes: () => Promise<number> } {
  const gzip = opts.gzip ?? /\.gz$/i.test(path);
  if (path !== '-') {
    const writer = new ScapWriter(createWriteStream(path), { gzip, level: opts.level, endTarget: true });
    return { writer, bytes: async () => (await stat(path)).size };
  }
  let n = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      cb(null, chunk);
    },
  });
  counter.pipe(process.stdout, { end: false });
  const writer = new ScapWriter(counter, { gzip, level: opts.level, endTarget: true });
  return { writer, bytes: async () => n };
}

const CONTAINER_TYPES = new Set([228, 272, 324]);

/** A tid no Linux thread has (PID_MAX_LIMIT is 2^22), so the placeholder it makes is never seen. */
const SEPARATOR_TID = 0x7fffffffn;

/**
 * A state-only generic syscall event (`syscall` enter, ID 0) of SEPARATOR_TID: numbered by
 * sysdig, never printed, changes nothing a written event shows (tid 0 would: `ptid=0(<NA>)`). It ends a section's initial phase
 * (sysdig consumes container events at the start of the stream without printing them) and
 * makes an empty selection a capture sysdig opens.
 */
function separator(ts: bigint) {
  return { ts, tid: SEPARATOR_TID, cpu: 0, type: 0, flags: DF_STATE_ONLY, params: [new Uint8Array(2), new Uint8Array(2)] };
}

/** Pass 2: the source's metadata and decided events, section by section. */
async function writeSource(writer: ScapWriter, plan: WritePlan): Promise<number> {
  let i = -1;
  let section = -1;
  let written = 0;
  /** has this section written an event that is not a container event (the end of its initial phase) */
  let started = false;
  for await (const b of readScap(plan.path, { file: plan.path, truncated: 'warn' })) {
    if (b.kind !== 'event') {
      if (b.kind === 'section') {
        section++;
        started = false;
      }
      if (plan.sectionUsed[section]) writer.block(b);
      continue;
    }
    i++;
    const d = plan.decisions[i];
    if (d === undefined) throw new Error(`writeScap: ${plan.path} has more events than when it was planned (has the file changed?)`);
    if (d === DROP || !plan.sectionUsed[section]) continue;
    const rec = b.event as EventRecord;
    if (d === STATE) rec.flags = (rec.flags ?? 0) | DF_STATE_ONLY;
    else if (d === KEEP && rec.flags) rec.flags &= ~DF_STATE_ONLY;
    // (ASIS: original flags)
    if (CONTAINER_TYPES.has(rec.type)) {
      // a selected container event must not be consumed as initial state
      if (d === KEEP && !started) {
        writer.event(separator(rec.ts));
        started = true;
      }
    } else started = true;
    writer.event(rec);
    written++;
    await writer.maybeFlush();
  }
  if (i + 1 !== plan.decisions.length) throw new Error(`writeScap: ${plan.path} has fewer events than when it was planned (has the file changed?)`);
  return written;
}

/**
 * sysdig refuses a capture without events ("no events in file"), so an empty selection is
 * written as the first source's metadata and one state-only generic event (never printed).
 */
async function writeEmpty(writer: ScapWriter, plan: WritePlan | undefined): Promise<void> {
  let wroteSection = false;
  if (plan) {
    for await (const b of readScap(plan.path, { file: plan.path, truncated: 'warn' })) {
      if (b.kind === 'event' || (b.kind === 'section' && wroteSection)) break;
      if (b.kind === 'section') wroteSection = true;
      writer.block(b);
    }
  }
  if (!wroteSection) writer.section();
  writer.event(separator(plan?.firstTs ?? 0n));
}

/**
 * Write the selected events of `table` (rows of syscall tables loaded with loadScap, any
 * filtered/ordered view, one or more captures) to `path` ('-' = stdout; gzip for .gz or
 * `opts.gzip`). Resolves when the file is complete.
 */
export async function writeScap(table: Table, path: string, opts: WriteScapOptions = {}): Promise<WriteScapResult> {
  const groups = selectedEvents(table, path);
  return writeScapEvents([...groups].map(([source, events]) => ({ path: source, events })), path, opts);
}

/** The selected events of one capture: evt.num (as the loader numbers them) -> the event. */
export interface ScapSelection {
  path: string;
  events: ReadonlyMap<number, EventKey>;
}

/**
 * The same from selections by evt.num (for callers that stream a capture instead of loading a
 * table, like `stratolab read -Y ... -w`): one section per source, in the order given.
 */
export async function writeScapEvents(sources: readonly ScapSelection[], path: string, opts: WriteScapOptions = {}): Promise<WriteScapResult> {
  if (path !== '-' && sources.some((s) => resolve(s.path) === resolve(path))) {
    throw new Error(`writeScap ${path}: the output is one of the captures being written from`);
  }
  const plans: WritePlan[] = [];
  for (const s of sources) plans.push(await planSource(s.path, s.events, opts.numbering ?? 'compact'));
  const { writer, bytes } = openOutput(path, opts);
  let written = 0;
  try {
    for (const plan of plans) written += await writeSource(writer, plan);
    if (written === 0) await writeEmpty(writer, plans[0]);
  } finally {
    await writer.close();
  }
  return {
    events: plans.reduce((n, p) => n + p.kept, 0),
    stateOnly: plans.reduce((n, p) => n + p.stateOnly, 0),
    bytes: await bytes(),
    sources: plans.map((p) => p.path),
  };
}
