/**
 * How one host's blocks become rows, and rows from many hosts one table
 * ordered by time, with `evt.hostname` set to the host as the user named it.
 *
 * The default model runs the scap state engine (one per host) and gives the
 * same columns as a capture file loaded with the scap loader (SCAP_COLUMNS),
 * computed when the event is parsed (state-dependent fields such as
 * proc.cmdline or fd.name must be read then), plus `raw` (the event context)
 * from which every other syscall field is extracted lazily.
 */
import * as aq from 'arquero';
import { DictBuilder } from '../../frames/columns.js';
import type { Table } from '../../frames/table.js';
import { snapshotAux } from '../scap/args.js';
import { EF } from '../scap/event-table.js';
import { fieldValue, registerScapFields } from '../scap/fields.js';
import { eventTypeName } from '../scap/print.js';
import { ScapState, type EventCtx } from '../scap/state.js';
import type { BlockDecoder } from './host-capture.js';

registerScapFields();

export interface RowModel<R> {
  /** a fresh decoder (its own state engine) for one host */
  decoder(host: string): BlockDecoder<R>;
  /** the rows of every host merged into one table ordered by time */
  toTable(hosts: readonly { host: string; rows: readonly R[] }[]): Table;
}

/** Merges per-host row lists by timestamp; stable (ties keep host order, then row order). */
export function mergeByTime<R>(hosts: readonly { host: string; rows: readonly R[] }[], ts: (r: R) => bigint): { host: string; row: R }[] {
  const all: { host: string; row: R; t: bigint; i: number }[] = [];
  let i = 0;
  for (const h of hosts) for (const row of h.rows) all.push({ host: h.host, row, t: ts(row), i: i++ });
  all.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.i - b.i));
  return all.map(({ host, row }) => ({ host, row }));
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
    ppid: t ? ctx.ppid : null,
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

function buildTable(merged: readonly { host: string; row: SyscallRow }[]): Table {
  const n = merged.length;
  const time = new Array<Date>(n);
  const num = new Array<number>(n);
  const rawtime = new Array<bigint>(n);
  const cpu = new Array<number>(n);
  const tid = new Array<number>(n);
  const pid = new Array<number | null>(n);
  const ppid = new Array<number | null>(n);
  const fdnum = new Array<number | null>(n);
  const rawres = new Array<number | null>(n);
  const raw = new Array<EventCtx>(n);
  const [type, dir, host, source, pname, exe, cmd, user, cid, fdtype, fdname, res] = Array.from({ length: 12 }, () => new DictBuilder<string>());
  merged.forEach(({ host: h, row: r }, i) => {
    const c = r.ctx;
    time[i] = new Date(Number(c.ev.ts / 1000000n));
    num[i] = c.num;
    rawtime[i] = c.ev.ts;
    cpu[i] = c.ev.cpu;
    tid[i] = c.thread ? c.thread.tid : Number(c.ev.tid);
    pid[i] = r.pid;
    ppid[i] = r.ppid;
    fdnum[i] = c.fdNum;
    rawres[i] = r.rawres;
    raw[i] = c;
    type!.push(r.type);
    dir!.push(c.info.dir);
    host!.push(h);
    source!.push('syscall');
    pname!.push(r.name);
    exe!.push(r.exe);
    cmd!.push(r.cmdline);
    user!.push(r.user);
    cid!.push(r.containerId);
    fdtype!.push(r.fdType);
    fdname!.push(r.fdName);
    res!.push(r.res);
  });
  return aq.table({
    time,
    source: source!.finish(),
    'evt.num': num,
    'evt.rawtime': rawtime,
    'evt.type': type!.finish(),
    'evt.dir': dir!.finish(),
    'evt.cpu': cpu,
    'evt.hostname': host!.finish(),
    'thread.tid': tid,
    'proc.pid': pid,
    'proc.ppid': ppid,
    'proc.name': pname!.finish(),
    'proc.exe': exe!.finish(),
    'proc.cmdline': cmd!.finish(),
    'user.name': user!.finish(),
    'container.id': cid!.finish(),
    'fd.num': fdnum,
    'fd.type': fdtype!.finish(),
    'fd.name': fdname!.finish(),
    'evt.res': res!.finish(),
    'evt.rawres': rawres,
    raw,
  } as Record<string, any>);
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
    toTable(hosts) {
      return buildTable(mergeByTime(hosts, (r) => r.ctx.ev.ts));
    },
  };
}
