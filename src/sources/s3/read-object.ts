/**
 * One S3 object to CloudTrail records: from the cache when it holds this
 * ETag, else GetObject streamed through gunzip and the record splitter while
 * being written to the cache. A dropped connection is rethrown as itself (the
 * caller retries); a content fault (not gzip, not JSON, truncated) keeps the
 * records before it and is reported.
 *
 * A body counts only when every byte of it arrived: an abort destroys the
 * request and Node then discards the unread response, so the body stream can
 * end cleanly after fewer bytes than Content-Length (none at all when the
 * abort came between the headers and the first read). Such a body is never
 * parsed as the object, never committed to the cache: it is interrupted (or,
 * without an abort, a retryable premature close).
 */
import { createReadStream } from 'node:fs';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseCloudTrailStream, StreamError, type CloudTrailRecord } from '../cloudtrail/index.js';
import type { LoadWarning } from '../types.js';
import type { ObjectCache, CacheEntryWriter } from './cache.js';
import type { S3Object } from './list.js';
import { AbortedError } from './retry.js';

export interface ReadContext {
  client: S3Client;
  cache: ObjectCache | null;
  signal?: AbortSignal;
  onWarning: (w: LoadWarning) => void;
  /** bytes read so far of this attempt (for progress) */
  onBytes?: (n: number) => void;
  /** called before each GetObject (for --stats and tests) */
  onGet?: (obj: S3Object) => void;
}

export interface ReadOutcome {
  records: CloudTrailRecord[];
  fromCache: boolean;
  /** bytes read (compressed size) */
  bytes: number;
  /** a content fault: records before it are kept */
  fault?: string;
}

/** A body that ended cleanly before its Content-Length: a dropped transfer, retryable (see retry.ts). */
export class ShortBodyError extends Error {
  readonly code = 'ERR_STREAM_PREMATURE_CLOSE';
  constructor(
    readonly received: number,
    readonly expected: number,
  ) {
    super(`premature close: the body ended after ${received} of ${expected} bytes`);
    this.name = 'ShortBodyError';
  }
}

/** Thrown when the body stream itself failed (network): the caller may retry the object. */
export class BodyError extends Error {
  constructor(override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
    this.name = 'BodyError';
  }
}

interface ReadState {
  bytes: number;
  notGzip: boolean;
  /** the body stream failed (network), as opposed to its content */
  bodyError?: unknown;
  /** the body stream reached its end (a content fault may stop reading before) */
  ended: boolean;
}

