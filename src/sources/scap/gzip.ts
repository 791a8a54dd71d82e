/**
 * Compression: captures are usually gzip (sysdig -z), possibly several concatenated members.
 * Detected by the 1f 8b magic, never by the file name. Like zlib's gzread (what libscap uses),
 * every member is read and trailing bytes that are not a gzip member are ignored.
 */
import { constants, createInflateRaw, inflateRawSync } from 'node:zlib';
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

/** Completion of one write to an inflater, or the inflater's end/error. */
function written(inf: ReturnType<typeof createInflateRaw>, chunk: Uint8Array | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inf.off('end', finish);
      inf.off('error', finish);
      // let the 'data' and 'end' events of this chunk be delivered first
      setImmediate(resolve);
    };
    inf.once('end', finish);
    inf.once('error', finish);
    if (chunk) inf.write(chunk, finish);
    else inf.flush(constants.Z_SYNC_FLUSH, finish);
  });
}

/**
 * Gunzip a chunk stream member by member, like zlib's gzread: every member is read, trailing
 * bytes that are not a gzip member are ignored with a warning, a cut stream just ends (the walker
 * then reports the truncated block), and corrupt data is a ScapError raised after the output
 * produced before it.
 */
export async function* gunzipChunks(
  chunks: AsyncIterable<Uint8Array>, file: string, decompressed: () => number,
  onWarning?: (w: ScapError) => void,
): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  let pending: Uint8Array = new Uint8Array(0);
  let inputDone = false;
  let consumedBefore = 0; // compressed offset of pending[0]
  const more = async (): Promise<boolean> => {
    if (inputDone) return false;
    const r = await it.next();
    if (r.done) {
      inputDone = true;
      return false;
    }
    const merged = new Uint8Array(pending.length + r.value.length);
    merged.set(pending);
    merged.set(r.value, pending.length);
    pending = merged;
    return true;
  };
  try {
    for (let member = 0; ; member++) {
      while (memberDataStart(pending, 0) < 0 && (pending.length < 2 || isGzip(pending)) && (await more()));
      if (pending.length === 0) return;
      if (!isGzip(pending)) {
        if (member === 0) throw new ScapError('not a gzip stream', file, 0);
        let extra = pending.length;
        while (await more()) extra = pending.length;
        onWarning?.(new ScapError(`ignored ${extra} trailing bytes after the last gzip member (compressed offset ${consumedBefore})`, file, decompressed()));
        return;
      }
      const ds = memberDataStart(pending, 0);
      if (ds < 0) return; // cut inside a member header
      const inf = createInflateRaw({ chunkSize: 1 << 18 });
      const out: Buffer[] = [];
      let ended = false;
      let failure: Error | undefined;
      inf.on('data', (b: Buffer) => out.push(b));
      inf.on('end', () => (ended = true));
      inf.on('error', (e) => (failure = e));
      let chunk: Uint8Array | undefined = pending.subarray(ds);
      let fedBefore = 0; // member data bytes fed before `chunk`
      for (;;) {
        await written(inf, chunk);
        while (out.length) {
          const b = out.shift()!;
          yield new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
        }
        if (failure) throw new ScapError(`gzip data is corrupt in the member at compressed offset ${consumedBefore}: ${failure.message}`, file, decompressed());
        if (ended) break;
        if (!chunk) return; // input ended inside the member: the walker reports the cut block
        fedBefore += chunk.length;
        pending = new Uint8Array(0);
        chunk = (await more()) ? pending : undefined;
      }
      // the member ended inside `chunk`: what follows its deflate data is the trailer + next member
      const used = inf.bytesWritten - fedBefore;
      const rest = chunk ? chunk.subarray(used) : new Uint8Array(0);
      consumedBefore += ds + inf.bytesWritten;
      inf.destroy();
      pending = rest;
      while (pending.length < 8 && (await more()));
      if (pending.length < 8) return;
      pending = pending.subarray(8);
      consumedBefore += 8;
    }
  } finally {
    await it.return?.();
  }
}
