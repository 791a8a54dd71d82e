/** Is this local path CloudTrail? A look at the first bytes (gunzipped if needed) of a file, or of the first files of a directory. */
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { constants, gunzipSync } from 'node:zlib';

const HEAD_BYTES = 64 * 1024;
const CT_MARK = /"(?:awsRegion|CloudTrailEvent|eventSource|recipientAccountId|userIdentity)"\s*:/;
const NOT_CT = /"(?:protoPayload|logName)"\s*:/;

/** The first bytes of a file as text, decompressing a gzip head. */
export async function headText(file: string, bytes = HEAD_BYTES): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    let head = buf.subarray(0, bytesRead);
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      try {
        head = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
      } catch {
        return '';
      }
    }
    return head.toString('utf8');
  } finally {
    await fh.close();
  }
}

/** True when the text looks like CloudTrail (and not a GCP LogEntry). */
export function looksLikeCloudTrailText(text: string): boolean {
  return CT_MARK.test(text) && !NOT_CT.test(text);
}

const FILE_NAME = /\.(json|jsonl|ndjson|gz)$/i;

/** True if `spec` is a local file or directory whose (first) JSON files look like CloudTrail. */
export async function isCloudTrailPath(spec: string, maxFiles = 8): Promise<boolean> {
  let s;
  try {
    s = await stat(spec);
  } catch {
    return false;
  }
  if (s.isFile()) return looksLikeCloudTrailText(await headText(spec).catch(() => ''));
  if (!s.isDirectory()) return false;
  let checked = 0;
  const walk = async (dir: string, depth: number): Promise<boolean> => {
    if (depth > 12) return false;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (checked >= maxFiles) return false;
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (await walk(p, depth + 1)) return true;
      } else if (FILE_NAME.test(e.name)) {
        checked++;
        if (looksLikeCloudTrailText(await headText(p).catch(() => ''))) return true;
      }
    }
    return false;
  };
  return walk(spec, 0);
}
