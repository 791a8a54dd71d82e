/** `--stats`: one JSON line on stderr with the load counters. */
import type { LoadStats } from '../sources/types.js';

const ORDER = ['objectsListed', 'objectsFetched', 'cacheHits', 'bytes', 'eventsRead', 'eventsMatched', 'seconds'];

/** Prints the stats with the contract keys first (always present), then any source-specific ones. */
export function printStats(stats: Partial<LoadStats>): void {
  const out: Record<string, number> = {};
  for (const k of ORDER) {
    const v = stats[k];
    if (typeof v === 'number') out[k] = k === 'seconds' ? Math.round(v * 1000) / 1000 : v;
    else if (k !== 'cacheHits') out[k] = 0;
  }
  for (const [k, v] of Object.entries(stats)) if (!(k in out) && typeof v === 'number') out[k] = v;
  process.stderr.write(JSON.stringify(out) + '\n');
}
