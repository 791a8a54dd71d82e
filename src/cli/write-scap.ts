/**
 * `stratolab read CAPTURE ... -w OUT.scap[.gz]`: the matching events of a
 * capture written as a new capture sysdig and Stratoshark open. Like
 * `sysdig -r IN -w OUT FILTER`: every state block of the input (machine,
 * interfaces, users, process and fd lists) is copied, and of the events only
 * those that match (-Y, --since/--until, -c). Uses the scap module's
 * writeScap when it has one, else copies blocks with its reader and writer.
 */
import { renameSync, rmSync } from 'node:fs';
import { UsageError } from './errors.js';
import { SOURCE_ENTRIES } from '../sources/registry-entries.js';
import { importSource, resolveLoader } from '../sources/registry.js';
import { SourceUnavailableError } from '../sources/errors.js';
import { copyScapEvents } from '../sources/write-selection.js';
import type { LoadStats } from '../sources/types.js';
import { printLoadWarning, type SourceSelection } from './source-options.js';
import { printStats } from './stats.js';

export async function writeScapOutput(sel: SourceSelection, out: string, extra: Record<string, unknown>, stats: boolean): Promise<number> {
  if (!/\.scap(\.gz)?$/i.test(out)) throw new UsageError(`-w ${out}: the output must be a .scap or .scap.gz file`, 'stratolab read --help');
  if (sel.specs.length !== 1) throw new UsageError('-w writes the events of one capture: give exactly one .scap SOURCE', 'stratolab read --help');
  const spec = sel.specs[0]!;
  const { entry } = await resolveLoader(spec);
  if (entry.name !== 'scap') throw new UsageError(`-w writes syscall events: ${spec} is a ${entry.name} source, not a sysdig capture`, 'stratolab read --help');
  const s = await copyMatchingEvents(spec, out, sel, extra);
  if (stats) printStats(s);
  return 0;
}

/** Streams the capture once to find the matching events' offsets, then copies blocks. */
async function copyMatchingEvents(input: string, out: string, sel: SourceSelection, extra: Record<string, unknown>): Promise<LoadStats> {
  const started = performance.now();
  const mod = await importSource('scap');
  const stream = mod[SOURCE_ENTRIES.find((e) => e.name === 'scap')!.streamExport!] as
    | ((path: string, opts: Record<string, unknown>) => Promise<{ stats?: Partial<LoadStats> }>)
    | undefined;
  if (typeof stream !== 'function') throw new SourceUnavailableError('scap', 'this build cannot write .scap files (no streamScap)');
  const offsets = new Set<number>();
  // the matching events by evt.num, for the scap module's writeScapEvents (which also writes the state they need)
  const selected = new Map<number, { ts: bigint; tid: bigint; type: number }>();
  let matched = 0;
  const r = await stream(input, {
    ...sel.extra,
    ...extra,
    filter: sel.filter,
    ...(sel.since ? { since: sel.since } : {}),
    ...(sel.until ? { until: sel.until } : {}),
    onWarning: printLoadWarning,
    onRow: (row: any) => {
      const ev = row?.ctx?.ev;
      if (typeof ev?.offset === 'number') offsets.add(ev.offset);
      if (typeof row?.ctx?.num === 'number') selected.set(row.ctx.num, { ts: ev.ts, tid: ev.tid, type: ev.type });
      matched++;
      return sel.limit === undefined || matched < sel.limit;
    },
  });
  // a temporary name (same suffix, so .gz still compresses), renamed at the end: no half-written capture
  const tmp = out.replace(/(\.scap(\.gz)?)$/i, `.partial-${process.pid}$1`);
  let written: number;
  try {
    const writeEvents = mod.writeScapEvents as
      | ((sources: { path: string; events: typeof selected }[], out: string) => Promise<{ events: number }>)
      | undefined;
    written = typeof writeEvents === 'function'
      ? (await writeEvents([{ path: input, events: selected }], tmp)).events
      : await copyScapEvents(input, tmp, offsets);
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return {
    objectsListed: 1,
    objectsFetched: 1,
    bytes: r?.stats?.bytes ?? 0,
    eventsRead: r?.stats?.eventsRead ?? 0,
    eventsMatched: written,
    seconds: (performance.now() - started) / 1000,
  };
}
