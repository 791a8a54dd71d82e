/**
 * `stratolab kernel install [--user | --prefix DIR] [--python PATH]`:
 * registers the kernel spec through Jupyter's own installer
 * (jupyter_client.kernelspecapp), with a Python that has Jupyter.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const req = createRequire(import.meta.url);
export const KERNEL_NAME = 'stratolab';
export const DISPLAY_NAME = 'TypeScript (stratolab)';

export interface InstallOptions {
  user?: boolean;
  prefix?: string;
  python?: string;
}

/** The kernel.json contents: node with tsx's loader running kernel/main.ts. */
export function kernelSpec(): Record<string, unknown> {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const tsx = pathToFileURL(req.resolve('tsx')).href;
  return {
    argv: [process.execPath, '--import', tsx, main, '{connection_file}'],
    display_name: DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'signal',
    env: {},
    metadata: { debugger: false },
  };
}

function hasJupyter(python: string): boolean {
  const r = spawnSync(python, ['-c', 'import jupyter_client'], { stdio: 'ignore' });
  return r.status === 0;
}

/** A Python with jupyter_client: the one given, else python3 on PATH, else Debian's /usr/bin/python3. */
export function findPython(preferred?: string): string {
  const candidates = preferred ? [preferred] : ['python3', '/usr/bin/python3', 'python'];
  for (const p of candidates) if (hasJupyter(p)) return p;
  throw new Error(
    preferred
      ? `${preferred} cannot import jupyter_client: install Jupyter for it, or pass --python with one that has it`
      : 'no Python with Jupyter found (tried python3, /usr/bin/python3, python): install jupyter-client (Debian: apt-get install jupyter-client) or pass --python PATH',
  );
}

/** Installs the kernel spec; returns the directory Jupyter installed it into. */
export function installKernel(opts: InstallOptions = {}): string {
  const python = findPython(opts.python);
  const dir = mkdtempSync(path.join(tmpdir(), 'stratolab-kernel-'));
  const specDir = path.join(dir, KERNEL_NAME);
  try {
    execFileSync('mkdir', ['-p', specDir]);
    writeFileSync(path.join(specDir, 'kernel.json'), JSON.stringify(kernelSpec(), null, 2));
    const args = ['-m', 'jupyter_client.kernelspecapp', 'install', specDir, '--name', KERNEL_NAME, '--replace'];
    if (opts.user) args.push('--user');
    if (opts.prefix) args.push('--prefix', path.resolve(opts.prefix));
    const out = spawnSync(python, args, { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`jupyter kernelspec install failed: ${(out.stderr || out.stdout).trim()}`);
    const m = /Installed kernelspec \S+ in (.+)/.exec(`${out.stdout}\n${out.stderr}`);
    return m ? m[1]!.trim() : '(installed)';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
