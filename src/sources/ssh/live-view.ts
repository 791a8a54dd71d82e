/**
 * A live view of a capture in a notebook: one display, updated in place
 * (display_id) every `every` ms while the capture runs and once at the end,
 * with the per-host status and the latest rows. Outside a notebook it prints
 * the status text once at the end.
 *
 *   const cap = sl.capture(['ssh://web1', 'ssh://db1'], { duration: '2m', write: 'caps/' });
 *   cap.show();   // or showCapture(cap, { every: 2000, tail: 30 })
 */
import { randomBytes } from 'node:crypto';
import { displayWriter, writeBundle } from '../../display/index.js';
import { escapeHtml } from '../../display/escape.js';
import { tableToHtml, tableToText } from '../../display/table-html.js';
import type { LiveCapture } from './capture.js';
import { hostStateText, humanBytes } from './status-text.js';

export interface ShowOptions {
  /** redraw interval in ms (default 1000) */
  every?: number;
  /** how many of the latest rows to show (default 20) */
  tail?: number;
}

function statusHtml(cap: LiveCapture): string {
  const rows = cap.hosts
    .map((h) => {
      const color = h.error ? '#c0392b' : h.state === 'capturing' ? '#4c78a8' : '#4c9a2a';
      const detail = h.error ? h.error.reason : h.file ?? '';
      return `<tr><td>${escapeHtml(h.host)}</td><td style="color:${color}">${escapeHtml(hostStateText(h))}</td>` +
        `<td style="text-align:right">${h.events.toLocaleString('en-US')}</td><td style="text-align:right">${escapeHtml(humanBytes(h.bytes))}</td>` +
        `<td>${escapeHtml(detail)}</td></tr>`;
    })
    .join('');
  return `<table style="font:12px sans-serif;border-collapse:collapse"><thead><tr><th align="left">host</th><th align="left">state</th>` +
    `<th>events</th><th>bytes</th><th align="left">file / error</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The bundle of one frame of the view. */
export function captureBundle(cap: LiveCapture, tail = 20): Record<string, string> {
  const t = cap.table();
  const latest = t.numRows() > tail ? t.slice(t.numRows() - tail) : t;
  return {
    'text/plain': `${cap.statusText()}\n${tableToText(latest, tail)}`,
    'text/html': `<div>${statusHtml(cap)}<div style="font:12px sans-serif;color:#555;margin-top:4px">latest ${latest.numRows()} of ${t.numRows().toLocaleString('en-US')} events</div>` +
      `${tableToHtml(latest, { pageSize: tail, pages: 1 })}</div>`,
  };
}

/** Shows the capture live; returns a function that stops redrawing (the capture goes on). */
export function showCapture(cap: LiveCapture, opts: ShowOptions = {}): () => void {
  const tail = opts.tail ?? 20;
  if (!displayWriter()) {
    void cap.done.then(() => process.stdout.write(`${cap.statusText()}\n`));
    return () => {};
  }
  const id = randomBytes(8).toString('hex');
  let first = true;
  let lastEvents = -1;
  const draw = (force = false) => {
    if (!force && cap.events === lastEvents) return;
    lastEvents = cap.events;
    writeBundle(captureBundle(cap, tail), { displayId: id, update: !first });
    first = false;
  };
  draw(true);
  const timer = setInterval(() => draw(), opts.every ?? 1000);
  const onHost = () => draw(true);
  cap.on('host', onHost);
  const stop = () => {
    clearInterval(timer);
    cap.off('host', onHost);
  };
  void cap.done.then(() => {
    stop();
    draw(true);
  });
  return stop;
}
