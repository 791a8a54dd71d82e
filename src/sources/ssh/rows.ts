/**
 * How one host's blocks become rows, and rows from many hosts one table
 * ordered by time (live-table.ts), with `evt.hostname` set to the host as
 * the user named it.
 *
 * The default model runs the scap state engine (one per host) and gives the
 * same columns as a capture file loaded with the scap loader (SCAP_COLUMNS),
 * computed when the event is parsed (state-dependent fields such as
 * proc.cmdline or fd.name must be read then), plus `raw` (the event context)
 * from which every other syscall field is extracted lazily.
 */
import type { Table } from '../../frames/table.js';
import type { FieldSource } from '../../filter/index.js';
import { snapshotAux } from '../scap/args.js';
import { EF } from '../scap/event-table.js';
import { fieldValue, registerScapFields } from '../scap/fields.js';
import { eventTypeName } from '../scap/print.js';
import { ScapState, type EventCtx } from '../scap/state.js';
import type { BlockDecoder } from './host-capture.js';
import { LiveTable, type ColumnSpec } from './live-table.js';

registerScapFields();

export interface RowModel<R> {
  /** a fresh decoder (its own state engine) for one host */
  decoder(host: string): BlockDecoder<R>;
  /** accumulates the rows of every host; `snapshot()` is the table so far, ordered by time */
  collector(hosts: readonly string[]): RowCollector<R>;
  /** the row's fields for a filter, read right after it was decoded (`evt.hostname` is the host's name) */
  fields?(row: R, host: string): FieldSource;
}

export interface RowCollector<R> {
  add(hostIndex: number, row: R): void;
  readonly length: number;
  snapshot(): Table;
}

/** One event with the column values it had when it was parsed. */
export interface SyscallRow {
  ctx: EventCtx;
  type: string;
  pid: number | null;
  ppid: number | null;
  name: string | null;
  exe: string | null;
  cmdline: string | null;
  user: string | null;
  containerId: string | null;
  fdType: string | null;
  fdName: string | null;
  res: string | null;
  rawres: number | null;
}

const FD_FLAGS = EF.EF_CREATES_FD | EF.EF_USES_FD | EF.EF_DESTROYS_FD;

/** The column values of one visible event, read from the state right after it was parsed. */
export function syscallRow(ctx: EventCtx): SyscallRow {
  const t = ctx.thread;
  const fdUse = (ctx.info.flags & FD_FLAGS) !== 0;
  const row: SyscallRow = {
    ctx,
    type: ctx.info.code <= 1 ? eventTypeName(ctx.ev, ctx.info) : ctx.info.name,
    pid: t ? t.pid : null,
    ppid: t ? ctx.ppid ?? null : null,
    name: t ? t.comm : null,
    exe: t ? t.exe : null,
    cmdline: fieldValue(ctx, 'proc.cmdline') as string | null,
    user: fieldValue(ctx, 'user.name') as string | null,
    containerId: t ? t.containerId : null,
    fdType: fdUse ? (fieldValue(ctx, 'fd.type') as string | null) : null,
    fdName: fdUse ? (fieldValue(ctx, 'fd.name') as string | null) : null,
    res: fieldValue(ctx, 'evt.res') as string | null,
    rawres: fieldValue(ctx, 'evt.rawres') as number | null,
  };
  snapshotAux(ctx);
  return row;
}

/** The scap loader's columns (SCAP_COLUMNS), in its order. */
const SYSCALL_SPEC: ColumnSpec = [
  ['time', 'plain'], ['source', 'dict'], ['evt.num', 'plain'], ['evt.rawtime', 'plain'], ['evt.type', 'dict'],
  ['evt.dir', 'dict'], ['evt.cpu', 'plain'], ['evt.hostname', 'dict'], ['thread.tid', 'plain'], ['proc.pid', 'plain'],
  ['proc.ppid', 'plain'], ['proc.name', 'dict'], ['proc.exe', 'dict'], ['proc.cmdline', 'dict'], ['user.name', 'dict'],
  ['container.id', 'dict'], ['fd.num', 'plain'], ['fd.type', 'dict'], ['fd.name', 'dict'], ['evt.res', 'dict'],
  ['evt.rawres', 'plain'], ['raw', 'plain'],
];

function syscallCollector(hosts: readonly string[]): RowCollector<SyscallRow> {
  const table = new LiveTable(SYSCALL_SPEC);
  return {
    add(hostIndex, r) {
      const c = r.ctx;
      // in SYSCALL_SPEC's order
      table.add(c.ev.ts, hostIndex, [
        new Date(Number(c.ev.ts / 1000000n)),
        'syscall',
        c.num,
        c.ev.ts,
        r.type,
        c.info.dir,
        c.ev.cpu,
        hosts[hostIndex] ?? null,
        c.thread ? c.thread.tid : Number(c.ev.tid),
        r.pid,
        r.ppid,
        r.name,
        r.exe,
        r.cmdline,
        r.user,
        r.containerId,
        c.fdNum,
        r.fdType,
        r.fdName,
        r.res,
        r.rawres,
        c,
      ]);
    },
    get length() {
      return table.length;
    },
    snapshot: () => table.snapshot(),
  };
}

/** Rows are the events sysdig would show (internal ones too with showInternal), as the scap loader's columns. */
export function defaultRowModel(opts: { showInternal?: boolean } = {}): RowModel<SyscallRow> {
  return {
    decoder() {
      const state = new ScapState(opts);
      return {
        block(b) {
          const ctx = state.block(b);
          return ctx && !ctx.hidden ? syscallRow(ctx) : null;
        },
      };
    },
    collector: syscallCollector,
    fields: (r, host) => ({ get: (f, a) => (f === 'evt.hostname' ? host : fieldValue(r.ctx, f, a)) }),
  };
}
