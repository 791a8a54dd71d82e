/**
 * `stratolab read` on a source that streams (scap's `streamScap`): rows go
 * from the reader to stdout one by one, no table is built, memory stays
 * flat whatever the capture size.
 */
import type { Output } from './output.js';
import { rowFormatter, type OutputFormat } from './row-writer.js';
import type { SourceSelection } from './source-options.js';
import { printLoadWarning } from './source-options.js';
import { parseFieldSpec } from '../fields/spec.js';
import { toDate, toEpochMs } from '../frames/time.js';
// the modules themselves, not sources/index.js: the streaming path does not load arquero
import { importSource } from '../sources/registry.js';
import { streamerFor } from '../sources/stream.js';
import type { LoadStats } from '../sources/types.js';

export interface StreamRequest {
  format: OutputFormat;
  fields: readonly string[];
  out: Output;
  extra: Record<string, unknown>;
}

/** A field getter on a streamed row: `row.get(name, arg)` when offered (`proc.aname[2]` split), else the property. */
function getter(row: any, sourceValue?: string): (f: string) => unknown {
  if (typeof row?.get === 'function') {
    return (f) => {
      const { name, arg } = parseFieldSpec(f);
      const v = arg === undefined ? row.get(name) : row.get(name, arg);
      // `time`, a table column, is the event time of a streamed event
      if (name === 'time' && (v === null || v === undefined)) return toDate(row.get('evt.rawtime'));
      if (name === 'source' && (v === null || v === undefined)) return sourceValue ?? null;
      return v;
    };
  }
  return (f) => row?.[f];
}

/**
 * Streams when every source can; returns the stats, or null when the
 * sources need a table (the caller then loads one).
 */
export async function tryStream(sel: SourceSelection, req: StreamRequest): Promise<LoadStats | null> {
  const streamer = await streamerFor(sel.specs);
  if (!streamer) return null;
  const mod = await importSource(streamer.source);
  let formatLine: ((row: any) => string) | undefined;
  let fields = req.fields;
  if (req.format === 'text') {
    if (typeof mod.formatEventLine !== 'function') return null;
    formatLine = mod.formatEventLine as (row: any) => string;
  } else if (!fields.length) {
    // json/csv without -e: the columns the source's table would have (not the raw record)
    if (!streamer.columns) return null;
    fields = streamer.columns.filter((c) => c !== 'raw');
  }
  const started = performance.now();
  const stats: LoadStats = { objectsListed: sel.specs.length, objectsFetched: 0, bytes: 0, eventsRead: 0, eventsMatched: 0, seconds: 0 };
  const f = req.format === 'text' ? null : rowFormatter(req.format, fields);
  if (f?.header !== undefined) req.out.line(f.header);
  const lo = sel.since?.getTime() ?? -Infinity;
  const hi = sel.until?.getTime() ?? Infinity;
  const timed = sel.since !== undefined || sel.until !== undefined;
  let done = false;
  const values = new Array<unknown>(fields.length);
  for (const spec of sel.specs) {
    if (done) break;
    const r: any = await streamer.stream(spec, {
      ...sel.extra,
      ...req.extra,
      filter: sel.filter,
      ...(sel.since ? { since: sel.since } : {}),
      ...(sel.until ? { until: sel.until } : {}),
      onWarning: printLoadWarning,
      onRow: (row: any) => {
        if (done) return false;
        const get = getter(row, streamer.sourceValue);
        if (timed) {
          const t = toEpochMs((get('time') ?? get('evt.rawtime')) as any);
          if (!(t >= lo && t < hi)) return true;
        }
        if (formatLine) req.out.line(formatLine(row));
        else {
          for (let i = 0; i < fields.length; i++) {
            const v = get(fields[i]!);
            values[i] = v === undefined ? null : v;
          }
          req.out.line(f!.line(values));
        }
        stats.eventsMatched++;
        if (sel.limit !== undefined && stats.eventsMatched >= sel.limit) done = true;
        return !done;
      },
    });
    stats.objectsFetched++;
    if (r && typeof r === 'object') {
      const s = (r.stats ?? r) as Partial<LoadStats>;
      if (typeof s.bytes === 'number') stats.bytes += s.bytes;
      if (typeof s.eventsRead === 'number') stats.eventsRead += s.eventsRead;
    }
  }
  stats.seconds = (performance.now() - started) / 1000;
  return stats;
}
