/**
 * The one source registry (what `sl.load` and the CLI use): `resolveLoader(spec)`
 * finds the loader for a path or URL, `loadSources(specs, opts)` loads any mix
 * of sources into one table. Source modules are imported lazily, so a source
 * that is not present gives a clear "not available" error and the rest keep
 * working.
 */
export { SourceError, SourceUnavailableError, NoLoaderError } from './errors.js';
export { SOURCE_ENTRIES, isLocalSpec } from './registry-entries.js';
export type { SourceEntry, Claim } from './registry-entries.js';
export { importSource, getLoader, availableSources, resolveLoader, importAllSources, type Resolved } from './registry.js';
export { compileFilter, recordPredicate } from './compile-filter.js';
export { loadSources, type LoadSourcesOptions } from './load-sources.js';
export { mergeResults, concatTables, clampTime } from './merge.js';
export { streamerFor } from './stream.js';
