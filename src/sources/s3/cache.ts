/**
 * A local cache of downloaded objects, keyed by bucket, key and ETag, so a
 * re-run notebook downloads nothing and an interrupted load resumes. Lives in
 * `$XDG_CACHE_HOME/stratolab/s3` (else `~/.cache/stratolab/s3`), directories
 * mode 0700, files 0600. Objects are stored as downloaded (still gzipped);
 * a file appears only once complete (written to a temp name, then renamed).
 * Bounded by `maxBytes`, evicting the least recently used (mtime, touched on
 * every hit).
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsc } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink, utimes, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const DEFAULT_CACHE_MAX_BYTES = 4 * 1024 ** 3;

/** `$XDG_CACHE_HOME/stratolab` or `~/.cache/stratolab`. */
export function userCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache');
  return path.join(base, 'stratolab');
}

export interface CacheEntryWriter {
  write(chunk: Uint8Array): Promise<void>;
  /** makes the entry visible (after every accepted write landed); evicts older entries past the cap */
  commit(): Promise<void>;
  /** drops the partial file (after any write in flight); a no-op once commit or abort was called */
  abort(): Promise<void>;
}

export interface ObjectCache {
  dir: string;
  /** path of the cached copy (and marks it recently used), or null */
  get(bucket: string, key: string, etag: string): Promise<string | null>;
  put(bucket: string, key: string, etag: string): Promise<CacheEntryWriter>;
  /** forgets a copy (damaged, or no longer wanted) */
  drop(bucket: string, key: string, etag: string): Promise<void>;
  /** total bytes held */
  size(): number;
}

interface Entry {
  bytes: number;
  used: number;
}

/** File name of an object version in the cache. */
export function cacheId(bucket: string, key: string, etag: string): string {
  return createHash('sha256').update(`${bucket}\n${key}\n${etag}`).digest('hex') + '.obj';
}

const STALE_TMP_MS = 3_600_000;

/** Opens (creating) the cache directory and indexes what it holds. */
export async function openCache(o: { dir?: string; maxBytes?: number } = {}): Promise<ObjectCache> {
  const dir = o.dir ?? path.join(userCacheDir(), 's3');
  const maxBytes = o.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const entries = new Map<string, Entry>();
  let total = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const st = await stat(path.join(dir, name)).catch(() => null);
    if (!st?.isFile()) continue;
    if (name.endsWith('.obj')) {
      entries.set(name, { bytes: st.size, used: st.mtimeMs });
      total += st.size;
    } else if (name.includes('.tmp-') && Date.now() - st.mtimeMs > STALE_TMP_MS) {
      await unlink(path.join(dir, name)).catch(() => {});
    }
  }

  const evict = async (keep: string) => {
    if (total <= maxBytes) return;
    const lru = [...entries.entries()].filter(([n]) => n !== keep).sort((a, b) => a[1].used - b[1].used);
    for (const [n, e] of lru) {
      if (total <= maxBytes) break;
      if (entries.get(n) !== e) continue; // already evicted by a concurrent commit
      entries.delete(n);
      total -= e.bytes;
      await unlink(path.join(dir, n)).catch(() => {});
    }
    if (total > maxBytes) {
      // the new entry alone is larger than the cap
      const e = entries.get(keep);
      if (e) {
        entries.delete(keep);
        total -= e.bytes;
        await unlink(path.join(dir, keep)).catch(() => {});
      }
    }
  };

  return {
    dir,
    size: () => total,
    async get(bucket, key, etag) {
      const id = cacheId(bucket, key, etag);
      const file = path.join(dir, id);
      const st = await stat(file).catch(() => null);
      if (!st?.isFile()) {
        if (entries.has(id)) total -= entries.get(id)!.bytes;
        entries.delete(id);
        return null;
      }
      const now = new Date();
      await utimes(file, now, now).catch(() => {});
      if (!entries.has(id)) total += st.size;
      entries.set(id, { bytes: st.size, used: now.getTime() });
      return file;
    },
    async drop(bucket, key, etag) {
      const id = cacheId(bucket, key, etag);
      const e = entries.get(id);
      if (e) {
        entries.delete(id);
        total -= e.bytes;
      }
      await unlink(path.join(dir, id)).catch(() => {});
    },
    async put(bucket, key, etag) {
      const id = cacheId(bucket, key, etag);
      const tmp = path.join(dir, `${id}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
      const fh: FileHandle = await open(tmp, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, 0o600);
      let bytes = 0;
      // once commit or abort is called no new write is accepted; both first wait
      // for the writes already accepted (an abort discards them), then close
      let state: 'open' | 'closing' | 'done' = 'open';
      let aborted = false;
      let writing: Promise<unknown> = Promise.resolve();
      let failure: unknown;
      const finish = async () => {
        await writing.catch(() => {});
        await fh.close().catch(() => {});
      };
      return {
        async write(chunk) {
          if (state !== 'open') throw new Error('cache entry already committed or aborted');
          const w = writing.then(async () => {
            if (aborted) return;
            let off = 0;
            while (off < chunk.byteLength) {
              const { bytesWritten } = await fh.write(chunk, off, chunk.byteLength - off);
              off += bytesWritten;
            }
            bytes += chunk.byteLength;
          });
          writing = w.catch((e) => {
            failure ??= e;
          });
          await w;
        },
        async commit() {
          if (state !== 'open') throw new Error('cache entry already committed or aborted');
          state = 'closing';
          await finish();
          state = 'done';
          try {
            if (failure !== undefined) throw failure;
            await rename(tmp, path.join(dir, id));
          } catch (e) {
            await unlink(tmp).catch(() => {});
            throw e;
          }
          const old = entries.get(id);
          if (old) total -= old.bytes;
          entries.set(id, { bytes, used: Date.now() });
          total += bytes;
          await evict(id);
        },
        async abort() {
          if (state !== 'open') return; // already aborted, or committing
          aborted = true;
          state = 'closing';
          await finish();
          state = 'done';
          await unlink(tmp).catch(() => {});
        },
      };
    },
  };
}
