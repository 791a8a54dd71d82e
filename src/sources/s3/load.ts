/**
 * `s3://bucket/prefix` to a CloudTrail table: plan (list only what the range
 * needs), then read the objects with bounded concurrency, retries and the
 * local cache, reporting progress. An interrupted or partly failing load
 * returns what was read plus the failed keys with reasons; a rerun resumes
 * from the cache.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import {
  buildCloudTrailTable,
  recordTime,
  sortByTime,
  type CloudTrailRecord,
  type RecordPredicate,
  type TimedRecord,
} from '../cloudtrail/index.js';
import type { LoadOptions, LoadResult, LoadStats, LoadWarning, Progress } from '../types.js';
import { DEFAULT_CACHE_MAX_BYTES, openCache, type ObjectCache } from './cache.js';
import { makeS3Client } from './client.js';
import { describeError, listingError } from './errors.js';
import { durationMs, inRange, resolveRange, type TimeRange } from './interval.js';
import { ACCOUNT_ID } from './layout.js';
import type { ListContext, S3Object } from './list.js';
import { DEFAULT_MARGINS, planObjects, type Margins } from './plan.js';
import { runPool } from './pool.js';
import { readObject, s3Url } from './read-object.js';
import { withRetry } from './retry.js';
import { parseS3Url } from './url.js';

/** The S3 options, on top of LoadOptions (since, until, limit, fields, onProgress, onWarning, signal). */
export interface S3LoadOptions extends LoadOptions {
  /** Falco s3Interval syntax: `5d`, `2w-1w`, `<RFC3339>-<RFC3339>`; intersected with since/until */
  interval?: string;
  /** CloudTrail regions to read (default: all found); a comma-separated string or a list */
  region?: string | readonly string[];
  /** accounts to read (default: all found, including organization trails) */
  account?: string | readonly string[];
  /** objects read at once (default 16) */
  concurrency?: number;
  /** bypass the local cache (neither read nor written) */
  noCache?: boolean;
  /** cache directory (default: $XDG_CACHE_HOME/stratolab/s3 or ~/.cache/stratolab/s3) */
  cacheDir?: string;
  /** cache size cap in bytes, least recently used evicted (default 4 GiB) */
  cacheMaxBytes?: number;
  /** retries per request on throttling and transient errors (default 5) */
  retries?: number;
  /** how late after the range files may be delivered (default `1h`) */
  deliveryMargin?: string | number;
  /** AWS profile (default AWS_PROFILE) */
  profile?: string;
  /** S3-compatible endpoint (default AWS_ENDPOINT_URL_S3 or the profile's endpoint_url) */
  endpoint?: string;
  /** region of the S3 API calls (default AWS_REGION or the profile's) */
  s3Region?: string;
  /** a ready client (tests, custom credentials) */
  client?: S3Client;
  /** evaluation time of relative ranges (tests) */
  now?: Date;
  /** listing tuning: a region listing with this many keys lists its remaining days in parallel (default 1000) */
  denseAfter?: number;
  /** a record predicate applied while reading (the caller's compiled filter) */
  predicate?: RecordPredicate;
}

/** `a,b` or ['a','b'] to a clean list. */
function listOption(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  const items = Array.isArray(v) ? v.map(String) : String(v).split(',');
  return items.map((s) => s.trim()).filter(Boolean);
}

function emptyStats(): LoadStats {
  return {
    objectsListed: 0,
    objectsFetched: 0,
    cacheHits: 0,
    bytes: 0,
    eventsRead: 0,
    eventsMatched: 0,
    seconds: 0,
    objectsSkipped: 0,
    objectsFailed: 0,
    bytesDownloaded: 0,
    listRequests: 0,
    getRequests: 0,
    retries: 0,
  };
}

