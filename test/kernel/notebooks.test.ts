/**
 * The investigation notebooks run top to bottom, with zero errors, through
 * `stratolab run` and through a real Jupyter client (Debian's nbconvert /
 * nbclient with the installed kernel); log data is escaped in their HTML
 * outputs and in the report; the report is self-contained and its charts
 * are not blank in headless Chromium.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, skip, needTool, isCI } from '../helpers.js';
import { installKernel } from '../../kernel/install.js';
import { decodePng, coloredShare } from '../png.js';

const notebooks = readdirSync(path.join(repoRoot, 'notebooks')).filter((f) => f.endsWith('.ipynb') && !f.includes('.executed'));
const XSS = '<img src=x onerror=alert(1)>';
const XSS_ESCAPED = '&lt;img src=x onerror=alert(1)&gt;';

interface Nb {
  cells: { cell_type: string; outputs?: { output_type: string; data?: Record<string, unknown>; ename?: string; evalue?: string }[] }[];
}
const text = (v: unknown) => (Array.isArray(v) ? v.join('') : String(v ?? ''));

function errorsOf(nb: Nb): string[] {
  return nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`));
}
function htmlOutputs(nb: Nb): string[] {
  return nb.cells.flatMap((c) => (c.outputs ?? []).map((o) => text(o.data?.['text/html'])).filter(Boolean));
}

let out: string;
beforeAll(() => {
  out = mkdtempSync(path.join(tmpdir(), 'sl-notebooks-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('notebooks through stratolab run', () => {
  it.each(notebooks)('%s runs with zero errors and writes a report', (name) => {
    const executed = path.join(out, name.replace('.ipynb', '.run.ipynb'));
    const html = path.join(out, name.replace('.ipynb', '.html'));
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/stratolab.js'), 'run', path.join(repoRoot, 'notebooks', name), '-o', executed, '--html', html], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(r.status, `${r.stderr}`).toBe(0);
    const nb = JSON.parse(readFileSync(executed, 'utf8')) as Nb;
    expect(errorsOf(nb)).toEqual([]);
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    expect(code.every((c) => (c as { execution_count?: number | null }).execution_count !== null)).toBe(true);
    const report = readFileSync(html, 'utf8');
    // self-contained and offline: no scripts, no external resources
    expect(report).not.toMatch(/<script/i);
    expect(report).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(report).not.toMatch(/@import|@font-face|url\(\s*["']?https?:/i);
    expect(report).toContain('<svg');
  }, 300_000);

  it('escapes the attacker-controlled user agent in the executed notebook and in the report', () => {
    const nb = JSON.parse(readFileSync(path.join(out, 'cloudtrail-triage.run.ipynb'), 'utf8')) as Nb;
    const html = htmlOutputs(nb).join('\n');
    expect(html).toContain(XSS_ESCAPED);
    expect(html).not.toContain(XSS);
    const report = readFileSync(path.join(out, 'cloudtrail-triage.html'), 'utf8');
    expect(report).toContain(XSS_ESCAPED);
    expect(report).not.toContain(XSS);
    expect(report).not.toMatch(/<img[^>]*onerror/i);
  });
});

describe.skipIf(skip(needTool('chromium')))('the report in headless Chromium', () => {
  it('renders with charts that are not blank', () => {
    const html = path.join(out, 'container-connection.html');
    expect(existsSync(html)).toBe(true);
    const png = path.join(out, 'report.png');
    const profile = mkdtempSync(path.join(tmpdir(), 'sl-chromium-'));
    const r = spawnSync(
      'chromium',
      ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--window-size=1200,2600', `--screenshot=${png}`, `file://${html}`],
      { encoding: 'utf8', timeout: 120_000 },
    );
    rmSync(profile, { recursive: true, force: true });
    expect(existsSync(png), r.stderr).toBe(true);
    const img = decodePng(readFileSync(png));
    expect(img.width).toBe(1200);
    // the connect timeline and the process tree are drawn in color; text alone is black and grey
    expect(coloredShare(img)).toBeGreaterThan(0.005);
  }, 180_000);
});

function nbconvertPython(): string | null {
  for (const p of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(p, ['-c', 'import nbclient, nbconvert, jupyter_client'], { stdio: 'ignore' }).status === 0) return p;
  }
  return null;
}
const python = nbconvertPython();
const noJupyter = python ? null : 'skipped: Jupyter nbconvert/nbclient are not installed (apt-get install jupyter-nbconvert python3-nbclient jupyter-client)';
if (!python && isCI) throw new Error(`CI=true but ${noJupyter}`);

describe.skipIf(skip(noJupyter))('notebooks through a real Jupyter client (nbconvert --execute, nbclient)', () => {
  let prefix: string;
  beforeAll(() => {
    prefix = mkdtempSync(path.join(tmpdir(), 'sl-jupyter-'));
    installKernel({ prefix, python: python! });
  });
  afterAll(() => rmSync(prefix, { recursive: true, force: true }));

  it.each(notebooks)('%s executes with zero errors', (name) => {
    const r = spawnSync(
      python!,
      ['-m', 'nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=stratolab', '--ExecutePreprocessor.timeout=240', '--output-dir', out, '--output', name.replace('.ipynb', '.nbclient.ipynb'), path.join(repoRoot, 'notebooks', name)],
      { encoding: 'utf8', timeout: 300_000, cwd: path.join(repoRoot, 'notebooks'), env: { ...process.env, JUPYTER_PATH: path.join(prefix, 'share/jupyter') } },
    );
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    const nb = JSON.parse(readFileSync(path.join(out, name.replace('.ipynb', '.nbclient.ipynb')), 'utf8')) as Nb;
    expect(errorsOf(nb)).toEqual([]);
    if (name === 'cloudtrail-triage.ipynb') {
      const html = htmlOutputs(nb).join('\n');
      expect(html).toContain(XSS_ESCAPED);
      expect(html).not.toContain(XSS);
    }
  }, 300_000);
});
