/** The reference: what reading a capture locally gives (same reader and state engine as a file). */
import { readScap } from '../../../src/sources/scap/reader.js';
import { defaultRowModel } from '../../../src/sources/ssh/rows.js';

export interface EventKey {
  num: number;
  ts: bigint;
  type: string;
}

/** (evt.num, evt.rawtime, evt.type) of every event sysdig would show, from a file or bytes. */
export async function localEvents(source: string | Uint8Array, truncated: 'warn' | 'error' = 'error'): Promise<EventKey[]> {
  const dec = defaultRowModel().decoder('local');
  const out: EventKey[] = [];
  const input = typeof source === 'string' ? source : (async function* () { yield source; })();
  for await (const b of readScap(input, { truncated })) {
    const c = dec.block(b);
    if (c) out.push({ num: c.ctx.num, ts: c.ctx.ev.ts, type: c.type });
  }
  return out;
}

/** The same triple from a capture table. */
export function tableEvents(t: { numRows(): number; array(name: string): ArrayLike<unknown> }, host?: string): EventKey[] {
  const num = t.array('evt.num') as ArrayLike<number>;
  const ts = t.array('evt.rawtime') as ArrayLike<bigint>;
  const type = t.array('evt.type') as ArrayLike<string>;
  const hostCol = t.array('evt.hostname') as ArrayLike<string>;
  const out: EventKey[] = [];
  for (let i = 0; i < t.numRows(); i++) {
    if (host !== undefined && hostCol[i] !== host) continue;
    out.push({ num: num[i]!, ts: ts[i]!, type: type[i]! });
  }
  return out;
}
