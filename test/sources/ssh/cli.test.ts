/**
 * `stratolab capture`: -w is required, Ctrl-C (SIGINT) stops the capture
 * cleanly (remote command terminated, events printed, the file kept), one
 * summary line per host on stderr.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needSharedData, needTool, repoRoot, sharedData, skip } from '../../helpers.js';
import { startSshd, type Sshd } from './sshd-fixture.js';
import { localEvents } from './local-rows.js';

const SAMPLE = sharedData('scap/cat_write.scap');

function runCapture(args: string[], interruptWhen?: () => boolean): Promise<{ code: number | null; out: string; err: string }> {
  const p = spawn(process.execPath, [
    '--import', 'tsx', '--input-type=module', '-e',
    "import {runCapture} from './src/cli/capture.ts'; import {describeFailure} from './src/cli/main.ts';" +
      'try { process.exitCode = await runCapture(process.argv.slice(1)) } catch (e) { const f = await describeFailure(e); console.error(f.message); process.exitCode = f.code }',
    ...args,
  ], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SSH_AUTH_SOCK: '' } });
  let out = '';
  let err = '';
  p.stdout!.on('data', (c) => (out += c));
  p.stderr!.on('data', (c) => (err += c));
  if (interruptWhen) {
    const poll = setInterval(() => {
      if (!interruptWhen()) return;
      clearInterval(poll);
      p.kill('SIGINT');
    }, 50);
    p.on('exit', () => clearInterval(poll));
  }
  return new Promise((resolve) => p.on('exit', (code) => resolve({ code, out, err })));
}

/** Running (not gone, not a zombie waiting to be reaped). */
function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  return readFileSync(stat, 'utf8').replace(/^.*\) /, '')[0] !== 'Z';
}

async function until(cond: () => boolean, ms = 30000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('stratolab capture usage', () => {
  it('needs -w', async () => {
    const r = await runCapture(['ssh://somewhere']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/needs -w DIR_OR_FILE/);
  }, 60000);
});

describe.skipIf(skip(needSharedData('scap'), needTool('/usr/sbin/sshd')))('stratolab capture over ssh', () => {
  let s: Sshd;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sl-ssh-cli-'));
    s = await startSshd({ dir });
  });
  afterAll(() => s?.stop());

  it('Ctrl-C stops cleanly: events printed, file written, exit 0', async () => {
    const out = path.join(dir, 'caps');
    const r = await runCapture([
      `ssh://root@127.0.0.1:${s.port}`, '-w', out, '-i', s.clientKey, '--known-hosts', s.knownHosts, '-F', 'none',
      '--remote-command', `cat ${SAMPLE}; exec sleep 1000`, '-T', 'fields', '-e', 'evt.num', '-e', 'evt.type', '-e', 'evt.hostname',
    ], () => {
      // once the whole capture is on disk
      const f = existsSync(out) ? readdirSync(out)[0] : undefined;
      return f !== undefined && statSync(path.join(out, f)).size === 12532;
    });
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(85);
    expect(lines[0]).toBe(`131\texecve\t127.0.0.1:${s.port}`);
    expect(r.err).toMatch(/stopping the capture/);
    expect(r.err).toMatch(new RegExp(`127\\.0\\.0\\.1:${s.port}: 85 events, 12532 bytes -> .*\\.scap\\.gz \\(stopped\\)`));
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    expect((await localEvents(path.join(out, files[0]!))).length).toBe(85);
  }, 60000);

  it('text output is sysdig\'s line for every event', async () => {
    const r = await runCapture([
      `ssh://root@127.0.0.1:${s.port}`, '-w', path.join(dir, 'text'), '-i', s.clientKey, '--known-hosts', s.knownHosts, '-F', 'none',
      '--remote-command', `cat ${SAMPLE}`,
    ]);
    expect(r.code).toBe(0);
    const want = execFileSync('sysdig', ['-r', SAMPLE]).toString();
    expect(r.out).toBe(want);
    // the raw file reads back with `stratolab read`, the same lines
    const file = path.join(dir, 'text', readdirSync(path.join(dir, 'text'))[0]!);
    const back = execFileSync(process.execPath, [path.join(repoRoot, 'bin/stratolab.js'), 'read', file], { cwd: repoRoot }).toString();
    expect(back).toBe(want);
  }, 60000);

  it('if stratolab dies (kill -9), the remote command does not outlive it', async () => {
    const pidFile = path.join(dir, 'orphan.pid');
    const p = spawn(process.execPath, [
      '--import', 'tsx', '--input-type=module', '-e',
      "import {runCapture} from './src/cli/capture.ts'; process.exitCode = await runCapture(process.argv.slice(1))",
      `ssh://root@127.0.0.1:${s.port}`, '-w', path.join(dir, 'orphan'), '-i', s.clientKey, '--known-hosts', s.knownHosts, '-F', 'none', '-q',
      '--remote-command', `echo $$ > ${pidFile}; cat ${SAMPLE}; exec sleep 1000`,
    ], { cwd: repoRoot, stdio: 'ignore', env: { ...process.env, SSH_AUTH_SOCK: '' } });
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    const remotePid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(remotePid)).toBe(true);
    p.kill('SIGKILL');
    await until(() => !alive(remotePid));
  }, 60000);

  it('a failing host: exit 1 and its reason on stderr', async () => {
    const r = await runCapture([
      `ssh://root@127.0.0.1:${s.port}`, '-w', path.join(dir, 'x.scap'), '-i', s.clientKey, '--known-hosts', path.join(dir, 'nothing'), '-F', 'none', '-q',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/host key of 127\.0\.0\.1 port \d+ is not known \(ssh-ed25519 SHA256:/);
    expect(existsSync(path.join(dir, 'x.scap'))).toBe(false);
  }, 60000);
});
