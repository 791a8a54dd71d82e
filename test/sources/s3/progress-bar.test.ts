import { describe, expect, it } from 'vitest';
import { createProgressBar, formatBytes, formatDuration, renderProgress } from '../../../src/sources/s3/progress-bar.js';

const p = { label: 's3://b/', objectsDone: 50, objectsTotal: 200, bytesDone: 5 * 1024 * 1024, bytesTotal: 20 * 1024 * 1024, events: 12345 };

describe('the stderr progress bar', () => {
  it('shows objects, bytes, rate, ETA and events', () => {
    const line = renderProgress(p, 10, 120);
    expect(line).toContain('50/200 objects');
    expect(line).toContain('5.0 MB/20.0 MB');
    expect(line).toContain('512.0 KB/s');
    expect(line).toContain('ETA 0:30');
    expect(line).toContain('12,345 events');
    expect(line).toMatch(/^\[#+-+\]/);
    expect(line.length).toBeLessThanOrEqual(120);
  });
  it('fits narrow terminals', () => {
    expect(renderProgress(p, 10, 40).length).toBeLessThanOrEqual(40);
  });
  it('formats', () => {
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12)).toBe('12 B');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Infinity)).toBe('--:--');
  });
  it('draws only on a TTY unless forced, throttled, with a newline when done', () => {
    const out: string[] = [];
    const stream = { isTTY: false, columns: 100, write: (s: string) => out.push(s) };
    createProgressBar({ stream })(p);
    expect(out).toEqual([]);
    let t = 0;
    const bar = createProgressBar({ stream, force: true, now: () => t });
    bar(p);
    t = 50;
    bar(p); // throttled
    t = 200;
    bar({ ...p, objectsDone: 200, bytesDone: p.bytesTotal, done: true });
    expect(out.length).toBe(2);
    expect(out[1]).toMatch(/200\/200 objects.*\n$/);
    expect(out[1]).toContain('in 0:00');
  });
});
