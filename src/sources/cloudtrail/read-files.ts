/**
 * Local CloudTrail files: a file, many files, or directory trees (walked
 * recursively), plain or gzip, any supported shape. Bad files are reported
 * (`failed`, warnings) and never stop the load; everything read before a
 * fault is kept.
 */
import { createReadStream, readFileSync, realpathSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LoadOptions, LoadResult, LoadStats, LoadWarning, Progress } from '../types.js';
import { decodeBytes, parseCloudTrailBytes, parseCloudTrailStream, parseCloudTrailText, StreamError, type StreamResult } from './read-stream.js';
import { buildCloudTrailTable, sortByTime, timed, type TimedRecord } from './table.js';
import type { CloudTrailRecord } from './unwrap.js';
import { filterPredicate, timePredicate, type RecordPredicate } from './read-filter.js';

/** File names taken when walking a directory (given files are always read, whatever their name). */
const DIR_FILE = /\.(json|jsonl|ndjson|json\.gz|jsonl\.gz|ndjson\.gz|gz)$/i;

/** CloudTrail's digest files (AWSLogs/<acct>/CloudTrail-Digest/...): integrity manifests, not events. */
const DIGEST_FILE = /_CloudTrail-Digest_/;

export interface FileEntry {
  path: string;
  size: number;
  /** found by walking a directory (not named by the caller) */
  walked?: boolean;
}

