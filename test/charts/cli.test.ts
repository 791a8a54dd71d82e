/** `stratolab chart KIND SOURCE... -o OUT` end to end. */
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers.js';
import { decodePng } from '../png.js';

const out = mkdtempSync(path.join(tmpdir(), 'sl-chart-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const run = (...args: string[]) => spawnSync(process.execPath, [path.join(repoRoot, 'bin/stratolab.js'), 'chart', ...args], { encoding: 'utf8', cwd: repoRoot, timeout: 120_000 });

describe('stratolab chart', () => {
  it('proctree of a capture to PNG, with the processes from before the capture', () => {
    const png = path.join(out, 'tree.png');
    const r = run('proctree', 'fixtures/scap/incident.scap', '--mark', 'evt.type = connect', '-o', png);
    expect(r.status, r.stderr).toBe(0);
    const img = decodePng(readFileSync(png));
    expect(img.width).toBeGreaterThan(760);
    expect(img.height).toBeGreaterThan(26 * 20); // 26 processes, one row each
  });

  it('timeline of two sources to SVG with a lane each', () => {
    const svg = path.join(out, 'tl.svg');
    const r = run('timeline', 'fixtures/gcp', 'fixtures/scap/incident.scap', '-o', svg);
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text).toContain('GCP audit');
    expect(text).toContain('syscalls');
  });

  it('activity errors of a filtered trail as a Vega-Lite spec', () => {
    const f = path.join(out, 'err.vl.json');
    const r = run('activity', 'fixtures/cloudtrail', '-Y', 'ct.error', '--panel', 'errors', '-o', f);
    expect(r.status, r.stderr).toBe(0);
    const spec = JSON.parse(readFileSync(f, 'utf8'));
    expect(spec.$schema).toMatch(/vega-lite/);
    expect(spec.data.values.reduce((a: number, v: { count: number }) => a + v.count, 0)).toBe(35);
  });

  it('rejects an unknown kind and a missing -o with exit 2', () => {
    expect(run('pie', 'fixtures/gcp', '-o', path.join(out, 'x.svg')).status).toBe(2);
    expect(run('timeline', 'fixtures/gcp').status).toBe(2);
  });
});
