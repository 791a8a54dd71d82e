/**
 * ListObjectsV2 as async iteration: paginated, retried, abortable.
 * `listFolders` lists the common prefixes one level down (Delimiter '/').
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { withRetry, AbortedError } from './retry.js';

/** One listed object, with what the cache needs to key it. */
export interface S3Object {
  bucket: string;
  key: string;
  size: number;
  /** ETag as listed (quotes kept), or size+mtime when the store gives none */
  etag: string;
}

export interface ListContext {
  client: S3Client;
  bucket: string;
  signal?: AbortSignal;
  retries?: number;
  /** counts ListObjectsV2 requests (for --stats) */
  onRequest?: () => void;
}

/** Every object under `prefix`, in key order, starting after `startAfter`, until `stop(key)` says so. */
export async function* listObjects(
  ctx: ListContext,
  prefix: string,
  o: { startAfter?: string; stop?: (key: string) => boolean } = {},
): AsyncGenerator<S3Object> {
  let token: string | undefined;
  do {
    if (ctx.signal?.aborted) throw new AbortedError();
    const page = await withRetry(
      () => {
        ctx.onRequest?.();
        return ctx.client.send(
          new ListObjectsV2Command({
            Bucket: ctx.bucket,
            Prefix: prefix || undefined,
            ContinuationToken: token,
            StartAfter: token ? undefined : o.startAfter,
          }),
          { abortSignal: ctx.signal },
        );
      },
      { signal: ctx.signal, retries: ctx.retries },
    );
    for (const c of page.Contents ?? []) {
      if (!c.Key) continue;
      if (o.stop?.(c.Key)) return;
      const size = Number(c.Size ?? 0);
      const etag = c.ETag ?? `size=${size};mtime=${c.LastModified?.toISOString() ?? ''}`;
      yield { bucket: ctx.bucket, key: c.Key, size, etag };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** The sub-folders (common prefixes, ending in '/') directly under `prefix`. */
export async function listFolders(ctx: ListContext, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    if (ctx.signal?.aborted) throw new AbortedError();
    const page = await withRetry(
      () => {
        ctx.onRequest?.();
        return ctx.client.send(
          new ListObjectsV2Command({ Bucket: ctx.bucket, Prefix: prefix || undefined, Delimiter: '/', ContinuationToken: token }),
          { abortSignal: ctx.signal },
        );
      },
      { signal: ctx.signal, retries: ctx.retries },
    );
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}