/** Expand paths into files: directories recursively (sorted, hidden entries skipped). Missing paths go to `failed`. */
export async function listCloudTrailFiles(
  paths: readonly string[],
  failed: { key: string; reason: string }[],
): Promise<{ files: FileEntry[]; skipped: number }> {
  const files: FileEntry[] = [];
  let skipped = 0;
  const seen = new Set<string>(); // real paths of walked directories: symlink loops are walked once
  async function walk(dir: string): Promise<void> {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      real = dir;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      failed.push({ key: dir, reason: `cannot read directory: ${(e as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        await walk(p);
        continue;
      }
      if (!e.isFile() && !e.isSymbolicLink()) continue;
      try {
        // synchronous: thousands of async stats of small delivery files cost more than they overlap
        const s = statSync(p); // follows symlinks
        if (s.isDirectory()) await walk(p);
        else if (!s.isFile()) continue;
        else if (!DIR_FILE.test(e.name) || DIGEST_FILE.test(e.name)) skipped++;
        else files.push({ path: p, size: s.size, walked: true });
      } catch (err) {
        failed.push({ key: p, reason: (err as Error).message });
      }
    }
  }
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch (e) {
      failed.push({ key: p, reason: `not found: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      continue;
    }
    if (s.isDirectory()) await walk(p);
    else files.push({ path: p, size: s.size });
  }
  return { files, skipped };
}

/**
 * Files up to this size (as stored) are read whole, on the main thread; larger
 * ones are streamed, so memory stays bounded (gzip expands about 10x; real
 * delivery files are well under 1 MB).
 */
const WHOLE_FILE_MAX = 8 * 1024 * 1024;
/** Yield to the event loop (progress, abort) at least this often while reading small files synchronously. */
const YIELD_MS = 50;

/**
 * Load CloudTrail files into a table. Options: since/until (time bounds),
 * filter (a display filter applied while reading; `prefilter: false` turns
 * off the text prefilter that skips records before parsing), limit (stop after that
 * many kept events), fields (extra columns), onProgress, onWarning, signal,
 * and `predicate` (a function of the record and its time, applied while reading).
 */
export async function loadCloudTrail(paths: string | readonly string[], opts: LoadOptions = {}): Promise<LoadResult> {
  const started = Date.now();
  const list = typeof paths === 'string' ? [paths] : paths;
  const warnings: LoadWarning[] = [];
  const failed: { key: string; reason: string }[] = [];
  const onWarning = (w: LoadWarning) => {
    warnings.push(w);
    opts.onWarning?.(w);
  };
  const { files, skipped } = await listCloudTrailFiles(list, failed);
  for (const f of failed) onWarning({ where: f.key, message: f.reason });
  if (list.length > 0 && files.length === 0 && failed.length === 0) {
    onWarning({ where: list.join(', '), message: 'no CloudTrail files found (.json, .json.gz, .jsonl, .ndjson, .gz)' });
  }
  const byTime = timePredicate(opts);
  const custom = typeof opts.predicate === 'function' ? (opts.predicate as RecordPredicate) : null;
  const filter = await filterPredicate(opts.filter, opts.prefilter !== false);
  const byFilter = filter?.test ?? null;
  const parseOpts = filter?.prefilter ? { prefilter: filter.prefilter } : {};
  const walkedOpts = { ...parseOpts, quietNotCloudTrail: true };
  const notCloudTrail: string[] = []; // walked JSON files without CloudTrail records: one summary warning
  const limit = typeof opts.limit === 'number' && opts.limit >= 0 ? opts.limit : Infinity;
  const bytesTotal = files.reduce((s, f) => s + f.size, 0);
  const stats: LoadStats = {
    objectsListed: files.length,
    objectsFetched: 0,
    bytes: 0,
    eventsRead: 0,
    eventsMatched: 0,
    seconds: 0,
    filesSkipped: skipped,
    prefiltered: 0,
  };
  const kept: TimedRecord[] = [];
  const progress = (done = false) =>
    opts.onProgress?.({
      label: list.join(' '),
      objectsDone: stats.objectsFetched,
      objectsTotal: files.length,
      bytesDone: stats.bytes,
      bytesTotal,
      events: stats.eventsMatched,
      done,
    } satisfies Progress);

  let lastYield = Date.now();
  for (let fi = 0; fi < files.length; fi++) {
    const file = files[fi]!;
    if (kept.length >= limit) break;
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
    const onRecord = (rec: CloudTrailRecord) => {
      stats.eventsRead++;
      const tr = timed(rec);
      if (byTime && !byTime(rec, tr.t)) return;
      if (custom && !custom(rec, tr.t)) return;
      if (byFilter && !byFilter(rec, tr.t)) return;
      kept.push(tr);
      return kept.length < limit;
    };
    const whole = file.size <= WHOLE_FILE_MAX;
    const stream = whole ? null : createReadStream(file.path, { highWaterMark: 256 * 1024 });
    try {
      let r: StreamResult;
      const po = file.walked ? walkedOpts : parseOpts;
      if (stream) r = await parseCloudTrailStream(stream, file.path, onRecord, onWarning, po);
      else {
        const decoded = decodeBytes(readFileSync(file.path));
        r =
          decoded.text === null
            ? await parseCloudTrailBytes(decoded, file.path, onRecord, onWarning, po)
            : parseCloudTrailText(decoded.text, decoded, file.path, onRecord, onWarning, po);
      }
      if (r.notCloudTrail !== undefined) notCloudTrail.push(file.path);
      stats.bytes += r.bytes;
      stats.prefiltered! += r.prefiltered;
    } catch (e) {
      const reason = e instanceof StreamError ? e.message.slice(file.path.length + 2) : `cannot read: ${String((e as Error)?.message ?? e)}`;
      if (e instanceof StreamError) stats.bytes += e.result.bytes;
      failed.push({ key: file.path, reason });
      onWarning({ where: file.path, ...(e instanceof StreamError && e.offset !== undefined ? { offset: e.offset } : {}), message: reason });
    } finally {
      stream?.destroy();
    }
    stats.objectsFetched++;
    progress();
    if (Date.now() - lastYield > YIELD_MS) {
      await new Promise<void>((res) => setImmediate(res));
      lastYield = Date.now();
    }
  }
  if (notCloudTrail.length) {
    const shown = notCloudTrail.slice(0, 3).join(', ');
    const more = notCloudTrail.length > 3 ? ` and ${notCloudTrail.length - 3} more` : '';
    onWarning({ where: notCloudTrail.length === 1 ? notCloudTrail[0]! : list.join(' '), message: `${notCloudTrail.length} JSON file(s) hold no CloudTrail records, skipped: ${shown}${more}` });
  }
  stats.filesNotCloudTrail = notCloudTrail.length;
  sortByTime(kept);
  stats.eventsMatched = kept.length;
  const table = buildCloudTrailTable(kept, { fields: opts.fields, sorted: true });
  stats.seconds = (Date.now() - started) / 1000;
  progress(true);
  return { table, warnings, failed, stats };
}
