/**
 * Does a local file or directory hold GCP audit logs? Decided by content
 * (the first 256 KiB, decompressed when gzip), not by name: a LogEntry (or a
 * Pub/Sub / Eventarc wrapper of one) must come first.
 */
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { isGzip } from './read.js';
import { splitJson } from './split.js';
import { unwrap } from './unwrap.js';

const HEAD = 256 * 1024;
const MAX_DIR_FILES = 10_000;

async function head(file: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD);
    const { bytesRead } = await fh.read(buf, 0, HEAD, 0);
    const b = buf.subarray(0, bytesRead);
    if (!isGzip(b)) return b;
    try {
      return zlib.gunzipSync(b, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, HEAD);
    } catch {
      return Buffer.alloc(0);
    }
  } finally {
    await fh.close();
  }
}

/** Lines of junk tolerated before the first value (a header, a stray log line). */
const MAX_LEADING_JUNK = 5;

/** True when the text starts with Cloud Logging entries (or is cut inside the first one, which names an audit log). */
export function looksLikeGcpText(buf: Buffer): boolean {
  let junk = 0;
  for (const piece of splitJson(buf)) {
    if (piece.kind === 'junk') {
      const s = buf.toString('utf8', piece.start, Math.min(piece.end, piece.start + HEAD));
      // a first value larger than the head: judge by the keys it shows
      if (piece.end >= buf.length) return /"protoPayload"\s*:/.test(s) && /"(logName|resource|insertId)"\s*:/.test(s);
      if (++junk > MAX_LEADING_JUNK) return false;
      continue;
    }
    try {
      return unwrap(JSON.parse(buf.toString('utf8', piece.start, piece.end))).entries.length > 0;
    } catch {
      return false;
    }
  }
  return false;
}

/** True when the file's content is GCP audit logs. Never throws. */
export async function isGcpFile(file: string): Promise<boolean> {
  try {
    return looksLikeGcpText(await head(file));
  } catch {
    return false;
  }
}

/** Files under `dir` (recursive, sorted, hidden entries skipped). */
export async function listFiles(dir: string, out: string[] = []): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    if (name.startsWith('.') || out.length >= MAX_DIR_FILES) continue;
    const p = path.join(dir, name);
    const st = await stat(p).catch(() => null);
    if (st?.isDirectory()) await listFiles(p, out);
    else if (st?.isFile()) out.push(p);
  }
  return out;
}

/** True when `spec` is a GCP audit log file, or a directory with at least one. */
export async function isGcpPath(spec: string): Promise<boolean> {
  const st = await stat(spec).catch(() => null);
  if (!st) return false;
  if (st.isFile()) return isGcpFile(spec);
  if (!st.isDirectory()) return false;
  for (const f of await listFiles(spec)) if (await isGcpFile(f)) return true;
  return false;
}
