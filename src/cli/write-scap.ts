/**
 * `stratolab read CAPTURE... -w OUT.scap[.gz]`: the matching events written
 * as a new capture that sysdig and Stratoshark open, printing the same lines
 * for them as the source did. Each capture is streamed once to select events
 * (-Y, --since/--until, -c over all captures), then the scap module's
 * writeScapEvents writes them with the state they need (one section per
 * capture; doc/scap-write.md).
 */
import { renameSync, rmSync } from 'node:fs';
import { UsageError } from './errors.js';
import { SOURCE_ENTRIES } from '../sources/registry-entries.js';
import { importSource, resolveLoader } from '../sources/registry.js';
import { SourceUnavailableError } from '../sources/errors.js';
import type { LoadStats } from '../sources/types.js';
import { printLoadWarning, type SourceSelection } from './source-options.js';
import { printStats } from './stats.js';

interface EventKey {
  ts: bigint;
  tid: bigint;
  type: number;
}
type StreamFn = (path: string, opts: Record<string, unknown>) => Promise<{ stats?: Partial<LoadStats> }>;
type WriteEventsFn = (sources: { path: string; events: Map<number, EventKey> }[], path: string) => Promise<{ events: number; bytes: number }>;

export async function writeScapOutput(sel: SourceSelection, out: string, extra: Record<string, unknown>, stats: boolean): Promise<number> {
  if (!/\.scap(\.gz)?$/i.test(out)) throw new UsageError(`-w ${out}: the output must be a .scap or .scap.gz file`, 'stratolab read --help');
  for (const spec of sel.specs) {
    const { entry } = await resolveLoader(spec);
    if (entry.name !== 'scap') throw new UsageError(`-w writes syscall events: ${spec} is a ${entry.name} source, not a sysdig capture`, 'stratolab read --help');
  }
  const started = performance.now();
  const mod = await importSource('scap');
  const stream = mod[SOURCE_ENTRIES.find((e) => e.name === 'scap')!.streamExport!] as StreamFn | undefined;
  const writeEvents = mod.writeScapEvents as WriteEventsFn | undefined;
  if (typeof stream !== 'function' || typeof writeEvents !== 'function') {
    throw new SourceUnavailableError('scap', 'this build cannot write .scap files (no streamScap or writeScapEvents)');
  }
  const total: LoadStats = { objectsListed: sel.specs.length, objectsFetched: 0, bytes: 0, eventsRead: 0, eventsMatched: 0, seconds: 0 };
  const selections: { path: string; events: Map<number, EventKey> }[] = [];
  let matched = 0;
  for (const spec of sel.specs) {
    if (sel.limit !== undefined && matched >= sel.limit) break;
    const events = new Map<number, EventKey>();
    const r = await stream(spec, {
      ...sel.extra,
      ...extra, // --internal: internal events can be selected (and are then written)
      filter: sel.filter,
      ...(sel.since ? { since: sel.since } : {}),
      ...(sel.until ? { until: sel.until } : {}),
      onWarning: printLoadWarning,
      onRow: (row: any) => {
        const ctx = row?.ctx;
        if (!ctx?.ev) return true;
        events.set(ctx.num, { ts: ctx.ev.ts, tid: ctx.ev.tid, type: ctx.ev.type });
        matched++;
        return sel.limit === undefined || matched < sel.limit;
      },
    });
    total.objectsFetched++;
    total.bytes += r?.stats?.bytes ?? 0;
    total.eventsRead += r?.stats?.eventsRead ?? 0;
    selections.push({ path: spec, events });
  }
  // a temporary name (same suffix, so .gz still compresses), renamed at the end: no half-written capture
  const tmp = out.replace(/(\.scap(\.gz)?)$/i, `.partial-${process.pid}$1`);
  try {
    const w = await writeEvents(selections, tmp);
    renameSync(tmp, out);
    total.eventsMatched = w.events;
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  total.seconds = (performance.now() - started) / 1000;
  if (stats) printStats(total);
  return 0;
}
