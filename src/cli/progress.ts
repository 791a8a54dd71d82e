/**
 * A one-line progress report on stderr while loading, only when stderr is
 * a terminal (never in pipes, tests or CI logs), at most 5 updates a second.
 */
import type { Progress } from '../sources/types.js';

function human(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** An onProgress callback, or undefined when stderr is not a TTY; call `clear` when done. */
export function progressReporter(enabled = Boolean(process.stderr.isTTY)): { onProgress?: (p: Progress) => void; clear(): void } {
  if (!enabled) return { clear() {} };
  let last = 0;
  let shown = false;
  return {
    onProgress(p) {
      const now = Date.now();
      if (!p.done && now - last < 200) return;
      last = now;
      const objs = p.objectsTotal !== undefined ? `${p.objectsDone}/${p.objectsTotal} files` : `${p.objectsDone} files`;
      const bytes = p.bytesTotal ? `${human(p.bytesDone)}/${human(p.bytesTotal)}` : human(p.bytesDone);
      const line = `${p.label.slice(0, 40)}: ${objs}, ${bytes}, ${p.events} events`;
      process.stderr.write(`\r\x1b[K${line}`);
      shown = true;
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
