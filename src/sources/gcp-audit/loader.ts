/**
 * The GCP SourceLoader: local files and directories whose content is Cloud
 * Logging entries, and `gcp://` URLs read live through the Cloud Logging API.
 */
import * as aq from 'arquero';
import type { LoadOptions, LoadResult, SourceLoader } from '../types.js';
import { loadGcpFiles } from './read-files.js';
import { isGcpPath } from './sniff.js';

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function localPath(spec: string): string {
  return spec.startsWith('file://') ? decodeURIComponent(new URL(spec).pathname) : spec;
}

export function isGcpUrl(spec: string): boolean {
  return /^gcp:\/\//i.test(spec);
}

/** Reads gcp:// URLs through the Cloud Logging API (the client library is loaded on first use). */
export async function loadGcpLive(urls: readonly string[], opts: LoadOptions = {}): Promise<LoadResult> {
  return (await import('./live.js')).loadGcpLive(urls, opts);
}

export const gcpLoader: SourceLoader = {
  name: 'gcp',
  async matches(spec: string): Promise<boolean> {
    if (isGcpUrl(spec)) return true;
    if (URL_SCHEME.test(spec) && !spec.startsWith('file://')) return false;
    return isGcpPath(localPath(spec));
  },
  async load(specs: readonly string[], opts: LoadOptions): Promise<LoadResult> {
    const urls = specs.filter(isGcpUrl);
    const files = specs.filter((s) => !isGcpUrl(s)).map(localPath);
    if (urls.length === 0) return loadGcpFiles(files, opts);
    if (files.length === 0) return loadGcpLive(urls, opts);
    return merge(await loadGcpFiles(files, opts), await loadGcpLive(urls, opts), opts.limit);
  },
};

/** Files and live results together: rows by time, limit re-applied, stats summed. */
function merge(a: LoadResult, b: LoadResult, limit?: number): LoadResult {
  let table = a.table.reify().concat(b.table.reify()).orderby(aq.escape((d: any) => (d.time ? d.time.getTime() : Infinity)));
  if (limit !== undefined && table.numRows() > limit) table = table.slice(0, limit);
  const stats = { ...a.stats };
  for (const [k, v] of Object.entries(b.stats)) if (typeof v === 'number') stats[k] = (stats[k] ?? 0) + v;
  stats.eventsMatched = table.numRows();
  return { table, warnings: [...a.warnings, ...b.warnings], failed: [...a.failed, ...b.failed], stats };
}
