/**
 * Load progress in notebooks: one display updated in place (display_id and
 * update_display_data), throttled, finished with a summary line.
 */
import { randomBytes } from 'node:crypto';
import type { Progress } from '../sources/types.js';
import { escapeHtml } from './escape.js';
import { formatBytes as bytes } from '../frames/format-value.js';

export interface ProgressDisplay {
  onProgress: (p: Progress) => void;
  /** the display id the bar updates */
  id: string;
}

/** Text and HTML of one progress state. */
export function progressText(p: Progress, elapsedMs: number): { text: string; html: string } {
  const frac = p.objectsTotal ? p.objectsDone / p.objectsTotal : p.bytesTotal ? p.bytesDone / p.bytesTotal : null;
  const rate = elapsedMs > 0 ? (p.bytesDone / elapsedMs) * 1000 : 0;
  const eta = frac && frac > 0 && frac < 1 ? ((elapsedMs / frac) * (1 - frac)) / 1000 : null;
  const parts = [
    p.objectsTotal !== undefined ? `${p.objectsDone}/${p.objectsTotal} objects` : `${p.objectsDone} objects`,
    bytes(p.bytesDone) + (p.bytesTotal ? ` of ${bytes(p.bytesTotal)}` : ''),
    `${p.events.toLocaleString('en-US')} events`,
    `${bytes(rate)}/s`,
  ];
  if (eta !== null) parts.push(`ETA ${eta.toFixed(0)} s`);
  if (p.done) parts.push(`done in ${(elapsedMs / 1000).toFixed(1)} s`);
  const text = `${p.label}: ${parts.join(', ')}`;
  const pct = frac === null ? (p.done ? 100 : 0) : Math.round(frac * 100);
  const html =
    `<div style="font:12px sans-serif"><div>${escapeHtml(p.label)}</div>` +
    `<div style="background:#eee;width:400px;height:10px;border-radius:3px"><div style="background:${p.done ? '#4c9a2a' : '#4c78a8'};width:${pct}%;height:10px;border-radius:3px"></div></div>` +
    `<div style="color:#555">${escapeHtml(parts.join(' · '))}</div></div>`;
  return { text, html };
}

/** A progress bar that updates one notebook display in place (throttled to 5 updates a second). */
export function progressDisplay(write: (data: Record<string, unknown>, displayId: string, update: boolean) => void, minIntervalMs = 200): ProgressDisplay {
  const id = randomBytes(8).toString('hex');
  const start = Date.now();
  let last = 0;
  let shown = false;
  return {
    id,
    onProgress(p) {
      const now = Date.now();
      if (!p.done && now - last < minIntervalMs) return;
      last = now;
      const { text, html } = progressText(p, now - start);
      write({ 'text/plain': text, 'text/html': html }, id, shown);
      shown = true;
    },
  };
}
