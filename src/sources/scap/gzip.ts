/**
 * Compression: captures are usually gzip (sysdig -z), possibly several concatenated members.
 * Detected by the 1f 8b magic, never by the file name. Node's zlib gunzip reads every member.
 */
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { ScapError } from './types.js';

export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Gunzip a whole buffer (all members). Errors become a ScapError at compressed offset 0. */
export function gunzipAll(b: Uint8Array, file: string): Uint8Array {
  try {
    const out = gunzipSync(b);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    throw new ScapError(`gzip decompression failed: ${(err as Error).message}`, file, 0);
  }
}

/**
 * Gunzip a chunk stream. `decompressed()` reports how many bytes came out, so a failure can
 * name the decompressed offset it happened at.
 */
export async function* gunzipChunks(
  chunks: AsyncIterable<Uint8Array>, file: string, decompressed: () => number,
): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  const input = Readable.from(chunks, { objectMode: false });
  input.on('error', (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) {
      const b = chunk as Buffer;
      yield new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    }
  } catch (err) {
    if (err instanceof ScapError) throw err;
    throw new ScapError(`gzip decompression failed: ${(err as Error).message}`, file, decompressed());
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}
