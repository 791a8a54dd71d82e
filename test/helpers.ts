/**
 * Test helpers: where the shared real data lives, and skipping (or, under
 * CI=true, failing) when data or a system tool is missing.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const sharedRoot = path.resolve(repoRoot, '../shared/data');
export const isCI = process.env.CI === 'true';

/** Absolute path of a file under ../shared/data, e.g. sharedData('scap/cat_write.scap'). */
export function sharedData(rel = ''): string {
  return path.join(sharedRoot, rel);
}

/** Why a test must skip, or null when it can run. Under CI=true a missing thing throws instead. */
function missing(what: string, ok: boolean): string | null {
  if (ok) return null;
  const msg = `skipped: ${what}`;
  if (isCI) throw new Error(`CI=true but ${what}`);
  return msg;
}

/** null when ../shared/data (or one file in it) exists, else a skip reason. */
export function needSharedData(rel = ''): string | null {
  return missing(`shared data ${sharedData(rel)} is absent (a fresh clone without ../shared)`, existsSync(sharedData(rel)));
}

/** null when the command is on PATH (or an absolute path exists), else a skip reason. */
export function needTool(cmd: string): string | null {
  let ok = false;
  if (cmd.startsWith('/')) ok = existsSync(cmd);
  else {
    try {
      execFileSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' });
      ok = true;
    } catch {
      ok = false;
    }
  }
  return missing(`system tool ${cmd} is not installed (see README: system packages)`, ok);
}

/**
 * Use as `describe.skipIf(skip(needSharedData('scap'), needTool('sysdig')))(...)`.
 * Returns true (skip) when any reason is non-null, printing the reasons once.
 */
export function skip(...reasons: (string | null)[]): boolean {
  const rs = reasons.filter((r): r is string => r !== null);
  for (const r of rs) console.warn(r);
  return rs.length > 0;
}
