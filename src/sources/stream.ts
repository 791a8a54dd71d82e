/**
 * Streaming readers: when every spec goes to one source that can stream
 * (scap's `streamScap`), `stratolab read` prints rows as they are read.
 */
import type { SourceEntry } from './registry-entries.js';
import { importSource, resolveLoader } from './registry.js';

/**
 * The streaming reader for specs when all of them go to one source that
 * offers one (scap's `streamScap`), else null. Used by `stratolab read` to
 * avoid building a table.
 */
export async function streamerFor(
  specs: readonly string[],
): Promise<{
  source: string;
  stream: (path: string, opts: Record<string, unknown>) => Promise<unknown>;
  /** the columns the source's table has (json/csv without -e), and its `source` value */
  columns?: string[];
  sourceValue?: string;
} | null> {
  let source: SourceEntry | undefined;
  for (const spec of specs) {
    const r = await resolveLoader(spec);
    if (source && source !== r.entry) return null;
    source = r.entry;
  }
  if (!source?.streamExport) return null;
  const mod = await importSource(source.name);
  const fn = mod[source.streamExport];
  if (typeof fn !== 'function') return null;
  const cols = source.streamColumns ? mod[source.streamColumns.export] : undefined;
  return {
    source: source.name,
    stream: fn as any,
    ...(Array.isArray(cols) ? { columns: cols.map(String) } : {}),
    ...(source.streamColumns ? { sourceValue: source.streamColumns.source } : {}),
  };
}
