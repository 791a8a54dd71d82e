/**
 * sysdig 0.29.3's default text line (`sysdig -r F`):
 *   %evt.num %evt.time %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info
 * with evt.info = every argument as `name=VALUE(RESOLVED) ` (note the trailing space).
 */
import { envOf, renderArgs } from './args.js';
import { PPM_SC_NAMES_0293, type EventInfo } from './event-table.js';
import type { ScapEvent } from './types.js';
import type { EventCtx } from './state.js';
import { paramUint } from './raw-params.js';

/** evt.type: the table name, or the syscall name for generic events. */
export function eventTypeName(ev: ScapEvent, info: EventInfo): string {
  if (info.code <= 1) return PPM_SC_NAMES_0293[paramUint(ev, 0, 0)] ?? '<unknown>';
  return info.name;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** evt.time: local `HH:MM:SS.nnnnnnnnn` */
export function formatTime(ts: bigint): string {
  const ms = Number(ts / 1000000n);
  const ns = Number(ts % 1000000000n);
  const d = new Date(ms);
  return `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}.${pad(ns < 0 ? 0 : ns, 9)}`;
}

/** evt.datetime: local `YYYY-MM-DD HH:MM:SS.nnnnnnnnn` */
export function formatDatetime(ts: bigint): string {
  const d = new Date(Number(ts / 1000000n));
  return `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)} ${formatTime(ts)}`;
}

/** A row as the table/stream hands it out: its raw event context. */
export interface HasCtx {
  ctx?: EventCtx;
  raw?: EventCtx;
}

function ctxOf(row: EventCtx | HasCtx): EventCtx {
  if ((row as EventCtx).ev) return row as EventCtx;
  const c = (row as HasCtx).ctx ?? (row as HasCtx).raw;
  if (!c) throw new TypeError('formatEventLine: not a scap row');
  return c;
}

/** The default sysdig 0.29.3 line of one event (an EventCtx, or a row carrying one as `ctx`/`raw`). */
export function formatEventLine(row: EventCtx | HasCtx): string {
  const ctx = ctxOf(row);
  const { ev, info } = ctx;
  const t = ctx.thread;
  const comm = t ? t.comm : '<NA>';
  const tid = t ? t.tid : Number(ev.tid);
  const args = renderArgs(ev, info, envOf(ctx));
  return `${ctx.num} ${formatTime(ev.ts)} ${ev.cpu} ${comm} (${tid}) ${info.dir} ${eventTypeName(ev, info)} ${args}`;
}
