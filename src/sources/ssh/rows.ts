/**
 * How one host's blocks become rows, and rows from many hosts one table
 * ordered by time, with `evt.hostname` set to the host as the user named it.
 *
 * The default model runs the scap state engine (one per host) and keeps the
 * event context as the `raw` column, so every syscall field the registry
 * knows is available lazily, as for a capture file.
 */
import * as aq from 'arquero';
import type { Table } from '../../frames/table.js';
import { ScapState, type EventCtx } from '../scap/state.js';
import type { BlockDecoder } from './host-capture.js';

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

/** Rows are the state engine's event contexts of the events sysdig would show. */
export function defaultRowModel(opts: { showInternal?: boolean } = {}): RowModel<EventCtx> {
  return {
    decoder() {
      const state = new ScapState(opts);
      return {
        block(b) {
          const ctx = state.block(b);
          return ctx && !ctx.hidden ? ctx : null;
        },
      };
    },
    toTable(hosts) {
      const merged = mergeByTime(hosts, (c) => c.ev.ts);
      const n = merged.length;
      const cols = {
        time: new Array<Date>(n),
        'evt.num': new Array<number>(n),
        'evt.rawtime': new Array<bigint>(n),
        'evt.type': new Array<string>(n),
        'evt.dir': new Array<string>(n),
        'evt.hostname': new Array<string>(n),
        'proc.name': new Array<string | null>(n),
        'thread.tid': new Array<number>(n),
        source: new Array<string>(n),
        raw: new Array<EventCtx>(n),
      };
      merged.forEach(({ host, row: c }, i) => {
        cols.time[i] = new Date(Number(c.ev.ts / 1000000n));
        cols['evt.num'][i] = c.num;
        cols['evt.rawtime'][i] = c.ev.ts;
        cols['evt.type'][i] = c.info.name;
        cols['evt.dir'][i] = c.info.dir;
        cols['evt.hostname'][i] = host;
        cols['proc.name'][i] = c.thread?.comm ?? null;
        cols['thread.tid'][i] = Number(c.ev.tid);
        cols.source[i] = 'syscall';
        cols.raw[i] = c;
      });
      return aq.table(cols);
    },
  };
}
