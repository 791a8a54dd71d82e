/**
 * Reading one GCP audit log file (plain or gzip) into LogEntries, with a
 * warning for every piece that is not one (bad JSON line, truncated gzip,
 * unknown object) — the entries around it are kept.
 */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { LoadWarning } from '../types.js';
import { splitJson } from './split.js';
import { unwrap, type LogEntry } from './unwrap.js';

const gunzip = promisify(zlib.gunzip);

export interface ReadFileResult {
  entries: LogEntry[];
  warnings: LoadWarning[];
  /** bytes on disk */
  bytes: number;
}

/** True when `buf` starts with the gzip magic. */
export function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/** Decompressed bytes of a gzip buffer; a truncated or damaged stream gives what could be read, with a warning. */
export async function gunzipTolerant(buf: Buffer, where: string, warnings: LoadWarning[]): Promise<Buffer> {
  try {
    return await gunzip(buf);
  } catch (err: any) {
    let partial: Buffer = Buffer.alloc(0);
    try {
      partial = zlib.gunzipSync(buf, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch {
      // nothing readable
    }
    warnings.push({ where, message: `gzip data is damaged (${err?.code ?? err?.message ?? err}); read the first ${partial.length} bytes` });
    return partial;
  }
}

/** Collects LogEntries and counts what is not one. */
class Collector {
  readonly entries: LogEntry[] = [];
  private unknown = 0;
  private firstUnknown = -1;
  constructor(
    private readonly where: string,
    private readonly warnings: LoadWarning[],
  ) {}
  value(v: unknown, offset: number): void {
    const u = unwrap(v);
    for (const e of u.entries) this.entries.push(e);
    if (u.unknown > 0) {
      if (this.firstUnknown < 0) this.firstUnknown = offset;
      this.unknown += u.unknown;
    }
  }
  warn(offset: number, message: string): void {
    this.warnings.push({ where: this.where, offset, message });
  }
  finish(): LogEntry[] {
    if (this.unknown > 0) this.warn(this.firstUnknown, `${this.unknown} JSON value(s) are not Cloud Logging entries; skipped`);
    return this.entries;
  }
}

/** Splits `text[start, end)` into top-level JSON values (arrays, concatenated or pretty-printed documents). */
function scan(text: Buffer, start: number, end: number, out: Collector): void {
  const region = start === 0 && end === text.length ? text : text.subarray(start, end);
  for (const piece of splitJson(region)) {
    if (piece.kind === 'junk') {
      out.warn(start + piece.start, piece.reason);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(region.toString('utf8', piece.start, piece.end));
    } catch (err: any) {
      out.warn(start + piece.start, `invalid JSON: ${err?.message ?? err}`);
      continue;
    }
    out.value(value, start + piece.start);
  }
}

/** True when the text is JSON lines: its first non-blank line is a whole JSON object. */
function looksLikeJsonLines(text: Buffer): boolean {
  let i = text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf ? 3 : 0;
  while (i < text.length && (text[i] === 0x20 || text[i] === 0x09 || text[i] === 0x0a || text[i] === 0x0d)) i++;
  if (text[i] !== 0x7b) return false;
  let nl = text.indexOf(0x0a, i);
  if (nl < 0) nl = text.length;
  try {
    const v = JSON.parse(text.toString('utf8', i, nl));
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/**
 * LogEntries of a text buffer: JSON lines (the fast path: one JSON.parse per
 * line, a damaged line scanned on its own), or any other layout — a JSON
 * array, one or several pretty-printed documents, wrappers — through the
 * value splitter.
 */
export function parseEntries(text: Buffer, where: string, warnings: LoadWarning[]): LogEntry[] {
  const out = new Collector(where, warnings);
  if (!looksLikeJsonLines(text)) {
    scan(text, 0, text.length, out);
    return out.finish();
  }
  let start = text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf ? 3 : 0;
  while (start < text.length) {
    let end = text.indexOf(0x0a, start);
    if (end < 0) end = text.length;
    const line = text.toString('utf8', start, end);
    if (line.trim() !== '') {
      let value: unknown;
      let ok = true;
      try {
        value = JSON.parse(line);
      } catch {
        ok = false;
      }
      if (ok) out.value(value, start);
      else scan(text, start, end, out);
    }
    start = end + 1;
  }
  return out.finish();
}

/** Reads a file: gzip by content, then parseEntries. Throws only when the file cannot be read at all. */
export async function readEntriesFile(path: string): Promise<ReadFileResult> {
  const raw = await readFile(path);
  const warnings: LoadWarning[] = [];
  const text = isGzip(raw) ? await gunzipTolerant(raw, path, warnings) : raw;
  return { entries: parseEntries(text, path, warnings), warnings, bytes: raw.length };
}
