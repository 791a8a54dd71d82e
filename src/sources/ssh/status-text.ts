/**
 * One line per host saying how its capture is going or how it ended, for the
 * CLI's summary and for a notebook cell that redraws while the capture runs:
 *
 *   web1:2222  capturing  1,204 events  2.1 MB  -> caps/web1_2222_20260101T120000Z.scap
 *   db1        FAILED     0 events      0 B     db1: authentication failed for ...
 */
import type { HostStatus } from './host-capture.js';
import { formatBytes } from '../../frames/format-value.js';

/** Bytes as file sizes are shown (1536 -> "1.5 KB"). */
export const humanBytes = formatBytes;

/** The state word: capturing, stopping, stopped, done (exit 0), exit N, FAILED. */
export function hostStateText(h: HostStatus): string {
  if (h.error) return 'FAILED';
  if (h.state !== 'done') return h.state;
  if (h.exit?.stopped) return 'stopped';
  return h.exit?.code === 0 ? 'done' : `exit ${h.exit?.code ?? '?'}`;
}

/** Aligned lines, one per host. */
export function statusText(hosts: readonly HostStatus[]): string {
  const rows = hosts.map((h) => [
    h.host,
    hostStateText(h),
    `${h.events.toLocaleString('en-US')} events`,
    humanBytes(h.bytes),
    h.error ? h.error.reason : h.file ? `-> ${h.file}` : '',
  ]);
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]!) : cell)).join('  ').trimEnd()).join('\n');
}
