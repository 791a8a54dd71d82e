/** Loading GCP audit log files and directories into one table. */
import { stat } from 'node:fs/promises';
import type { LoadOptions, LoadResult, LoadWarning } from '../types.js';
import { compileFilter, filterAndLimit, inWindow, windowOf } from './apply.js';
import { readEntriesFile } from './read.js';
import { isGcpFile, listFiles } from './sniff.js';
import { buildGcpTable, type TimedEntry } from './table.js';
import { entryTime } from './time.js';

/** The files to read for `specs`: files as given, directories expanded to the GCP files inside. */
export async function expandSpecs(specs: readonly string[]): Promise<{ files: string[]; failed: { key: string; reason: string }[] }> {
  const files: string[] = [];
  const failed: { key: string; reason: string }[] = [];
  for (const spec of specs) {
    const st = await stat(spec).catch((err) => err as NodeJS.ErrnoException);
    if (st instanceof Error) {
      failed.push({ key: spec, reason: st.code === 'ENOENT' ? 'no such file or directory' : st.message });
    } else if (st.isDirectory()) {
      for (const f of await listFiles(spec)) if (await isGcpFile(f)) files.push(f);
    } else files.push(spec);
  }
  return { files, failed };
}

/** Reads GCP audit log files (see read.ts for the shapes) into a table, filtered and limited per `opts`. */
export async function loadGcpFiles(specs: readonly string[], opts: LoadOptions = {}): Promise<LoadResult> {
  const started = performance.now();
  const window = windowOf(opts);
  const compiled = await compileFilter(opts);
  const { files, failed } = await expandSpecs(specs);
  const warnings: LoadWarning[] = [];
  const warn = (w: LoadWarning) => {
    warnings.push(w);
    opts.onWarning?.(w);
  };
  const rows: TimedEntry[] = [];
  let bytes = 0;
  let read = 0;
  let invalidTimes = 0;
  let fetched = 0;
  const label = specs.join(' ');
  for (const [i, file] of files.entries()) {
    if (opts.signal?.aborted) break;
    let res;
    try {
      res = await readEntriesFile(file);
    } catch (err: any) {
      failed.push({ key: file, reason: err?.code === 'EACCES' ? 'permission denied' : String(err?.message ?? err) });
      continue;
    }
    fetched++;
    for (const w of res.warnings) warn(w);
    bytes += res.bytes;
    read += res.entries.length;
    let bad = 0;
    for (const e of res.entries) {
      const { t, status } = entryTime(e);
      if (status === 'invalid') bad++;
      const r: TimedEntry = { entry: e, t };
      if (inWindow(r, window)) rows.push(r);
    }
    if (bad) {
      invalidTimes += bad;
      warn({ where: file, message: `${bad} entr${bad === 1 ? 'y has' : 'ies have'} an invalid timestamp (kept, time absent)` });
    }
    if (res.entries.length === 0 && res.warnings.length > 0 && files.length === 1) {
      failed.push({ key: file, reason: res.warnings[0]!.message });
    }
    opts.onProgress?.({ label, objectsDone: i + 1, objectsTotal: files.length, bytesDone: bytes, events: read });
  }
  const table = filterAndLimit(buildGcpTable(rows, { fields: opts.fields }), compiled, opts.limit);
  opts.onProgress?.({ label, objectsDone: files.length, objectsTotal: files.length, bytesDone: bytes, events: read, done: true });
  return {
    table,
    warnings,
    failed,
    stats: {
      objectsListed: files.length,
      objectsFetched: fetched,
      bytes,
      eventsRead: read,
      eventsMatched: table.numRows(),
      invalidTimestamps: invalidTimes,
      seconds: (performance.now() - started) / 1000,
    },
  };
}
