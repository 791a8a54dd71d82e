/**
 * `stratolab check`, `fields`, `summary`, `export`, `--help` and
 * `--version`, end to end. Expected counts are computed by hand from the
 * shared files.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { needSharedData, repoRoot, sharedData, skip } from '../helpers.js';
import { INVICTUS, handUser, invictusRecords, lines, parseCSV, stratolab } from './run-cli.js';

const DIR = sharedData(INVICTUS);

describe('stratolab check', () => {
  it('exit 0 and no output for a valid filter (either syntax)', () => {
    const ws = stratolab(['check', 'ct.name == "ConsoleLogin" && !ct.error']);
    expect(ws).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(stratolab(['check', 'ct.name = ConsoleLogin and not ct.error exists']).code).toBe(0);
  });

  it('exit 2 with the message, the expression and a caret under the error', () => {
    const r = stratolab(['check', 'ct.user == "alice" && ct.nmae == "x"']);
    expect(r.code).toBe(2);
    const err = lines(r.stderr);
    const exprLine = err.findIndex((l) => l.includes('ct.user == "alice" && ct.nmae == "x"'));
    expect(exprLine).toBeGreaterThanOrEqual(0);
    const caret = err[exprLine + 1]!;
    // the caret sits under "ct.nmae"
    const col = err[exprLine]!.indexOf('ct.nmae');
    expect(caret.indexOf('^')).toBe(col);
    expect(r.stderr).toContain('ct.name');
  });

  it('usage errors', () => {
    expect(stratolab(['check']).code).toBe(2);
    expect(stratolab(['check', 'a', 'b']).code).toBe(2);
  });

  it('--falco prints the translation', () => {
    const r = stratolab(['check', '--falco', 'ct.name == "ConsoleLogin" && !ct.error']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ct\.name\s*=\s*"?ConsoleLogin"?/);
    expect(r.stdout).toMatch(/not ct\.error exists/);
  });
});

describe('stratolab fields', () => {
  it('lists name, type and description aligned, filtered by prefix', () => {
    const r = stratolab(['fields', 'ct.']);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out.length).toBeGreaterThan(40);
    for (const l of out) expect(l.startsWith('ct.')).toBe(true);
    const user = out.find((l) => /^ct\.user\s/.test(l))!;
    expect(user).toMatch(/^ct\.user\s+string\s+\S/);
    // aligned: the type column starts at the same offset on every line
    const typeCol = (l: string) => l.search(/\s{2}\S/) ;
    expect(new Set(out.map(typeCol)).size).toBe(1);
    const json = stratolab(['fields', 'gcp.', '--json']);
    const first = JSON.parse(lines(json.stdout)[0]!);
    expect(first).toHaveProperty('name');
    expect(first).toHaveProperty('type');
  });
});

describe('stratolab sources', () => {
  it('lists every source with what it reads', () => {
    const r = stratolab(['sources']);
    expect(r.code, r.stdout).toBe(0);
    for (const name of ['cloudtrail', 's3', 'gcp', 'scap', 'ssh']) expect(r.stdout).toMatch(new RegExp(`^${name}\\s+ok\\s`, 'm'));
  });
});

describe('stratolab --help / --version', () => {
  it('prints help for the program and every command', () => {
    const main = stratolab(['--help']);
    expect(main.code).toBe(0);
    for (const c of ['read', 'summary', 'export', 'check', 'fields', 'sources']) {
      expect(main.stdout).toContain(c);
      const h = stratolab([c, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain(`Usage: stratolab ${c}`);
    }
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(stratolab(['--version']).stdout.trim()).toBe(`stratolab ${pkg.version}`);
    expect(stratolab([]).code).toBe(2);
  });
});

describe.skipIf(skip(needSharedData(INVICTUS)))('stratolab summary (CloudTrail)', () => {
  const records = invictusRecords();

  it('ranks principals by calls, with errors, AccessDenied bursts and notable events', () => {
    const r = stratolab(['summary', DIR]);
    expect(r.code).toBe(0);
    const calls = new Map<string, number>();
    for (const x of records) {
      const u = handUser(x) ?? x.userIdentity?.arn ?? `(${x.userIdentity?.type ?? 'unknown'})`;
      calls.set(u, (calls.get(u) ?? 0) + 1);
    }
    const [topUser, topCount] = [...calls].sort((a, b) => b[1] - a[1])[0]!;
    expect(r.stdout).toContain('## Top principals');
    const row = lines(r.stdout).find((l) => l.trimStart().startsWith(topUser + ' '))!;
    expect(row).toBeDefined();
    expect(row).toMatch(new RegExp(`\\s${topCount}\\s`));
    expect(r.stdout).toContain(`events:     ${records.length}`);
    expect(r.stdout).toContain('## AccessDenied bursts');
    expect(r.stdout).toContain('## Notable events');
    // the data has a console login without MFA and new access keys
    expect(r.stdout).toContain('console login without MFA');
    expect(r.stdout).toContain('CreateAccessKey');
  });

  it('--json gives one object per source', () => {
    const r = stratolab(['summary', DIR, '--json', '--top', '3']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(lines(r.stdout)[0]!);
    expect(rep.title).toBe('CloudTrail summary');
    const principals = rep.sections.find((s: any) => s.title === 'Top principals');
    expect(principals.rows).toHaveLength(3);
  });
});

describe.skipIf(skip(needSharedData(INVICTUS)))('stratolab export', () => {
  const records = invictusRecords();
  const tmp = mkdtempSync(path.join(tmpdir(), 'stratolab-export-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const denied = records.filter((x) => x.errorCode === 'AccessDenied');

  it('writes CSV, JSON lines, Arrow and Parquet that read back', async () => {
    const base = ['export', DIR, '-Y', 'ct.error == "AccessDenied"', '-e', 'time', '-e', 'ct.user', '-e', 'ct.name'];
    for (const ext of ['csv', 'jsonl', 'arrow', 'parquet']) {
      const r = stratolab([...base, '-o', path.join(tmp, `out.${ext}`)]);
      expect(r.code, r.stderr).toBe(0);
    }
    const csv = parseCSV(readFileSync(path.join(tmp, 'out.csv'), 'utf8'));
    expect(csv[0]).toEqual(['time', 'ct.user', 'ct.name']);
    expect(csv).toHaveLength(denied.length + 1);
    const jl = lines(readFileSync(path.join(tmp, 'out.jsonl'), 'utf8')).map((l) => JSON.parse(l));
    expect(jl).toHaveLength(denied.length);
    expect(jl.map((o) => o['ct.name']).sort()).toEqual(denied.map((x) => x.eventName).sort());
    const arrow = tableFromIPC(readFileSync(path.join(tmp, 'out.arrow')));
    expect(arrow.numRows).toBe(denied.length);
    expect(arrow.schema.fields.map((f) => f.name)).toEqual(['time', 'ct.user', 'ct.name']);
    const { createRequire } = await import('node:module');
    const pq = createRequire(import.meta.url)('parquet-wasm');
    const back = tableFromIPC(pq.readParquet(readFileSync(path.join(tmp, 'out.parquet'))).intoIPCStream());
    expect(back.numRows).toBe(denied.length);
    expect(
      back
        .getChild('ct.user')!
        .toArray()
        .slice()
        .sort(),
    ).toEqual(denied.map((x) => handUser(x)).sort());
  });

  it('usage errors: no -o, unknown extension', () => {
    expect(stratolab(['export', DIR]).code).toBe(2);
    expect(stratolab(['export', DIR, '-o', path.join(tmp, 'x.xlsx')]).code).toBe(2);
  });
});
