/**
 * `stratolab read` on sysdig captures, against sysdig itself: the default
 * text line, -T fields against `sysdig -p`, filters, streamed output equal
 * to the table path, and the syscall summary of the incident fixture.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadSources } from '../../src/sources/index.js';
import { toJSONLines } from '../../src/frames/to-jsonl.js';
import { needSharedData, needTool, sharedData, skip } from '../helpers.js';
import { lines, stratolab } from './run-cli.js';

const CAPTURES = ['scap/cat_write.scap', 'scap/curl_google.scap', 'scap/connect_localhost.scap'];

function sysdig(args: string[]): string {
  return execFileSync('sysdig', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TZ: process.env.TZ ?? 'UTC' } });
}

describe.skipIf(skip(needSharedData('scap'), needTool('sysdig')))('stratolab read (scap) against sysdig', () => {
  for (const rel of CAPTURES) {
    it(`prints sysdig's default line: ${rel}`, () => {
      const r = stratolab(['read', sharedData(rel)], { env: { TZ: process.env.TZ ?? 'UTC' } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(sysdig(['-r', sharedData(rel)]));
    });
  }

  it('-T fields -Y matches sysdig -p with the same filter', () => {
    const file = sharedData('scap/curl_google.scap');
    const r = stratolab(['read', file, '-Y', 'evt.type = connect and evt.dir = "<"', '-T', 'fields', '-e', 'evt.num', '-e', 'proc.name', '-e', 'fd.name', '-e', 'evt.res']);
    expect(r.code, r.stderr).toBe(0);
    const expected = sysdig(['-r', file, '-p', '%evt.num\t%proc.name\t%fd.name\t%evt.res', 'evt.type=connect and evt.dir="<"']);
    expect(r.stdout).toBe(expected);
    expect(lines(r.stdout).length).toBeGreaterThan(0);
  });

  it('a misspelt -e field is a usage error, also when streaming', () => {
    const r = stratolab(['read', sharedData('scap/cat_write.scap'), '-e', 'proc.nam']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('proc.name');
    expect(r.stdout).toBe('');
  });

  it('-c N and --stats on a capture', () => {
    const r = stratolab(['read', sharedData('scap/curl_google.scap'), '-c', '10', '--stats']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(10);
    const stats = JSON.parse(lines(r.stderr).find((l) => l.startsWith('{'))!);
    expect(stats).toMatchObject({ objectsFetched: 1, eventsMatched: 10 });
    expect(stats.bytes).toBeGreaterThan(0);
  });
});

describe.skipIf(skip(needSharedData('scap/curl_google.scap')))('streamed output equals the table path', () => {
  it('-T json without -e: the table columns, same values', async () => {
    const file = sharedData('scap/curl_google.scap');
    const streamed = stratolab(['read', file, '-T', 'json']);
    expect(streamed.code).toBe(0);
    const table = (await loadSources(file)).table;
    expect(streamed.stdout).toBe(toJSONLines(table));
  });

  it('an unreadable capture: exit 1 naming it', () => {
    const r = stratolab(['read', sharedData('scap/curl_google.scap'), '/nonexistent/x.scap']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/nonexistent/x.scap');
  });
});

describe('stratolab summary (syscall capture fixture)', () => {
  it('shows the web shell: gunicorn spawning sh, curl to the attacker, cat /etc/shadow', () => {
    const r = stratolab(['summary', 'fixtures/scap/incident.scap']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('# Syscall capture summary');
    const cmds = r.stdout.slice(r.stdout.indexOf('## Commands executed'));
    const sh = lines(cmds).find((l) => l.includes('sh -c curl'))!;
    expect(sh).toMatch(/www-data\s+gunicorn/);
    expect(cmds).toContain('cat /etc/shadow');
    const conns = r.stdout.slice(r.stdout.indexOf('## Outbound connections'));
    expect(conns).toContain('198.51.100.77:4444');
    expect(r.stdout).toContain('/etc/shadow');
  });
});

describe.skipIf(skip(needSharedData('scap/curl_google.scap'), needTool('sysdig')))('stratolab read -w OUT.scap', () => {
  it('writes the matching events as a capture sysdig prints the same lines for', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'stratolab-w-'));
    const noNum = (text: string) => lines(text).map((l) => l.slice(l.indexOf(' ') + 1));
    try {
      const file = sharedData('scap/curl_google.scap');
      const expected = noNum(sysdig(['-r', file, 'evt.type=connect']));
      for (const out of ['out.scap', 'out.scap.gz']) {
        const target = path.join(dir, out);
        const r = stratolab(['read', file, '-Y', 'evt.type = connect', '-w', target]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toBe('');
        // the same lines (process names, fd names) as in the source, numbered anew
        expect(noNum(sysdig(['-r', target]))).toEqual(expected);
        expect(lines(stratolab(['read', target, '-e', 'evt.type']).stdout).every((l) => l === 'connect')).toBe(true);
      }
      const two = stratolab(['read', file, '-Y', 'evt.type = connect', '-c', '2', '-w', path.join(dir, 'two.scap')]);
      expect(two.code).toBe(0);
      expect(noNum(sysdig(['-r', path.join(dir, 'two.scap')]))).toEqual(expected.slice(0, 2));
      expect(stratolab(['read', file, '-w', path.join(dir, 'x.txt')]).code).toBe(2);
      expect(stratolab(['read', 'fixtures/cloudtrail', '-w', path.join(dir, 'ct.scap')]).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
