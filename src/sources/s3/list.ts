/**
 * ListObjectsV2 as async iteration: paginated, retried, abortable.
 * `listFolders` lists the common prefixes one level down (Delimiter '/').
 */
import { ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
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

/**
 * The pages of one ListObjectsV2 listing, following continuation tokens;
 * each request retried and abortable. `startAfter` applies to the first page.
 */
async function* pages(
  ctx: ListContext,
  input: { prefix: string; delimiter?: string; startAfter?: string },
): AsyncGenerator<ListObjectsV2CommandOutput> {
  let token: string | undefined;
  do {
    if (ctx.signal?.aborted) throw new AbortedError();
    const page = await withRetry(
      () => {
        ctx.onRequest?.();
        return ctx.client.send(
          new ListObjectsV2Command({
            Bucket: ctx.bucket,
            Prefix: input.prefix || undefined,
            Delimiter: input.delimiter,
            ContinuationToken: token,
            StartAfter: token ? undefined : input.startAfter,
          }),
          { abortSignal: ctx.signal },
        );
      },
      { signal: ctx.signal, retries: ctx.retries },
    );
    yield page;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** Every object under `prefix`, in key order, starting after `startAfter`, until `stop(key)` says so. */
export async function* listObjects(
  ctx: ListContext,
  prefix: string,
  o: { startAfter?: string; stop?: (key: string) => boolean } = {},
): AsyncGenerator<S3Object> {
  for await (const page of pages(ctx, { prefix, startAfter: o.startAfter })) {
    for (const c of page.Contents ?? []) {
      if (!c.Key) continue;
      if (o.stop?.(c.Key)) return;
      const size = Number(c.Size ?? 0);
      const etag = c.ETag ?? `size=${size};mtime=${c.LastModified?.toISOString() ?? ''}`;
      yield { bucket: ctx.bucket, key: c.Key, size, etag };
    }
  }
}

/** The sub-folders (common prefixes, ending in '/') directly under `prefix`. */
export async function listFolders(ctx: ListContext, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const page of pages(ctx, { prefix, delimiter: '/' })) {
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix);
  }
  return out;
}
