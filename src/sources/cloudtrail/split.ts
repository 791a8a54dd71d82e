/**
 * A streaming record splitter: finds the record-level JSON values in a text
 * stream without parsing the whole file (like the plugin's
 * `extractRecordStrings`, brace-depth, string- and escape-aware).
 *
 * What counts as a record-level value:
 * - each element of a top-level array (`[{...},{...}]`);
 * - each element of the array under a wrapper key of a top-level object:
 *   `{"Records":[...]}` (delivery files), `{"Events":[...]}` (lookup-events),
 *   `{"QueryResultRows":[...]}` (CloudTrail Lake query results);
 * - any other top-level object, whole (one record, an EventBridge envelope,
 *   one line of JSON lines — several top-level values may follow each other).
 *
 * Memory is bounded by the largest single value, never by the file.
 */

const WRAPPER_KEYS = new Set(['Records', 'Events', 'QueryResultRows']);

/** The input is not JSON at all (first non-blank character is not `{` or `[`). */
export class NotJsonError extends Error {}
/** The input ended inside a value. */
export class TruncatedError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface SplitterCallbacks {
  /** one record-level JSON text, with the offset (in characters of decompressed text) where it starts */
  value(text: string, offset: number): void;
  /** recoverable junk between values (reported, skipped to the next line) */
  junk(message: string, offset: number): void;
}

const QUOTE = 34;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const COMMA = 44;
const NEWLINE = 10;

function isBlank(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;
}

export class RecordSplitter {
  private depth = 0;
  private inString = false;
  private escape = false; // a backslash ended the previous chunk inside a string
  private chunkNo = 0; // counts push() calls
  private bsChunk = -1; // the chunk number bsAt refers to
  private bsAt = -1; // index of the next backslash in bsChunk at or after the scan position, -1 when none
  private skipLine = false; // skipping junk at depth 0 up to the next newline
  private base = 0; // characters consumed before the current chunk
  private sawValue = false;
  private sawAnything = false;

  // top-level object being read
  private topIsObject = false;
  private expectKey = false;
  private keyPieces: string[] | null = null;
  private keyStart = -1;
  private lastKey = '';
  private recordDepth = -1; // values opening at this depth are records

  // capture of the current value
  private capturing = false;
  private captureDepth = 0;
  private captureStart = 0;
  private capturePieces: string[] = [];
  private captureOffset = 0;

  constructor(private readonly cb: SplitterCallbacks) {}

  /** Total characters consumed. */
  get offset(): number {
    return this.base;
  }

  /** True once at least one record-level value was emitted. */
  get emitted(): boolean {
    return this.sawValue;
  }

