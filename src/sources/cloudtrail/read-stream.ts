/**
 * Streaming CloudTrail parser over a byte stream (a file, an S3 object body):
 * gzip detected by magic bytes, decoded incrementally, split into records
 * without holding the file (split.ts), each record parsed and unwrapped
 * (unwrap.ts). Bad records are reported and skipped; a stream error or a
 * truncation is thrown after every record before it was delivered.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { LoadWarning } from '../types.js';
import { NotJsonError, RecordSplitter, TruncatedError } from './split.js';
import { unwrap, type CloudTrailRecord } from './unwrap.js';

export { NotJsonError, TruncatedError };

/** Warnings per stream before the rest are only counted. */
const MAX_WARNINGS = 20;

export interface StreamResult {
  /** CloudTrail records delivered to onRecord */
  records: number;
  /** record-level JSON values found (records + skipped ones) */
  values: number;
  /** bytes read from the source (compressed size for gzip) */
  bytes: number;
  /** decompressed characters scanned */
  chars: number;
  gzip: boolean;
}

export type ByteSource = NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Async iteration over a byte source, counting bytes, with the first chunk(s) peeked for the gzip magic. */
async function* decodedBytes(src: ByteSource, info: { bytes: number; gzip: boolean }): AsyncGenerator<Uint8Array> {
  const it = (src as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  const toBytes = (c: Uint8Array | string): Uint8Array => (typeof c === 'string' ? Buffer.from(c) : c);
  let head: Uint8Array = new Uint8Array(0);
  let ended = false;
  while (head.length < 2) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    const b = toBytes(r.value);
    info.bytes += b.length;
    head = head.length === 0 ? b : Buffer.concat([head, b]);
  }
  async function* raw(): AsyncGenerator<Uint8Array> {
    if (head.length) yield head;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      const b = toBytes(r.value);
      info.bytes += b.length;
      yield b;
    }
  }
  if (!isGzip(head)) {
    yield* raw();
    return;
  }
  info.gzip = true;
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  pipeline(Readable.from(raw(), { objectMode: false }), gunzip, () => {
    /* errors surface through the iteration below */
  });
  for await (const c of gunzip) yield c as Buffer;
}

/** Describe a zlib / stream error the way a user can act on it. */
function describeStreamError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(String(err?.message))) return 'gzip stream is truncated (unexpected end of file)';
  if (err?.code === 'Z_DATA_ERROR') return `gzip data is corrupt (${err.message})`;
  return String(err?.message ?? e);
}

/** A stream-level failure, after the records before it were delivered. */
export class StreamError extends Error {
  constructor(
    message: string,
    readonly where: string,
    readonly offset: number | undefined,
    readonly result: StreamResult,
  ) {
    super(`${where}: ${message}`);
  }
}

/**
 * Parse CloudTrail records from a byte stream. `onRecord` gets each record
 * object in file order (return `false` to stop early, e.g. a limit reached).
 * Rejects with StreamError (records before the fault already delivered) when
 * the input is not JSON, truncated, or the stream fails.
 */
export async function parseCloudTrailStream(
  stream: ByteSource,
  where: string,
  onRecord: (rec: CloudTrailRecord) => void | boolean,
  onWarning: (w: LoadWarning) => void = () => {},
): Promise<StreamResult> {
  const info = { bytes: 0, gzip: false };
  const result: StreamResult = { records: 0, values: 0, bytes: 0, chars: 0, gzip: false };
  let warnings = 0;
  let suppressed = 0;
  const warn = (message: string, offset?: number) => {
    if (warnings++ < MAX_WARNINGS) onWarning(offset === undefined ? { where, message } : { where, offset, message });
    else suppressed++;
  };
  let stop = false;
  let nonRecord = '';
  const splitter = new RecordSplitter({
    value(text, offset) {
      if (stop) return;
      result.values++;
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch (e) {
        warn(`malformed JSON record at offset ${offset} skipped: ${(e as Error).message}`, offset);
        return;
      }
      let rec: CloudTrailRecord | string;
      try {
        rec = unwrap(v);
      } catch (e) {
        warn(`record at offset ${offset} skipped: embedded JSON is malformed (${(e as Error).message})`, offset);
        return;
      }
      if (typeof rec === 'string') {
        if (!nonRecord) nonRecord = rec;
        return;
      }
      result.records++;
      if (onRecord(rec) === false) stop = true;
    },
    junk(message, offset) {
      warn(message, offset);
    },
  });
  const decoder = new TextDecoder('utf-8');
  const finish = () => {
    result.bytes = info.bytes;
    result.gzip = info.gzip;
    result.chars = splitter.offset;
  };
  try {
    for await (const chunk of decodedBytes(stream, info)) {
      splitter.push(decoder.decode(chunk, { stream: true }));
      if (stop) break;
    }
    if (!stop) {
      const tail = decoder.decode();
      if (tail) splitter.push(tail);
      splitter.end();
    }
  } catch (e) {
    finish();
    if (e instanceof NotJsonError) throw new StreamError(e.message, where, 0, result);
    if (e instanceof TruncatedError) throw new StreamError(e.message, where, e.offset, result);
    throw new StreamError(`${describeStreamError(e)} after ${result.records} records`, where, undefined, result);
  }
  finish();
  if (suppressed) onWarning({ where, message: `${suppressed} more warnings like the above were not shown` });
  if (result.records === 0) {
    if (result.values === 0) onWarning({ where, message: result.chars === 0 ? 'empty file: no records' : 'no JSON records found' });
    else if (nonRecord) onWarning({ where, message: `no CloudTrail records: ${nonRecord}` });
  } else if (result.values > result.records && nonRecord) {
    warn(`${result.values - result.records} values were skipped: ${nonRecord}`);
  }
  return result;
}
