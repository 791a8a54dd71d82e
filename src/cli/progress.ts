/**
 * A one-line progress bar on stderr while loading (objects, bytes, rate,
 * ETA, events; drawn by the S3 source's renderProgress), only when stderr
 * is a terminal — never in pipes, tests or CI logs — at most 10 redraws a
 * second, erased when the load ends or a warning is printed.
 */
import { renderProgress } from '../sources/s3/progress-bar.js';
import type { Progress } from '../sources/types.js';

export function progressReporter(enabled = Boolean(process.stderr.isTTY)): { onProgress?: (p: Progress) => void; clear(): void } {
  if (!enabled) return { clear() {} };
  const start = Date.now();
  let last = 0;
  let shown = false;
  return {
    onProgress(p) {
      const now = Date.now();
      if (p.done || now - last < 100) return;
      last = now;
      const width = (process.stderr.columns ?? 100) - 1;
      process.stderr.write(`\r\x1b[2K${renderProgress(p, (now - start) / 1000, width)}`);
      shown = true;
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
