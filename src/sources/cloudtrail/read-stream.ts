/**
 * Streaming CloudTrail parser over a byte stream (a file, an S3 object body):
 * gzip detected by magic bytes, decoded incrementally, split into records
 * without holding the file (split.ts), each record parsed and unwrapped
 * (unwrap.ts). Bad records are reported and skipped; a stream error or a
 * truncation is thrown after every record before it was delivered.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
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
  /** record-level values skipped unparsed by the text prefilter (they cannot match the filter) */
  prefiltered: number;
  /** JSON values were found but none is a CloudTrail record (the reason), else undefined */
  notCloudTrail?: string;
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

export interface ParseOptions {
  /**
   * Called with each record-level JSON text before it is parsed; false skips
   * it (counted in `prefiltered`). See prefilter.ts: only for texts that
   * cannot match the caller's filter.
   */
  prefilter?: (text: string) => boolean;
  /** do not warn about JSON that holds no CloudTrail record (the caller summarizes; `notCloudTrail` says so) */
  quietNotCloudTrail?: boolean;
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
 * Splits text into records, parses and unwraps them, counts and reports
 * problems; shared by the stream and the whole-buffer paths.
 */
class RecordSink {
  readonly result: StreamResult = { records: 0, values: 0, bytes: 0, chars: 0, gzip: false, prefiltered: 0 };
  readonly splitter: RecordSplitter;
  stop = false;
  private warnings = 0;
  private suppressed = 0;
  private nonRecord = '';

  constructor(
    readonly where: string,
    private readonly onRecord: (rec: CloudTrailRecord) => void | boolean,
    private readonly onWarning: (w: LoadWarning) => void,
    private readonly prefilter: ((text: string) => boolean) | null = null,
    private readonly quietNotCloudTrail = false,
  ) {
    this.splitter = new RecordSplitter({
      value: (text, offset) => this.value(text, offset),
      junk: (message, offset) => this.warn(message, offset),
    });
  }

  warn(message: string, offset?: number): void {
    if (this.warnings++ < MAX_WARNINGS) this.onWarning(offset === undefined ? { where: this.where, message } : { where: this.where, offset, message });
    else this.suppressed++;
  }

  private value(text: string, offset: number): void {
    if (this.stop) return;
    this.result.values++;
    if (this.prefilter !== null && !this.prefilter(text)) {
      this.result.prefiltered++;
      return;
    }
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      this.warn(`malformed JSON record at offset ${offset} skipped: ${(e as Error).message}`, offset);
      return;
    }
    let rec: CloudTrailRecord | string;
    try {
      rec = unwrap(v);
    } catch (e) {
      this.warn(`record at offset ${offset} skipped: embedded JSON is malformed (${(e as Error).message})`, offset);
      return;
    }
    if (typeof rec === 'string') {
      if (!this.nonRecord) this.nonRecord = rec;
      return;
    }
    this.result.records++;
    if (this.onRecord(rec) === false) this.stop = true;
  }

  /** Converts a failure into a StreamError carrying what was read. */
  fail(e: unknown): StreamError {
    this.result.chars = this.splitter.offset;
    if (e instanceof NotJsonError) return new StreamError(e.message, this.where, 0, this.result);
    if (e instanceof TruncatedError) return new StreamError(e.message, this.where, e.offset, this.result);
    return new StreamError(`${describeStreamError(e)} after ${this.result.records} records`, this.where, undefined, this.result);
  }

  /** End of input: truncation check (throws StreamError) and the summary warnings. */
  finish(): StreamResult {
    if (!this.stop) {
      try {
        this.splitter.end();
      } catch (e) {
        throw this.fail(e);
      }
    }
    const result = this.result;
    result.chars = this.splitter.offset;
    if (this.suppressed) this.onWarning({ where: this.where, message: `${this.suppressed} more warnings like the above were not shown` });
    if (result.records === 0 && result.prefiltered === 0) {
      if (result.values === 0) this.onWarning({ where: this.where, message: result.chars === 0 ? 'empty file: no records' : 'no JSON records found' });
      else if (this.nonRecord) {
        result.notCloudTrail = this.nonRecord;
        if (!this.quietNotCloudTrail) this.onWarning({ where: this.where, message: `no CloudTrail records: ${this.nonRecord}` });
      }
    } else if (result.values > result.records + result.prefiltered && this.nonRecord) {
      this.warn(`${result.values - result.records - result.prefiltered} values were skipped: ${this.nonRecord}`);
    }
    return result;
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
  opts: ParseOptions = {},
): Promise<StreamResult> {
  const info = { bytes: 0, gzip: false };
  const sink = new RecordSink(where, onRecord, onWarning, opts.prefilter ?? null, opts.quietNotCloudTrail ?? false);
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of decodedBytes(stream, info)) {
      sink.splitter.push(decoder.decode(chunk, { stream: true }));
      if (sink.stop) break;
    }
    if (!sink.stop) {
      const tail = decoder.decode();
      if (tail) sink.splitter.push(tail);
    }
  } catch (e) {
    sink.result.bytes = info.bytes;
    sink.result.gzip = info.gzip;
    throw sink.fail(e);
  }
  sink.result.bytes = info.bytes;
  sink.result.gzip = info.gzip;
  return sink.finish();
}

/** A whole file in memory: its bytes and, unless gunzip failed, its text. */
export interface DecodedFile {
  bytes: Uint8Array;
  text: string | null;
  gzip: boolean;
}

/**
 * Decodes a whole small file on the calling thread. For the many small files
 * of a trail this costs a third of the CPU of async reads and inflates
 * (measured: bench/cloudtrail.ts). A gzip error yields `text: null`, and
 * parseCloudTrailBytes then streams the bytes to keep what precedes the fault.
 */
export function decodeBytes(bytes: Uint8Array): DecodedFile {
  const gzip = isGzip(bytes);
  if (!gzip) return { bytes, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), gzip };
  try {
    // multi-member gzip (concatenated files) is read in full by zlib
    return { bytes, text: gunzipSync(bytes).toString('utf8'), gzip };
  } catch {
    return { bytes, text: null, gzip };
  }
}

/** Parse CloudTrail records from a whole file already in memory (see decodeBytes), with the stream path's semantics. */
export async function parseCloudTrailBytes(
  decoded: DecodedFile,
  where: string,
  onRecord: (rec: CloudTrailRecord) => void | boolean,
  onWarning: (w: LoadWarning) => void = () => {},
  opts: ParseOptions = {},
): Promise<StreamResult> {
  if (decoded.text === null) {
    const bytes = decoded.bytes;
    return parseCloudTrailStream((async function* () { yield bytes; })(), where, onRecord, onWarning, opts);
  }
  return parseCloudTrailText(decoded.text, decoded, where, onRecord, onWarning, opts);
}

/** The synchronous core of parseCloudTrailBytes for decoded text; throws StreamError. */
export function parseCloudTrailText(
  text: string,
  decoded: { bytes: Uint8Array; gzip: boolean },
  where: string,
  onRecord: (rec: CloudTrailRecord) => void | boolean,
  onWarning: (w: LoadWarning) => void = () => {},
  opts: ParseOptions = {},
): StreamResult {
  const sink = new RecordSink(where, onRecord, onWarning, opts.prefilter ?? null, opts.quietNotCloudTrail ?? false);
  sink.result.bytes = decoded.bytes.length;
  sink.result.gzip = decoded.gzip;
  try {
    sink.splitter.push(text);
  } catch (e) {
    throw sink.fail(e);
  }
  return sink.finish();
}
