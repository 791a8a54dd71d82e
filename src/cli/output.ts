/**
 * Buffered stdout for large outputs (one write per 64 KiB, not per line),
 * quiet exit when the reader goes away (`stratolab read ... | head`), and
 * stderr messages prefixed with the program name.
 */

const FLUSH_AT = 1 << 16;

/** Set once stdout's reader has closed the pipe: producers should stop. */
export let stdoutClosed = false;

let installed = false;
function installEpipe(): void {
  if (installed) return;
  installed = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
      stdoutClosed = true;
      process.exit(0);
    }
    process.stderr.write(`stratolab: cannot write output: ${err.message}\n`);
    process.exit(1);
  });
}

/** A line-oriented writer to stdout with a 64 KiB buffer. */
export class Output {
  private buf = '';
  private pending = false;
  constructor() {
    installEpipe();
  }
  /** Appends text (include the newline). */
  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= FLUSH_AT) this.flush();
  }
  line(s: string): void {
    this.write(s + '\n');
  }
  /** Hands the buffer to stdout; true when the caller should await `drain()` before writing more. */
  flush(): boolean {
    if (!this.buf || stdoutClosed) return false;
    const ok = process.stdout.write(this.buf);
    this.buf = '';
    if (!ok) this.pending = true;
    return !ok;
  }
  /** Waits until stdout accepted everything written so far (backpressure). */
  async drain(): Promise<void> {
    if (!this.pending || stdoutClosed) return;
    await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
    this.pending = false;
  }
  /** True when stdout is congested and a producer that can wait should `await drain()`. */
  get congested(): boolean {
    return this.pending;
  }
  /** Flushes and waits until stdout has taken all the data. */
  async end(): Promise<void> {
    const data = this.buf;
    this.buf = '';
    if (stdoutClosed) return;
    await new Promise<void>((resolve) => {
      if (data) process.stdout.write(data, () => resolve());
      else process.stdout.write('', () => resolve());
    });
  }
}

/** Writes `stratolab: <msg>` on stderr. */
export function printError(msg: string): void {
  process.stderr.write(msg.endsWith('\n') ? `stratolab: ${msg}` : `stratolab: ${msg}\n`);
}

/** Writes `stratolab: warning: <msg>` on stderr. */
export function printWarning(msg: string): void {
  process.stderr.write(`stratolab: warning: ${msg}\n`);
}
