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

/** LogEntries of a text buffer (JSON array, JSON lines, one or several pretty-printed documents, wrappers). */
export function parseEntries(text: Buffer, where: string, warnings: LoadWarning[]): LogEntry[] {
  const entries: LogEntry[] = [];
  let unknown = 0;
  let firstUnknown = -1;
  for (const piece of splitJson(text)) {
    if (piece.kind === 'junk') {
      warnings.push({ where, offset: piece.start, message: piece.reason });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text.toString('utf8', piece.start, piece.end));
    } catch (err: any) {
      warnings.push({ where, offset: piece.start, message: `invalid JSON: ${err?.message ?? err}` });
      continue;
    }
    const u = unwrap(value);
    for (const e of u.entries) entries.push(e);
    if (u.unknown > 0) {
      if (firstUnknown < 0) firstUnknown = piece.start;
      unknown += u.unknown;
    }
  }
  if (unknown > 0) {
    warnings.push({ where, offset: firstUnknown, message: `${unknown} JSON value(s) are not Cloud Logging entries; skipped` });
  }
  return entries;
}

/** Reads a file: gzip by content, then parseEntries. Throws only when the file cannot be read at all. */
export async function readEntriesFile(path: string): Promise<ReadFileResult> {
  const raw = await readFile(path);
  const warnings: LoadWarning[] = [];
  const text = isGzip(raw) ? await gunzipTolerant(raw, path, warnings) : raw;
  return { entries: parseEntries(text, path, warnings), warnings, bytes: raw.length };
}
