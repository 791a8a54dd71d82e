/**
 * A one-line progress bar on stderr for the Progress interface: objects,
 * bytes, rate, ETA and events, redrawn at most 10 times a second. Draws only
 * when the stream is a TTY (or `force`), so piped output stays clean.
 */
import type { Progress } from '../types.js';
import { formatBytes } from '../../frames/format-value.js';

export { formatBytes };

export interface ProgressBarOptions {
  stream?: NodeJS.WriteStream | { write(s: string): unknown; isTTY?: boolean; columns?: number };
  /** draw even when the stream is not a TTY */
  force?: boolean;
  /** minimum ms between redraws (default 100) */
  intervalMs?: number;
  /** clock, for tests */
  now?: () => number;
}


/** 125 -> "2:05", 3725 -> "1:02:05". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The text of one bar line, `width` columns at most. */
export function renderProgress(p: Progress, elapsedSec: number, width = 80): string {
  const rate = elapsedSec > 0 ? p.bytesDone / elapsedSec : 0;
  const objRate = elapsedSec > 0 ? p.objectsDone / elapsedSec : 0;
  let fraction: number | undefined;
  if (p.bytesTotal) fraction = p.bytesDone / p.bytesTotal;
  else if (p.objectsTotal) fraction = p.objectsDone / p.objectsTotal;
  fraction = fraction === undefined ? undefined : Math.min(1, Math.max(0, fraction));
  const eta = p.done ? `in ${formatDuration(elapsedSec)}` : fraction && fraction > 0 ? `ETA ${formatDuration((elapsedSec * (1 - fraction)) / fraction)}` : 'ETA --:--';
  const objs = `${p.objectsDone.toLocaleString('en-US')}${p.objectsTotal !== undefined ? `/${p.objectsTotal.toLocaleString('en-US')}` : ''} objects`;
  const bytes = `${formatBytes(p.bytesDone)}${p.bytesTotal ? `/${formatBytes(p.bytesTotal)}` : ''}`;
  const tail = ` ${objs}  ${bytes}  ${formatBytes(rate)}/s ${objRate.toFixed(0)} obj/s  ${eta}  ${p.events.toLocaleString('en-US')} events`;
  const barWidth = Math.max(0, Math.min(30, width - tail.length - 3));
  let bar = '';
  if (barWidth >= 5) {
    const full = fraction === undefined ? 0 : Math.round(fraction * barWidth);
    bar = `[${'#'.repeat(full)}${'-'.repeat(barWidth - full)}]`;
  }
  const line = `${bar}${tail}`;
  return line.length > width ? line.slice(0, Math.max(0, width - 1)) : line;
}

/** An onProgress callback drawing the bar; a no-op when the stream is not a TTY and not forced. */
export function createProgressBar(o: ProgressBarOptions = {}): (p: Progress) => void {
  const stream = o.stream ?? process.stderr;
  if (!stream.isTTY && !o.force) return () => {};
  const clock = o.now ?? (() => Date.now());
  const start = clock();
  const interval = o.intervalMs ?? 100;
  let last = -Infinity;
  return (p) => {
    const t = clock();
    if (!p.done && t - last < interval) return;
    last = t;
    const width = (stream.columns ?? 100) - 1;
    const line = renderProgress(p, (t - start) / 1000, width);
    stream.write(`\r\x1b[2K${line}${p.done ? '\n' : ''}`);
  };
}
