/**
 * `loadSources(specs, opts)`: any mix of sources into one table, with the
 * filter applied where it is cheapest (by the loader while reading, through
 * a record predicate, or on the loaded table), then the time window and limit.
 */
import { isFilterError } from '../filter-api.js';
import { parseTimeRange } from '../frames/time.js';
import { compileFilter, recordPredicate } from './compile-filter.js';
import { SourceError } from './errors.js';
import { clampTime, mergeResults } from './merge.js';
import { resolveLoader, type Resolved } from './registry.js';
import type { LoadOptions, LoadResult, LoadWarning } from './types.js';

/** Options of `loadSources`: LoadOptions with `since`/`until` also as relative durations. */
export type LoadSourcesOptions = LoadOptions;

/**
 * Loads every spec (paths, directories, URLs; any mix of sources) into one
 * table. Bad files among good ones become warnings and `failed` entries; an
 * input that cannot be read at all (missing file, no loader, every file bad)
 * throws SourceError. Tables of several sources are merged (union of
 * columns) and ordered by `time`.
 */
export async function loadSources(specs: string | readonly string[], opts: LoadSourcesOptions = {}): Promise<LoadResult> {
  const list = typeof specs === 'string' ? [specs] : [...specs];
  if (!list.length) throw new SourceError('(nothing)', 'no source given');
  const started = performance.now();
  const range = parseTimeRange(opts.since, opts.until);

  // group specs by loader, keeping first-seen order
  const groups = new Map<string, { resolved: Resolved; specs: string[] }>();
  for (const spec of list) {
    const r = await resolveLoader(spec);
    const g = groups.get(r.entry.name);
    if (g) g.specs.push(spec);
    else groups.set(r.entry.name, { resolved: r, specs: [spec] });
  }
  // resolving imported the sources' modules (their fields are registered):
  // a bad filter is reported before anything is read
  const compiled = opts.filter ? await compileFilter(opts.filter) : null;

  const seen = new Set<LoadWarning>();
  const onWarning = (w: LoadWarning) => {
    seen.add(w);
    opts.onWarning?.(w);
  };
  const loaderOpts: LoadOptions = { ...opts, since: range.since, until: range.until, onWarning };
  if (range.since === undefined) delete loaderOpts.since;
  if (range.until === undefined) delete loaderOpts.until;

  const results: LoadResult[] = [];
  for (const { resolved, specs: group } of groups.values()) {
    const mode = resolved.entry.filterMode;
    const filterHere = compiled !== null && mode === undefined;
    const o: LoadOptions = { ...loaderOpts };
    // the limit means the first N events in time order: only a loader that
    // reads in time order (one capture) may stop early; the others read all
    // and the merged, time-sorted table is cut below
    if (filterHere || !resolved.entry.readsInTimeOrder || group.length > 1 || groups.size > 1) delete o.limit;
    if (filterHere) {
      delete o.filter;
    } else if (compiled !== null && mode === 'predicate') {
      delete o.filter;
      o.predicate = recordPredicate(compiled, resolved.entry.recordSource);
    }
    let res: LoadResult;
    try {
      res = await resolved.loader.load(group, o);
    } catch (err: any) {
      if (err instanceof SourceError || isFilterError(err)) throw err;
      throw new SourceError(group.join(' '), String(err?.message ?? err));
    }
    for (const w of res.warnings ?? []) if (!seen.has(w)) onWarning(w);
    if (filterHere) res = { ...res, table: compiled!.filter(res.table) };
    results.push(res);
  }

  const merged = mergeResults(results);
  // inputs named on the command line that could not be read at all
  const failedKeys = new Set(merged.failed.map((f) => f.key));
  for (const spec of list) {
    if (failedKeys.has(spec)) {
      const f = merged.failed.find((x) => x.key === spec)!;
      throw new SourceError(spec, f.reason);
    }
  }
  if (merged.failed.length && merged.stats.eventsRead === 0 && merged.table.numRows() === 0) {
    const f = merged.failed[0]!;
    throw new SourceError(f.key, f.reason + (merged.failed.length > 1 ? ` (and ${merged.failed.length - 1} more unreadable)` : ''));
  }

  let table = clampTime(merged.table, range.since, range.until);
  if (opts.limit !== undefined && table.numRows() > opts.limit) table = table.slice(0, opts.limit);
  merged.table = table;
  merged.stats.eventsMatched = table.numRows();
  merged.stats.seconds = (performance.now() - started) / 1000;
  return merged;
}