  push(chunk: string): void {
    this.chunkNo++;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.inString) {
        i = this.scanString(chunk, i);
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (this.skipLine) {
        const nl = chunk.indexOf('\n', i);
        if (nl < 0) {
          i = n;
          break;
        }
        this.skipLine = false;
        i = nl + 1;
        continue;
      }
      if (c === QUOTE) {
        if (this.depth === 0) {
          this.onJunk(chunk, i);
          continue;
        }
        this.inString = true;
        if (this.depth === 1 && this.topIsObject && this.expectKey) {
          this.keyPieces = [];
          this.keyStart = i + 1;
        }
        this.expectKey = false;
        i++;
        continue;
      }
      if (c === LBRACE || c === LBRACKET) {
        this.open(chunk, i, c);
        i++;
        continue;
      }
      if (c === RBRACE || c === RBRACKET) {
        if (this.depth === 0) {
          this.onJunk(chunk, i);
          continue;
        }
        this.close(chunk, i, c);
        i++;
        continue;
      }
      if (this.depth === 0) {
        if (!isBlank(c)) {
          this.onJunk(chunk, i);
          continue;
        }
      } else if (c === COMMA && this.depth === 1 && this.topIsObject) {
        this.expectKey = true;
      }
      i++;
    }
    // carry partial captures over to the next chunk
    if (this.capturing) {
      this.capturePieces.push(chunk.slice(this.captureStart));
      this.captureStart = 0;
    }
    if (this.keyPieces !== null && this.inString) {
      this.keyPieces.push(chunk.slice(this.keyStart));
      this.keyStart = 0;
    }
    this.base += n;
  }

  /** Call at end of input; throws TruncatedError when the input stopped inside a value. */
  end(): void {
    if (this.depth > 0 || this.inString) {
      const at = this.capturing ? this.captureOffset : this.base;
      throw new TruncatedError(`input ends inside a JSON value (truncated?) — the value starting at offset ${at} is incomplete`, at);
    }
    if (!this.sawAnything) return;
  }

  private scanString(chunk: string, i: number): number {
    const n = chunk.length;
    if (this.escape) {
      this.escape = false;
      i++;
      if (i >= n) return n;
    }
    for (;;) {
      const q = chunk.indexOf('"', i);
      // the next backslash is looked up once per chunk position, not per string
      if (this.bsChunk !== this.chunkNo || (this.bsAt >= 0 && this.bsAt < i)) {
        this.bsChunk = this.chunkNo;
        this.bsAt = chunk.indexOf('\\', i);
      }
      const b = this.bsAt;
      if (b >= 0 && (q < 0 || b < q)) {
        if (b + 1 >= n) {
          this.escape = true;
          return n;
        }
        i = b + 2;
        continue;
      }
      if (q < 0) return n;
      this.inString = false;
      if (this.keyPieces !== null) {
        this.keyPieces.push(chunk.slice(this.keyStart, q));
        this.lastKey = this.keyPieces.join('');
        this.keyPieces = null;
      }
      return q + 1;
    }
  }

  private open(chunk: string, i: number, c: number): void {
    const d = this.depth;
    if (d === 0) {
      this.sawAnything = true;
      this.topIsObject = c === LBRACE;
      this.recordDepth = c === LBRACKET ? 1 : -1;
      this.lastKey = '';
      if (this.topIsObject) {
        this.startCapture(chunk, i, 0);
        this.expectKey = true;
      }
    } else if (d === 1 && this.topIsObject && c === LBRACKET && WRAPPER_KEYS.has(this.lastKey)) {
      // {"Records": [ ... ]}: drop the wrapper, its elements are the records
      this.capturing = false;
      this.capturePieces = [];
      this.recordDepth = 2;
    } else if (d === this.recordDepth && !this.capturing) {
      this.startCapture(chunk, i, d);
    }
    if (d === 1) this.expectKey = false;
    this.depth = d + 1;
  }

  private close(chunk: string, i: number, c: number): void {
    const d = --this.depth;
    if (this.capturing && d === this.captureDepth) {
      this.capturePieces.push(chunk.slice(this.captureStart, i + 1));
      const text = this.capturePieces.length === 1 ? this.capturePieces[0]! : this.capturePieces.join('');
      this.capturing = false;
      this.capturePieces = [];
      this.sawValue = true;
      this.cb.value(text, this.captureOffset);
    }
    if (d === 1 && this.recordDepth === 2 && c === RBRACKET) this.recordDepth = -1;
    if (d === 0) {
      this.topIsObject = false;
      this.recordDepth = -1;
      this.expectKey = false;
    }
  }

  private startCapture(chunk: string, i: number, depth: number): void {
    this.capturing = true;
    this.captureDepth = depth;
    this.captureStart = i;
    this.capturePieces = [];
    this.captureOffset = this.base + i;
  }

  private onJunk(chunk: string, i: number): void {
    const at = this.base + i;
    if (!this.sawAnything) {
      const preview = JSON.stringify(chunk.slice(i, i + 20));
      throw new NotJsonError(`not JSON: starts with ${preview} at offset ${at}`);
    }
    this.cb.junk(`unexpected text between JSON values at offset ${at}; skipped to the next line`, at);
    this.skipLine = true;
  }
}
