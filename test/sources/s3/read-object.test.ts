/**
 * readObject against a stand-in client whose GetObject body ends cleanly
 * before its Content-Length: what an abort makes of an unread response (Node
 * dumps it, so the stream ends with no error). Such a body is not the object:
 * it is thrown (interrupted, or a retryable premature close) and never cached.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheId, openCache } from '../../../src/sources/s3/cache.js';
import type { S3Object } from '../../../src/sources/s3/list.js';
import { readObject, ShortBodyError, type ReadContext } from '../../../src/sources/s3/read-object.js';
import { isTransient, withRetry } from '../../../src/sources/s3/retry.js';

const records = Array.from({ length: 40 }, (_, i) => ({
  eventVersion: '1.08',
  eventTime: `2023-07-10T12:00:${String(i).padStart(2, '0')}Z`,
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  awsRegion: 'us-east-1',
  eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
}));
const BODY = gzipSync(Buffer.from(JSON.stringify({ Records: records })));
const OBJ: S3Object = { bucket: 'b', key: 'AWSLogs/111122223333/CloudTrail/us-east-1/2023/07/10/x.json.gz', size: BODY.length, etag: '"v1"' };

/** A client whose GetObject serves `served(attempt)` bytes of `full`, with the full Content-Length. */
function fakeClient(served: (attempt: number) => number, onGet?: () => void, full: Buffer = BODY): S3Client & { gets: number } {
  const c = {
    gets: 0,
    async send() {
      const n = served(c.gets++);
      onGet?.();
      async function* body() {
        if (n > 0) yield full.subarray(0, Math.min(n, 7));
        if (n > 7) yield full.subarray(7, n);
      }
      return { Body: body(), ContentLength: full.length, ETag: '"v1"' };
    },
  };
  return c as unknown as S3Client & { gets: number };
}

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'sl-read-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const ctxOf = async (client: S3Client, signal?: AbortSignal): Promise<ReadContext> => ({
  client,
  cache: await openCache({ dir: tmp }),
  signal,
  onWarning: () => {},
});

describe('readObject and a body that ends early', () => {
  it('the whole body: every record, and a cached copy', async () => {
    const ctx = await ctxOf(fakeClient(() => BODY.length));
    const out = await readObject(OBJ, ctx);
    expect(out.records.length).toBe(40);
    expect(out.fault).toBeUndefined();
    expect(await readdir(tmp)).toEqual([cacheId('b', OBJ.key, '"v1"')]);
    const again = await readObject(OBJ, ctx);
    expect(again.fromCache).toBe(true);
    expect(again.records.length).toBe(40);
  });

  it.each([
    ['no byte of it (an abort between the headers and the first read)', 0],
    ['part of it', Math.floor(BODY.length / 2)],
  ])('interrupted after %s: thrown as interrupted, nothing cached', async (_, n) => {
    const ac = new AbortController();
    const ctx = await ctxOf(fakeClient(() => n, () => ac.abort()), ac.signal);
    await expect(readObject(OBJ, ctx)).rejects.toThrow(/interrupted/);
    expect(await readdir(tmp)).toEqual([]);
  });

  it.each([
    ['empty', 0],
    ['cut in half', Math.floor(BODY.length / 2)],
  ])('without an abort, a short body (%s) is a retryable premature close, never a short or empty object', async (_, n) => {
    const client = fakeClient(() => n);
    const ctx = await ctxOf(client);
    const err = await readObject(OBJ, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShortBodyError);
    expect(isTransient(err)).toBe(true);
    expect(await readdir(tmp)).toEqual([]);
    // the retry reads it whole
    const retried = fakeClient((attempt) => (attempt === 0 ? n : BODY.length));
    const out = await withRetry(() => readObject(OBJ, { ...ctx, client: retried }), { baseMs: 1 });
    expect(retried.gets).toBe(2);
    expect(out.records.length).toBe(40);
    expect(await readdir(tmp)).toEqual([cacheId('b', OBJ.key, '"v1"')]);
  });

  it('content that is not a log, rejected before its end was read, is still a content fault (not a premature close)', async () => {
    const junk = Buffer.from('<html>' + 'x'.repeat(100_000) + '</html>');
    const client = fakeClient(() => junk.length, undefined, junk);
    const out = await readObject({ ...OBJ, size: junk.length }, await ctxOf(client));
    expect(out.fault).toMatch(/not gzip/);
    expect(out.records).toEqual([]);
    expect(client.gets).toBe(1);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('a cached copy shorter than the object (an empty one included) is fetched again', async () => {
    const ctx = await ctxOf(fakeClient(() => BODY.length));
    await writeFile(path.join(tmp, cacheId('b', OBJ.key, '"v1"')), '');
    const fresh = await openCache({ dir: tmp });
    const client = fakeClient(() => BODY.length);
    const out = await readObject(OBJ, { ...ctx, cache: fresh, client });
    expect(out.fromCache).toBe(false);
    expect(client.gets).toBe(1);
    expect(out.records.length).toBe(40);
  });
});
