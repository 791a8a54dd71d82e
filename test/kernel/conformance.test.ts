/**
 * Jupyter's own kernel conformance suite (Debian's python3-jupyter-kernel-test)
 * against the stratolab kernel, installed into a temporary prefix.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, skip, isCI } from '../helpers.js';
import { installKernel, findPython } from '../../kernel/install.js';

function pythonWithKernelTest(): string | null {
  for (const p of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(p, ['-c', 'import jupyter_kernel_test, jupyter_client'], { stdio: 'ignore' }).status === 0) return p;
  }
  return null;
}

const python = pythonWithKernelTest();
const reason = python ? null : 'skipped: python3-jupyter-kernel-test / jupyter-client are not installed (apt-get install python3-jupyter-kernel-test jupyter-client)';
if (!python && isCI) throw new Error(`CI=true but ${reason}`);

describe.skipIf(skip(reason))('kernel conformance (jupyter_kernel_test)', () => {
  let prefix: string;
  beforeAll(() => {
    prefix = mkdtempSync(path.join(tmpdir(), 'sl-kernel-'));
    const dir = installKernel({ prefix, python: findPython(python!) });
    expect(existsSync(path.join(dir, 'kernel.json'))).toBe(true);
  });
  afterAll(() => rmSync(prefix, { recursive: true, force: true }));

  it('passes every applicable test of the suite', () => {
    const r = spawnSync(python!, [path.join(repoRoot, 'test/kernel/conformance.py'), '-v'], {
      cwd: tmpdir(),
      env: { ...process.env, JUPYTER_PATH: path.join(prefix, 'share/jupyter') },
      encoding: 'utf8',
      timeout: 240_000,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(out, out).toMatch(/\nOK\b/);
    expect(out).toMatch(/Ran 12 tests/);
    expect(out).not.toMatch(/skipped/);
    expect(r.status, out).toBe(0);
  }, 300_000);
});