function isGzipMagic(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

export function s3Url(obj: { bucket: string; key: string }): string {
  return `s3://${obj.bucket}/${obj.key}`;
}

/**
 * Passes the body through, counting bytes, copying to the cache writer, and
 * noting a `.gz` name whose content is not gzip. Body errors become BodyError.
 */
async function* tap(
  body: AsyncIterable<Uint8Array>,
  obj: S3Object,
  ctx: ReadContext,
  state: ReadState,
  writer: CacheEntryWriter | null,
): AsyncGenerator<Uint8Array> {
  let head: Uint8Array | null = null;
  const it = body[Symbol.asyncIterator]();
  for (;;) {
    let r: IteratorResult<Uint8Array>;
    try {
      r = await it.next();
    } catch (e) {
      state.bodyError = e;
      throw new BodyError(e);
    }
    if (r.done) {
      state.ended = true;
      break;
    }
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    state.bytes += chunk.byteLength;
    ctx.onBytes?.(state.bytes);
    if (head === null || head.length < 2) {
      head = head ? Buffer.concat([head, chunk]) : chunk;
      if (head.length >= 2 && /\.gz$/i.test(obj.key) && !isGzipMagic(head)) state.notGzip = true;
    }
    if (writer) await writer.write(chunk);
    yield chunk;
  }
  if (head !== null && head.length < 2 && /\.gz$/i.test(obj.key)) state.notGzip = true;
}

/** Reads one object's records (see module doc). Throws the S3 or network error for the caller to retry or report. */
export async function readObject(obj: S3Object, ctx: ReadContext): Promise<ReadOutcome> {
  const cached = ctx.cache ? await ctx.cache.get(obj.bucket, obj.key, obj.etag) : null;
  if (cached) {
    const s = createReadStream(cached, { highWaterMark: 256 * 1024, signal: ctx.signal });
    let out: ReadOutcome | null = null;
    try {
      // the copy is keyed by this ETag, so it must hold exactly the listed size
      out = await parseBody(s as AsyncIterable<Uint8Array>, () => s.destroy(), obj, ctx, null, true, obj.size);
    } catch (e) {
      if (ctx.signal?.aborted) throw e;
    }
    if (out && !out.fault) return out;
    // only complete, parsed objects are cached: an unreadable or short copy was damaged on disk (or evicted meanwhile)
    await ctx.cache!.drop(obj.bucket, obj.key, obj.etag);
  }
  ctx.onGet?.(obj);
  const res = await ctx.client.send(new GetObjectCommand({ Bucket: obj.bucket, Key: obj.key }), { abortSignal: ctx.signal });
  const stream = res.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
  if (!stream) throw new Error('GetObject returned no body');
  const served = res.ETag ?? obj.etag;
  const expected = typeof res.ContentLength === 'number' ? res.ContentLength : served === obj.etag ? obj.size : undefined;
  let writer: CacheEntryWriter | null = null;
  if (ctx.cache) {
    // key the copy by the ETag served, so a replaced object is never cached under the listed one
    writer = await ctx.cache.put(obj.bucket, obj.key, served).catch((e) => {
      ctx.onWarning({ where: ctx.cache!.dir, message: `cache not written: ${(e as Error).message}` });
      return null;
    });
  }
  return parseBody(stream, () => stream.destroy?.(), obj, ctx, writer, false, expected);
}

/**
 * Parses a body (S3 or cached copy), committing the cache copy only when all
 * `expectedBytes` arrived and the whole object parsed. A short body is thrown
 * (AbortedError when the load was interrupted, else ShortBodyError), never
 * returned: its records are not the object's.
 */
async function parseBody(
  body: AsyncIterable<Uint8Array>,
  destroy: () => void,
  obj: S3Object,
  ctx: ReadContext,
  writer: CacheEntryWriter | null,
  fromCache: boolean,
  expectedBytes: number | undefined,
): Promise<ReadOutcome> {
  const where = s3Url(obj);
  const state: ReadState = { bytes: 0, notGzip: false, ended: false };
  const records: CloudTrailRecord[] = [];
  const warnings: LoadWarning[] = [];
  const short = () => expectedBytes !== undefined && state.bytes !== expectedBytes;
  const shortError = () => (ctx.signal?.aborted ? new AbortedError() : new ShortBodyError(state.bytes, expectedBytes!));
  try {
    await parseCloudTrailStream(tap(body, obj, ctx, state, writer), where, (rec) => void records.push(rec), (w) => warnings.push(w));
  } catch (e) {
    // stop the body first, so nothing is still being copied when the partial copy is dropped
    destroy();
    await writer?.abort();
    if (state.bodyError !== undefined) throw state.bodyError;
    if (e instanceof BodyError) throw e.cause ?? e;
    // a body that ended short reads as a truncated file: a transfer fault (or the interruption), not the object's content
    if (state.ended && short()) throw shortError();
    if (ctx.signal?.aborted) throw e;
    if (e instanceof StreamError) {
      let fault = e.message.startsWith(`${where}: `) ? e.message.slice(where.length + 2) : e.message;
      if (state.notGzip) fault = `not gzip-compressed although named .gz (${fault})`;
      if (!fromCache) for (const w of warnings) ctx.onWarning(w);
      return { records, fromCache, bytes: state.bytes, fault };
    }
    throw e;
  }
  if (short()) {
    // ended cleanly but early (an abort discarded the rest): not this object
    destroy();
    await writer?.abort();
    throw shortError();
  }
  if (state.notGzip) ctx.onWarning({ where, message: 'not gzip-compressed although named .gz; read as plain JSON' });
  for (const w of warnings) ctx.onWarning(w);
  if (writer) {
    await writer.commit().catch((e) => ctx.onWarning({ where, message: `cache not written: ${(e as Error).message}` }));
  }
  return { records, fromCache, bytes: state.bytes };
}
