/**
 * The one source registry: `resolveLoader(spec)` finds the loader for a
 * path or URL, `loadSources(specs, opts)` loads any mix of them into one
 * table. Source modules are imported lazily, so a source that is not
 * present gives a clear "not available" error and the rest keep working.
 */
import { stat } from 'node:fs/promises';
import * as aq from 'arquero';
import { filterModule, isFilterError, type CompiledFilter } from '../filter-api.js';
import type { Table } from '../frames/table.js';
import { getField } from '../fields/registry.js';
import { eachRow } from '../frames/rows.js';
import { parseTimeRange, toEpochMs } from '../frames/time.js';
import { NoLoaderError, SourceError, SourceUnavailableError } from './errors.js';
import { SOURCE_ENTRIES, isLocalSpec, type SourceEntry } from './registry-entries.js';
import type { LoadOptions, LoadResult, LoadStats, LoadWarning, SourceLoader } from './types.js';

export { SourceError, SourceUnavailableError, NoLoaderError } from './errors.js';
export { SOURCE_ENTRIES, isLocalSpec } from './registry-entries.js';
export type { SourceEntry } from './registry-entries.js';

const modules = new Map<string, Promise<Record<string, unknown>>>();

/** The module namespace of a source (`'scap'`, `'cloudtrail'`...); throws SourceUnavailableError. */
export async function importSource(name: string): Promise<Record<string, unknown>> {
  const entry = SOURCE_ENTRIES.find((e) => e.name === name);
  if (!entry) throw new SourceUnavailableError(name, `unknown source (known: ${SOURCE_ENTRIES.map((e) => e.name).join(', ')})`);
  let p = modules.get(name);
  if (!p) {
    const spec: string = entry.module;
    p = import(spec).catch((err: any) => {
      const notBuilt = err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(entry.module.replace(/^\.\//, '').replace(/\.js$/, ''));
      throw new SourceUnavailableError(name, notBuilt ? `module src/sources/${entry.module.slice(2).replace(/\.js$/, '.ts')} is not in this build` : String(err?.message ?? err));
    });
    modules.set(name, p);
  }
  return p;
}

/** The SourceLoader of a source, or SourceUnavailableError. */
export async function getLoader(name: string): Promise<SourceLoader> {
  const entry = SOURCE_ENTRIES.find((e) => e.name === name);
  const mod = await importSource(name);
  const loader = mod[entry!.loaderExport] as SourceLoader | undefined;
  if (!loader || typeof loader.load !== 'function') {
    throw new SourceUnavailableError(name, `src/sources/${entry!.module.slice(2)} does not export ${entry!.loaderExport}`);
  }
  return loader;
}

/** Which sources load in this build, and why the others do not. */
export async function availableSources(): Promise<{ name: string; reads: string; available: boolean; reason?: string }[]> {
  return Promise.all(
    SOURCE_ENTRIES.map(async (e) => {
      try {
        await getLoader(e.name);
        return { name: e.name, reads: e.reads, available: true };
      } catch (err: any) {
        return { name: e.name, reads: e.reads, available: false, reason: err.reason ?? err.message };
      }
    }),
  );
}

export interface Resolved {
  entry: SourceEntry;
  loader: SourceLoader;
}

/**
 * The loader that reads `spec`. A local path must exist (SourceError names
 * it otherwise); URL schemes go to their source; local files are offered to
 * each file source in turn (scap, cloudtrail, gcp) through its `matches`.
 */
export async function resolveLoader(spec: string): Promise<Resolved> {
  let p = resolved.get(spec);
  if (!p) {
    p = resolveUncached(spec);
    resolved.set(spec, p);
    p.catch(() => resolved.delete(spec));
  }
  return p;
}

const resolved = new Map<string, Promise<Resolved>>();

/**
 * Imports every source module that is present, so all their fields are
 * registered (modules that register no fields of their own are skipped
 * unless `all`).
 */
export async function importAllSources(opts: { all?: boolean } = {}): Promise<void> {
  const entries = SOURCE_ENTRIES.filter((e) => opts.all || e.registersFields !== false);
  await Promise.all(entries.map((e) => importSource(e.name).catch(() => undefined)));
}

async function resolveUncached(spec: string): Promise<Resolved> {
  if (typeof spec !== 'string' || spec === '') throw new SourceError(String(spec), 'empty source name');
  if (isLocalSpec(spec)) {
    const path = spec.startsWith('file://') ? new URL(spec).pathname : spec;
    try {
      await stat(path);
    } catch (err: any) {
      const why = err?.code === 'ENOENT' ? 'no such file or directory' : err?.code === 'EACCES' ? 'permission denied' : String(err?.message ?? err);
      throw new SourceError(spec, why);
    }
  }
  const tried: string[] = [];
  const unavailable: string[] = [];
  for (const entry of SOURCE_ENTRIES) {
    const claim = entry.claims(spec);
    if (claim === 'no') continue;
    let loader: SourceLoader;
    try {
      loader = await getLoader(entry.name);
    } catch (err: any) {
      if (claim === 'yes') throw err;
      unavailable.push(`${entry.name}: ${err.reason ?? err.message}`);
      continue;
    }
    tried.push(entry.name);
    let ok = claim === 'yes';
    if (!ok) {
      try {
        ok = Boolean(await loader.matches(spec));
      } catch {
        ok = false;
      }
    }
    if (ok) return { entry, loader };
  }
  throw new NoLoaderError(spec, tried, unavailable);
}

/**
 * Compiles a filter against the registered fields; when it names an unknown
 * field, registers every source's fields and tries again (a CloudTrail field
 * in a filter over a capture is valid, it just matches nothing). Throws the
 * filter's FilterError.
 */
export async function compileFilter(expr: string): Promise<CompiledFilter> {
  const f = await filterModule();
  try {
    return f.compile(expr);
  } catch (err: any) {
    if (!isFilterError(err) || (err as any).kind !== 'unknown-field') throw err;
    await importAllSources();
    return f.compile(expr);
  }
}

/** Options of `loadSources`: LoadOptions with `since`/`until` also as relative durations. */
export type LoadSourcesOptions = LoadOptions;

function emptyStats(): LoadStats {
  return { objectsListed: 0, objectsFetched: 0, bytes: 0, eventsRead: 0, eventsMatched: 0, seconds: 0 };
}

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
    if (filterHere) {
      delete o.filter;
      delete o.limit;
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

/**
 * A filter as a predicate on raw records (for loaders that filter while
 * reading): fields come from their registered extractors on the record,
 * `time` from the record's time, `source` from the loader's kind.
 */
export function recordPredicate(compiled: CompiledFilter, source?: string): (rec: unknown, t: number | null) => boolean {
  let rec: unknown = null;
  let t: number | null = null;
  const row = {
    get(field: string, arg?: string): unknown {
      if (field === 'time') return t === null ? null : new Date(t);
      if (field === 'source') return source ?? null;
      const def = getField(field);
      if (!def?.extract) return null;
      if (def.rawColumn === 'time') return t === null ? null : def.extract(new Date(t), arg);
      if (def.rawColumn && def.rawColumn !== 'raw') return null;
      return def.extract(rec, arg);
    },
  };
  return (r, time) => {
    rec = r;
    t = time;
    return compiled.test(row);
  };
}

/** Keeps rows with since <= time < until (a no-op when the loader already did it). */
function clampTime(table: Table, since?: Date, until?: Date): Table {
  if (!since && !until) return table;
  const col = table.column('time');
  if (!col) return table;
  const lo = since ? since.getTime() : -Infinity;
  const hi = until ? until.getTime() : Infinity;
  let outside = false;
  eachRow(table, (row) => {
    const t = toEpochMs(col.at(row) as any);
    if (t >= lo && t < hi) return true;
    outside = true;
    return false;
  });
  if (!outside) return table;
  return table.filter(
    aq.escape((d: { time: unknown }) => {
      const t = toEpochMs(d.time as any);
      return t >= lo && t < hi;
    }) as any,
  );
}

/** One LoadResult from several: union of columns, rows ordered by time, stats summed. */
export function mergeResults(results: readonly LoadResult[]): LoadResult {
  if (results.length === 1) return { ...results[0]!, warnings: [...(results[0]!.warnings ?? [])], failed: [...(results[0]!.failed ?? [])], stats: { ...emptyStats(), ...results[0]!.stats } };
  const stats = emptyStats();
  for (const r of results) {
    for (const [k, v] of Object.entries(r.stats ?? {})) if (typeof v === 'number') stats[k] = (stats[k] ?? 0) + v;
  }
  return {
    table: concatTables(results.map((r) => r.table)),
    warnings: results.flatMap((r) => r.warnings ?? []),
    failed: results.flatMap((r) => r.failed ?? []),
    stats,
  };
}

/** Concatenates tables with possibly different columns (missing = null), ordered by `time` when present. */
export function concatTables(tables: readonly Table[]): Table {
  const nonEmpty = tables.filter((t) => t.numRows() > 0);
  if (nonEmpty.length === 0) return tables[0] ?? aq.table({});
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const names: string[] = [];
  for (const t of nonEmpty) for (const n of t.columnNames()) if (!names.includes(n)) names.push(n);
  const total = nonEmpty.reduce((n, t) => n + t.numRows(), 0);
  const data: Record<string, unknown[]> = {};
  for (const name of names) {
    const out = new Array<unknown>(total);
    let i = 0;
    for (const t of nonEmpty) {
      const col = t.column(name);
      eachRow(t, (row) => {
        out[i++] = col ? (col.at(row) ?? null) : null;
      });
    }
    data[name] = out;
  }
  const merged = aq.table(data);
  return names.includes('time')
    ? merged.orderby(aq.escape((d: any) => toEpochMs(d.time))).reify()
    : merged;
}

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