/** Loads CloudTrail from S3 specs; see S3LoadOptions. Throws only when no spec could be listed at all. */
export async function loadS3(specs: readonly string[], opts: S3LoadOptions = {}): Promise<LoadResult> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const range: TimeRange | null = resolveRange({ interval: opts.interval, since: opts.since, until: opts.until }, now);
  const accounts = listOption(opts.account);
  const bad = accounts.filter((a) => !ACCOUNT_ID.test(a));
  if (bad.length) throw new Error(`bad account id ${bad.map((a) => JSON.stringify(a)).join(', ')}: expected 12 digits`);
  const regions = listOption(opts.region);
  const concurrency = Math.max(1, Math.floor(Number(opts.concurrency ?? 16)) || 16);
  const margins: Margins = {
    ...DEFAULT_MARGINS,
    ...(opts.deliveryMargin !== undefined ? { afterMs: durationMs(opts.deliveryMargin, 'delivery margin') } : {}),
  };
  const limit = typeof opts.limit === 'number' && opts.limit >= 0 ? opts.limit : Infinity;
  const signal = opts.signal;

  const warnings: LoadWarning[] = [];
  const failed: { key: string; reason: string }[] = [];
  const warn = (w: LoadWarning) => {
    warnings.push(w);
    opts.onWarning?.(w);
  };
  const stats = emptyStats();
  const label = specs.join(' ');
  const ownClient = !opts.client;
  const client = opts.client ?? (await makeS3Client({ profile: opts.profile, endpoint: opts.endpoint, s3Region: opts.s3Region, maxSockets: concurrency }));
  const profile = opts.profile ?? process.env.AWS_PROFILE;

  let cache: ObjectCache | null = null;
  if (!opts.noCache && opts.cache !== false) {
    try {
      cache = await openCache({ dir: opts.cacheDir, maxBytes: opts.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES });
    } catch (e) {
      warn({ where: opts.cacheDir ?? 'cache', message: `cache disabled: ${(e as Error).message}` });
    }
  }

  try {
    // 1. plan
    const objects: S3Object[] = [];
    const seenKeys = new Set<string>();
    const listErrors: Error[] = [];
    for (const spec of specs) {
      let loc;
      try {
        loc = parseS3Url(spec);
      } catch (e) {
        listErrors.push(e as Error);
        failed.push({ key: spec, reason: (e as Error).message });
        continue;
      }
      const ctx: ListContext = { client, bucket: loc.bucket, signal, retries: opts.retries, onRequest: () => stats.listRequests!++ };
      try {
        const plan = await planObjects(ctx, loc.prefix, {
          range,
          accounts,
          regions,
          margins,
          concurrency,
          denseAfter: opts.denseAfter,
          onWarning: warn,
          onListFailure: (prefix, err) => {
            const key = `s3://${loc.bucket}/${prefix}`;
            const reason = `listing failed: ${describeError(err)}`;
            failed.push({ key, reason });
            warn({ where: key, message: reason });
          },
          onListed: (n) => opts.onProgress?.({ label: `${label} (listing: ${n + stats.objectsListed} files)`, objectsDone: 0, bytesDone: 0, events: 0 }),
        });
        stats.objectsListed += plan.listed;
        stats.objectsSkipped! += plan.skippedByName;
        for (const obj of plan.objects) {
          // overlapping URLs (s3://b/AWSLogs/ and s3://b/AWSLogs/123456789012/) read each object once
          const id = `${obj.bucket}/${obj.key}`;
          if (seenKeys.has(id)) continue;
          seenKeys.add(id);
          objects.push(obj);
        }
        if (plan.listed === 0) warn({ where: spec, message: 'no CloudTrail log files found here' + (range ? ' in the time range' : '') });
      } catch (e) {
        if (signal?.aborted) {
          failed.push({ key: spec, reason: 'interrupted while listing' });
          continue;
        }
        const err = listingError(e, spec, profile);
        listErrors.push(err);
        failed.push({ key: spec, reason: err.message });
      }
    }
    if (listErrors.length === specs.length && listErrors.length > 0) throw listErrors[0];

    // 2. read
    const bytesTotal = objects.reduce((s, o) => s + o.size, 0);
    let objectsDone = 0;
    let bytesDone = 0;
    const inFlight = new Map<number, number>();
    const progress = (done = false) => {
      if (!opts.onProgress) return;
      let partial = 0;
      for (const b of inFlight.values()) partial += b;
      opts.onProgress({
        label,
        objectsDone,
        objectsTotal: objects.length,
        bytesDone: bytesDone + partial,
        bytesTotal,
        events: stats.eventsMatched,
        done,
      } satisfies Progress);
    };
    progress();
    const keep = (rec: CloudTrailRecord): TimedRecord | null => {
      const t = recordTime(rec);
      if (range && (t === null || !inRange(t, range))) return null;
      if (opts.predicate && !opts.predicate(rec, t)) return null;
      return { rec, t };
    };
    const perObject: TimedRecord[][] = new Array(objects.length);
    const rctxBase = { client, cache, signal, onWarning: warn, onGet: () => stats.getRequests!++ };
    const started2 = await runPool(
      objects,
      concurrency,
      async (obj, i) => {
        const url = s3Url(obj);
        try {
          const out = await withRetry(
            () => readObject(obj, { ...rctxBase, onBytes: (n) => inFlight.set(i, n) }),
            {
              signal,
              retries: opts.retries,
              onRetry: (err, attempt) => {
                stats.retries!++;
                inFlight.set(i, 0);
                if (attempt === 1) warn({ where: url, message: `retrying after ${describeError(err)}` });
              },
            },
          );
          if (out.fromCache) stats.cacheHits!++;
          else {
            stats.objectsFetched++;
            stats.bytesDownloaded! += out.bytes;
          }
          stats.bytes += out.bytes;
          stats.eventsRead += out.records.length;
          const kept: TimedRecord[] = [];
          for (const rec of out.records) {
            const k = keep(rec);
            if (k) kept.push(k);
          }
          perObject[i] = kept;
          stats.eventsMatched += kept.length;
          if (out.fault) {
            failed.push({ key: url, reason: out.fault });
            warn({ where: url, message: out.fault });
            stats.objectsFailed!++;
          }
        } catch (err) {
          const reason = signal?.aborted ? 'interrupted before it was read' : describeError(err);
          failed.push({ key: url, reason });
          if (!signal?.aborted) warn({ where: url, message: reason });
          stats.objectsFailed!++;
        } finally {
          inFlight.delete(i);
          bytesDone += obj.size;
          objectsDone++;
          progress();
        }
      },
      { signal, stop: () => stats.eventsMatched >= limit },
    );
    if (signal?.aborted) {
      for (let i = started2; i < objects.length; i++) {
        failed.push({ key: s3Url(objects[i]!), reason: 'interrupted before it was read' });
        stats.objectsFailed!++;
      }
      warn({ where: label, message: `interrupted: ${objects.length - started2} objects not started; rerun to resume from the cache` });
    }

    // 3. table
    let kept: TimedRecord[] = [];
    for (const part of perObject) if (part) for (const r of part) kept.push(r);
    sortByTime(kept);
    if (kept.length > limit) kept = kept.slice(0, limit);
    stats.eventsMatched = kept.length;
    const table = buildCloudTrailTable(kept, { fields: opts.fields, sorted: true });
    stats.seconds = (performance.now() - started) / 1000;
    progress(true);
    return { table, warnings, failed, stats };
  } finally {
    if (ownClient) client.destroy();
  }
}
