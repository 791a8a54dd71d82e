/**
 * Writing large text outputs in chunks: to a string, or to a file without
 * holding the whole output in memory.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** Receives text in order; `close` flushes. */
export interface TextSink {
  write(s: string): void;
  close(): void;
}

const CHUNK = 1 << 20;

/** A sink that writes to a file through a 1 MiB buffer. */
export function fileSink(path: string): TextSink {
  const fd = openSync(path, 'w');
  let buf = '';
  return {
    write(s) {
      buf += s;
      if (buf.length >= CHUNK) {
        writeSync(fd, buf);
        buf = '';
      }
    },
    close() {
      if (buf) writeSync(fd, buf);
      buf = '';
      closeSync(fd);
    },
  };
}

/** A sink collecting into a string: `sink.text()` after close. */
export function stringSink(): TextSink & { text(): string } {
  const parts: string[] = [];
  return { write: (s) => void parts.push(s), close() {}, text: () => parts.join('') };
}
