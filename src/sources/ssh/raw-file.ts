/**
 * The raw bytes of each host's stream, written to disk as they arrive, so
 * that nothing is lost if the process (or the notebook) dies; the file is
 * exactly what the remote command wrote, and reads back as a capture.
 *
 * `-w DIR` gives one file per host, `DIR/<host>_<UTC time>.scap` (`.scap.gz`
 * when the stream is gzip); `-w FILE.scap` is taken as is (one host only).
 */
import { createWriteStream, existsSync, mkdirSync, openSync, statSync, type WriteStream } from 'node:fs';
import path from 'node:path';

export type WriteTarget = { kind: 'dir'; dir: string } | { kind: 'file'; file: string };

/**
 * Decides whether `-w` names a directory or a file: a file when it ends in
 * `.scap`/`.gz` or is an existing file (one host only); otherwise a directory
 * (created if needed).
 */
export function writeTarget(spec: string, hosts: number): WriteTarget {
  const exists = existsSync(spec);
  const isDir = exists ? statSync(spec).isDirectory() : spec.endsWith('/') || !/\.(scap|gz)$/i.test(spec);
  if (isDir) return { kind: 'dir', dir: spec };
  if (hosts > 1) throw new Error(`-w ${spec} is a file, but ${hosts} hosts need a directory (one file per host)`);
  return { kind: 'file', file: spec };
}

/** A file-name-safe form of a host label: `web1:2222` -> `web1_2222`. */
export function safeName(label: string): string {
  return label.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'host';
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Creates the file for one host's stream and returns its path and an open
 * descriptor. In DIR mode an existing file is never overwritten: the name
 * gets `-1`, `-2`... (created exclusively, so two hosts never share one).
 */
export function openRawFile(target: WriteTarget, label: string, gzip: boolean, now = new Date()): { path: string; fd: number } {
  if (target.kind === 'file') {
    mkdirSync(path.dirname(target.file), { recursive: true });
    return { path: target.file, fd: openSync(target.file, 'w') };
  }
  mkdirSync(target.dir, { recursive: true });
  const base = path.join(target.dir, `${safeName(label)}_${stamp(now)}`);
  const ext = gzip ? '.scap.gz' : '.scap';
  for (let i = 0; ; i++) {
    const p = i === 0 ? base + ext : `${base}-${i}${ext}`;
    try {
      return { path: p, fd: openSync(p, 'wx') };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

export class RawStreamFile {
  private out: WriteStream | undefined;
  path: string | undefined;
  bytes = 0;
  constructor(private readonly target: WriteTarget, private readonly label: string) {}

  /** Appends a chunk (opening the file on the first one); resolves when the OS has it. */
  async write(chunk: Uint8Array): Promise<void> {
    if (!this.out) {
      const gzip = chunk[0] === 0x1f && chunk[1] === 0x8b;
      const { path: p, fd } = openRawFile(this.target, this.label, gzip);
      this.path = p;
      this.out = createWriteStream(p, { fd });
      // failures are reported through write()'s promise; an unheard 'error' event would crash the process
      this.out.on('error', () => {});
    }
    this.bytes += chunk.length;
    const out = this.out;
    await new Promise<void>((resolve, reject) => out.write(chunk, (err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    const out = this.out;
    if (!out || out.destroyed) return;
    await new Promise<void>((resolve) => {
      out.once('close', () => resolve());
      out.end();
    });
  }
}
