/**
 * Runs the real `stratolab` command (bin/stratolab.js) in a child process,
 * and reads the shared CloudTrail data by hand (JSON.parse, no stratolab
 * code) to compute expected values independently of the code under test.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, sharedData } from '../helpers.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const BIN = path.join(repoRoot, 'bin/stratolab.js');

/** Runs `stratolab ...args`; cwd is the repo root. */
export function stratolab(args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? repoRoot,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Output lines without the trailing empty one. */
export function lines(s: string): string[] {
  return s === '' ? [] : s.replace(/\n$/, '').split('\n');
}

export const INVICTUS = 'cloudtrail/invictus-ir_aws_dataset';

/** Every record of the invictus set, parsed by hand ({"Records": [...]} files). */
export function invictusRecords(): any[] {
  const dir = sharedData(INVICTUS);
  const out: any[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json')) continue;
    out.push(...JSON.parse(readFileSync(path.join(dir, f), 'utf8')).Records);
  }
  return out;
}

/** The invictus files' names. */
export function invictusFiles(): string[] {
  return readdirSync(sharedData(INVICTUS)).filter((f) => f.endsWith('.json')).sort();
}

/** ct.user by hand (the plugin's rules, reference §1.2) for the identity types in the data. */
export function handUser(r: any): string | null {
  const u = r.userIdentity ?? {};
  switch (u.type) {
    case 'Root':
    case 'IAMUser':
      return u.userName ?? null;
    case 'AWSService':
      return u.invokedBy ?? null;
    case 'AssumedRole':
      return u.sessionContext?.sessionIssuer?.userName ?? 'AssumedRole';
    case 'AWSAccount':
      return 'AWSAccount';
    case 'FederatedUser':
      return 'FederatedUser';
    default:
      return null;
  }
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, newlines in quotes). */
export function parseCSV(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
