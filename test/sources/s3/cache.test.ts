import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheId, openCache, userCacheDir } from '../../../src/sources/s3/cache.js';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'sl-cache-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function put(cache: Awaited<ReturnType<typeof openCache>>, key: string, bytes: number, etag = '"e"') {
  const w = await cache.put('b', key, etag);
  await w.write(Buffer.alloc(bytes, 1));
  await w.commit();
}

describe('the S3 object cache', () => {
  it('lives under XDG_CACHE_HOME when set, else ~/.cache', () => {
    const saved = process.env.XDG_CACHE_HOME;
    try {
      process.env.XDG_CACHE_HOME = '/x/cache';
      expect(userCacheDir()).toBe('/x/cache/stratolab');
      delete process.env.XDG_CACHE_HOME;
      expect(userCacheDir()).toBe(path.join(os.homedir(), '.cache', 'stratolab'));
      process.env.XDG_CACHE_HOME = 'relative/not/allowed';
      expect(userCacheDir()).toBe(path.join(os.homedir(), '.cache', 'stratolab'));
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });

  it('creates its directories 0700 and files 0600', async () => {
    const dir = path.join(tmp, 'a', 'b');
    const cache = await openCache({ dir });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(tmp, 'a'))).mode & 0o777).toBe(0o700);
    await put(cache, 'k', 10);
    expect((await stat(path.join(dir, cacheId('b', 'k', '"e"')))).mode & 0o777).toBe(0o600);
  });

  it('is keyed by bucket, key and ETag: a new version is a miss', async () => {
    const cache = await openCache({ dir: tmp });
    await put(cache, 'k', 10, '"v1"');
    expect(await cache.get('b', 'k', '"v1"')).not.toBeNull();
    expect(await cache.get('b', 'k', '"v2"')).toBeNull();
    expect(await cache.get('other', 'k', '"v1"')).toBeNull();
  });

  it('an aborted write leaves nothing behind', async () => {
    const cache = await openCache({ dir: tmp });
    const w = await cache.put('b', 'k', '"e"');
    await w.write(Buffer.from('partial'));
    await w.abort();
    expect(await readdir(tmp)).toEqual([]);
    expect(await cache.get('b', 'k', '"e"')).toBeNull();
  });

  it('commit waits for the write in flight; nothing is written after commit or abort', async () => {
    const cache = await openCache({ dir: tmp });
    const w = await cache.put('b', 'k', '"e"');
    const writing = w.write(Buffer.alloc(1 << 20, 7));
    await w.commit();
    await writing;
    expect((await stat(path.join(tmp, cacheId('b', 'k', '"e"')))).size).toBe(1 << 20);
    await expect(w.write(Buffer.from('late'))).rejects.toThrow(/already committed or aborted/);
    await w.abort(); // a no-op once committed
    expect(await cache.get('b', 'k', '"e"')).not.toBeNull();

    const a = await cache.put('b', 'k2', '"e"');
    const inFlight = a.write(Buffer.alloc(1 << 20, 7));
    await a.abort();
    await inFlight;
    await expect(a.write(Buffer.from('late'))).rejects.toThrow(/already committed or aborted/);
    expect(await readdir(tmp)).toEqual([cacheId('b', 'k', '"e"')]);
  });

  it('evicts the least recently used past the cap; a hit makes an entry recent', async () => {
    const cache = await openCache({ dir: tmp, maxBytes: 250 });
    await put(cache, 'a', 100);
    await put(cache, 'b', 100);
    // make 'a' old on disk, then touch it through a hit
    const old = new Date(Date.now() - 60_000);
    await utimes(path.join(tmp, cacheId('b', 'b', '"e"')), old, old);
    await new Promise((r) => setTimeout(r, 5));
    expect(await cache.get('b', 'a', '"e"')).not.toBeNull();
    await put(cache, 'c', 100);
    expect(await cache.get('b', 'b', '"e"')).toBeNull();
    expect(await cache.get('b', 'a', '"e"')).not.toBeNull();
    expect(await cache.get('b', 'c', '"e"')).not.toBeNull();
    expect(cache.size()).toBe(200);
  });

  it('an object larger than the cap is not kept', async () => {
    const cache = await openCache({ dir: tmp, maxBytes: 50 });
    await put(cache, 'big', 100);
    expect(await cache.get('b', 'big', '"e"')).toBeNull();
    expect(cache.size()).toBe(0);
  });

  it('indexes what an earlier process left, and drops stale temp files', async () => {
    const first = await openCache({ dir: tmp });
    await put(first, 'k', 42);
    const stale = path.join(tmp, `${cacheId('b', 'x', '"e"')}.tmp-1-abcd`);
    await writeFile(stale, 'x');
    const old = new Date(Date.now() - 2 * 3_600_000);
    await utimes(stale, old, old);
    const second = await openCache({ dir: tmp });
    expect(second.size()).toBe(42);
    expect(await readdir(tmp)).toEqual([cacheId('b', 'k', '"e"')]);
  });
});
