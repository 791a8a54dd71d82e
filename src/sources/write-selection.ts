/**
 * Writing a selection of a capture's events as a new capture (what
 * `sysdig -r IN -w OUT FILTER` does): every state block of the input is
 * copied (machine, interfaces, users, process and fd lists), and of the
 * events only those whose block offset is selected. Built on the scap
 * module's reader and writer, loaded lazily.
 */
import { eachRow } from '../frames/rows.js';
import type { Table } from '../frames/table.js';
import { SourceUnavailableError } from './errors.js';
import { importSource } from './registry.js';

/** The input block offsets of a scap table's rows (from each row's raw event context). */
export function eventOffsets(table: Table): Set<number> {
  const raw = table.column('raw');
  const out = new Set<number>();
  if (!raw) return out;
  eachRow(table, (row) => {
    const off = (raw.at(row) as any)?.ev?.offset;
    if (typeof off === 'number') out.add(off);
  });
  return out;
}

/**
 * Copies `input` to `out` (gzip when it ends in .gz) keeping the state
 * blocks and the events at `offsets`; returns the number of events written.
 */
export async function copyScapEvents(input: string, out: string, offsets: ReadonlySet<number>): Promise<number> {
  const mod = await importSource('scap');
  const readScap = mod.readScap as ((src: string) => AsyncIterable<any>) | undefined;
  let writerMod: any;
  try {
    const spec: string = './scap/writer.js';
    writerMod = await import(spec);
  } catch {
    writerMod = undefined;
  }
  if (typeof readScap !== 'function' || typeof writerMod?.ScapWriter !== 'function') {
    throw new SourceUnavailableError('scap', 'this build cannot write .scap files (no readScap or ScapWriter)');
  }
  const writer = new writerMod.ScapWriter(out, { gzip: /\.gz$/i.test(out) });
  let written = 0;
  try {
    for await (const b of readScap(input)) {
      if (b.kind === 'event') {
        if (!offsets.has(b.event.offset)) continue;
        written++;
      }
      writer.block(b);
      await writer.maybeFlush();
    }
  } finally {
    await writer.close();
  }
  return written;
}
