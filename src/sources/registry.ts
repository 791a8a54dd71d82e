/**
 * The source registry: source modules imported lazily (a module missing
 * from a build is a clear "not available" error), and `resolveLoader(spec)`
 * picking the loader that reads a path or URL.
 */
import { stat } from 'node:fs/promises';
import { NoLoaderError, SourceError, SourceUnavailableError } from './errors.js';
import { SOURCE_ENTRIES, isLocalSpec, type SourceEntry } from './registry-entries.js';
import type { SourceLoader } from './types.js';

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
  let kind: 'file' | 'directory' | 'empty file' | undefined;
  if (isLocalSpec(spec)) {
    const path = spec.startsWith('file://') ? new URL(spec).pathname : spec;
    try {
      const st = await stat(path);
      kind = st.isDirectory() ? 'directory' : st.isFile() && st.size === 0 ? 'empty file' : 'file';
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
  throw new NoLoaderError(spec, tried, unavailable, kind);
}
