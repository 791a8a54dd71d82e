/**
 * Reading .scap captures: plain or gzip (detected by magic, multi-member), concatenated
 * sections, every block type of scap-format.md §1.4.
 *
 *   readScap(source, opts)        streaming AsyncIterable<ScapBlock>, never holds the whole file
 *   readScapSync(bytes, file)     synchronous generator over an in-memory capture (fast path)
 *   forEachScapBlock(bytes, fn)   the same as a callback loop (fastest)
 *   readScapFileSync(path)        read + gunzip + walk a file synchronously
 *
 * Every failure is a ScapError naming the file and the byte offset in the decompressed stream;
 * blocks before the fault have already been delivered.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { gunzipAll, gunzipChunks, isGzip } from './gzip.js';
import { ScapError, type ScapBlock } from './types.js';
import { BlockWalker, type WalkOptions } from './walker.js';

export type { WalkOptions } from './walker.js';
export type ScapSource = string | Uint8Array | AsyncIterable<Uint8Array> | NodeJS.ReadableStream;

/** Stream the blocks of a capture: a file path, a buffer, an async iterable of chunks or a readable stream. */
export async function* readScap(source: ScapSource, opts: WalkOptions = {}): AsyncGenerator<ScapBlock> {
  for await (const batch of readScapBatches(source, opts)) yield* batch;
}

/**
 * The same stream in batches: every block completed by one input chunk, in order. Cheaper than
 * one await per block when a consumer handles millions of events.
 */
export async function* readScapBatches(source: ScapSource, opts: WalkOptions = {}): AsyncGenerator<ScapBlock[]> {
  const file = opts.file ?? (typeof source === 'string' ? source : '<stream>');
  if (source instanceof Uint8Array) {
    const blocks: ScapBlock[] = [];
    try {
      for (const b of readScapSync(source, file, opts)) blocks.push(b);
    } catch (error) {
      if (blocks.length) yield blocks;
      throw error;
    }
    yield blocks;
    return;
  }
  const walker = new BlockWalker({ ...opts, file });
  const raw = toChunks(source, file);
  const first = await peek(raw, 2);
  const chunks = isGzip(first.head)
    ? gunzipChunks(first.rest, file, () => walker.streamLength, opts.onWarning)
    : first.rest;
  for await (const chunk of chunks) {
    walker.push(chunk);
    const { blocks, error } = drain(walker);
    if (blocks.length) yield blocks;
    if (error) throw error;
  }
  walker.end();
  const { blocks, error } = drain(walker);
  if (blocks.length) yield blocks;
  if (error) throw error;
}

/** The blocks the walker can complete now, and the error that stopped it (after those blocks). */
function drain(walker: BlockWalker): { blocks: ScapBlock[]; error?: unknown } {
  const blocks: ScapBlock[] = [];
  try {
    for (let b = walker.next(); b !== undefined; b = walker.next()) blocks.push(b);
  } catch (error) {
    return { blocks, error };
  }
  return { blocks };
}

/** Walk an in-memory capture (gzip or plain). */
export function* readScapSync(bytes: Uint8Array, file = '<buffer>', opts: WalkOptions = {}): Generator<ScapBlock> {
  const { walker, error } = prepare(bytes, file, opts);
  for (let b = walker.next(error !== undefined); b !== undefined; b = walker.next(error !== undefined)) yield b;
  if (error) throw error;
}

/** A walker loaded with the (decompressed) bytes, and the gzip error to raise after its blocks. */
function prepare(bytes: Uint8Array, file: string, opts: WalkOptions): { walker: BlockWalker; error?: ScapError } {
  const walker = new BlockWalker({ ...opts, file });
  if (!isGzip(bytes)) {
    walker.push(bytes);
    walker.end();
    return { walker };
  }
  const { data, error } = gunzipAll(bytes, file, opts.onWarning);
  walker.push(data);
  walker.end();
  return error ? { walker, error } : { walker };
}

/** Call fn for every block of an in-memory capture; the fastest way through a big file. */
export function forEachScapBlock(bytes: Uint8Array, fn: (block: ScapBlock) => void, opts: WalkOptions = {}): void {
  const { walker, error } = prepare(bytes, opts.file ?? '<buffer>', opts);
  for (let b = walker.next(error !== undefined); b !== undefined; b = walker.next(error !== undefined)) fn(b);
  if (error) throw error;
}

/** Read a whole capture file into memory and walk it. */
export function readScapFileSync(path: string, opts: WalkOptions = {}): Generator<ScapBlock> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new ScapError(`cannot read: ${(err as Error).message}`, path, 0);
  }
  return readScapSync(bytes, opts.file ?? path, opts);
}

/** Collect all blocks of a source into an array (convenience for small captures and tests). */
export async function readAllBlocks(source: ScapSource, opts: WalkOptions = {}): Promise<ScapBlock[]> {
  const out: ScapBlock[] = [];
  for await (const b of readScap(source, opts)) out.push(b);
  return out;
}

async function* toChunks(source: Exclude<ScapSource, Uint8Array>, file: string): AsyncGenerator<Uint8Array> {
  const it: AsyncIterable<unknown> =
    typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 20 }) : (source as AsyncIterable<unknown>);
  try {
    for await (const c of it) {
      if (c instanceof Uint8Array) yield c;
      else if (typeof c === 'string') yield Buffer.from(c, 'latin1');
      else throw new ScapError(`stream produced a non-binary chunk (${typeof c})`, file, 0);
    }
  } catch (err) {
    if (err instanceof ScapError) throw err;
    throw new ScapError(`cannot read: ${(err as Error).message}`, file, 0);
  }
}

/** Read chunks until at least n bytes are known; return them and an iterable that replays everything. */
async function peek(it: AsyncGenerator<Uint8Array>, n: number): Promise<{ head: Uint8Array; rest: AsyncIterable<Uint8Array> }> {
  const seen: Uint8Array[] = [];
  let total = 0;
  let done = false;
  while (total < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    seen.push(r.value);
    total += r.value.length;
  }
  const head = Buffer.concat(seen.map((s) => Buffer.from(s.buffer, s.byteOffset, s.byteLength))).subarray(0, n);
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield* seen;
    if (!done) yield* it;
  }
  return { head, rest: rest() };
}
