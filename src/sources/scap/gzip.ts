/**
 * Compression: captures are usually gzip (sysdig -z), possibly several concatenated members.
 * Detected by the 1f 8b magic, never by the file name. Like zlib's gzread (what libscap uses),
 * every member is read and trailing bytes that are not a gzip member are ignored.
 */
import { Readable } from 'node:stream';
import { constants, createGunzip, inflateRawSync } from 'node:zlib';
import { ScapError } from './types.js';

export function isGzip(b: Uint8Array, at = 0): boolean {
  return b.length >= at + 2 && b[at] === 0x1f && b[at + 1] === 0x8b;
}

/** Offset of the deflate data of the member at `at` (after the header), or -1 if the header is cut. */
function memberDataStart(b: Uint8Array, at: number): number {
  if (b.length < at + 10) return -1;
  const flg = b[at + 3]!;
  let p = at + 10;
  if (flg & 4) {
    if (p + 2 > b.length) return -1;
    p += 2 + (b[p]! | (b[p + 1]! << 8));
  }
  for (const bit of [8, 16]) {
    if (flg & bit) {
      while (p < b.length && b[p] !== 0) p++;
      p++;
    }
  }
  if (flg & 2) p += 2;
  return p <= b.length ? p : -1;
}

export interface GunzipResult {
  /** everything that could be decompressed */
  data: Uint8Array;
  /** set when decompression failed; to be raised after the blocks in `data` were delivered */
  error?: ScapError;
}

type Inflated = { buffer: Buffer; engine: { bytesWritten: number } };

function inflate(b: Uint8Array): Inflated {
  return inflateRawSync(b, { info: true, finishFlush: constants.Z_SYNC_FLUSH }) as unknown as Inflated;
}

/** The longest decodable output of a damaged deflate stream (binary search on the input length). */
function salvage(b: Uint8Array): Buffer {
  let lo = 0;
  let hi = b.length;
  let best: Buffer = Buffer.alloc(0);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      best = inflate(b.subarray(0, mid)).buffer;
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return best;
}

/**
 * Gunzip all members of a buffer. Trailing non-gzip bytes produce a warning; a damaged or cut
 * member keeps what decompressed before the damage and reports the error.
 */
export function gunzipAll(b: Uint8Array, file: string, onWarning?: (w: ScapError) => void): GunzipResult {
  const parts: Buffer[] = [];
  let produced = 0;
  let at = 0;
  let error: ScapError | undefined;
  while (at < b.length) {
    if (!isGzip(b, at)) {
      if (at === 0) error = new ScapError('not a gzip stream', file, 0);
      else onWarning?.(new ScapError(`ignored ${b.length - at} trailing bytes after the last gzip member (compressed offset ${at})`, file, produced));
      break;
    }
    const data = memberDataStart(b, at);
    if (data < 0) {
      error = new ScapError(`truncated gzip member header at compressed offset ${at}`, file, produced);
      break;
    }
    let r: Inflated;
    try {
      r = inflate(b.subarray(data));
    } catch (err) {
      const part = salvage(b.subarray(data));
      parts.push(part);
      error = new ScapError(`gzip data is corrupt in the member at compressed offset ${at}: ${(err as Error).message}`, file, produced + part.length);
      break;
    }
    parts.push(r.buffer);
    produced += r.buffer.length;
    const end = data + r.engine.bytesWritten + 8;
    if (end > b.length) break; // cut member: the walker reports the truncated block
    at = end;
  }
  const out = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  const res: GunzipResult = { data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
  if (error) res.error = error;
  return res;
}

/**
 * Gunzip a chunk stream (all members). Output produced before an error is always delivered
 * first. Then: a cut stream just ends (the walker reports the truncated block); if the output
 * ends cleanly (`atBoundary()`), the rest is treated as trailing garbage (warning); otherwise a
 * ScapError at the decompressed offset.
 */
export async function* gunzipChunks(
  chunks: AsyncIterable<Uint8Array>, file: string, decompressed: () => number, atBoundary: () => boolean,
  onWarning?: (w: ScapError) => void,
): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  const input = Readable.from(chunks, { objectMode: false });
  const queue: Buffer[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  gunzip.on('data', (b: Buffer) => {
    queue.push(b);
    if (queue.length > 16) gunzip.pause();
    notify();
  });
  gunzip.on('end', () => {
    ended = true;
    notify();
  });
  gunzip.on('error', (e) => {
    failure = e;
    notify();
  });
  input.on('error', (e) => {
    failure = e;
    notify();
  });
  input.pipe(gunzip);
  try {
    for (;;) {
      const b = queue.shift();
      if (b) {
        if (queue.length < 4 && gunzip.isPaused()) gunzip.resume();
        yield new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
        continue;
      }
      if (failure || ended) break;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  if (!failure) return;
  if (failure instanceof ScapError) throw failure;
  const msg = failure.message;
  if (/unexpected end/i.test(msg)) return;
  if (decompressed() > 0 && atBoundary()) {
    onWarning?.(new ScapError(`ignored trailing data after the last gzip member (${msg})`, file, decompressed()));
    return;
  }
  throw new ScapError(`gzip decompression failed: ${msg}`, file, decompressed());
}
