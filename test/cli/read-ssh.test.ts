/**
 * `stratolab read ssh://...`: the read command hands ssh:// sources to the
 * live capture (remote filter, -c stop, raw stream kept with -w), printing
 * like any other read. Uses the ssh source's loopback sshd fixture.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needSharedData, needTool, sharedData, skip } from '../helpers.js';
import { startSshd, type Sshd } from '../sources/ssh/sshd-fixture.js';
import { lines, stratolab } from './run-cli.js';

const SAMPLE = sharedData('scap/cat_write.scap');

describe.skipIf(skip(needSharedData('scap'), needTool('/usr/sbin/sshd'), needTool('sysdig')))('stratolab read ssh://', () => {
  let s: Sshd;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sl-read-ssh-'));
    s = await startSshd({ dir });
  });
  afterAll(() => s?.stop());

  const ssh = () => [`ssh://root@127.0.0.1:${s.port}`, '-i', s.clientKey, '--known-hosts', s.knownHosts, '-F', 'none', '--remote-command', `cat ${SAMPLE}`];

  it('prints sysdig lines, keeps the raw stream with -w', () => {
    const out = path.join(dir, 'caps');
    const r = stratolab(['read', ...ssh(), '-w', out], { env: { SSH_AUTH_SOCK: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(execFileSync('sysdig', ['-r', SAMPLE]).toString());
    expect(readdirSync(out)).toHaveLength(1);
  }, 60_000);

  it('-Y and -T fields; -c', () => {
    const r = stratolab(['read', ...ssh(), '-Y', 'evt.type = openat or evt.type = open', '-e', 'evt.num', '-e', 'fd.name'], { env: { SSH_AUTH_SOCK: '' } });
    expect(r.code, r.stderr).toBe(0);
    const want = lines(execFileSync('sysdig', ['-r', SAMPLE, '-p', '*%evt.num\t%fd.name', 'evt.type=openat or evt.type=open']).toString());
    // sysdig prints <NA> for an absent field, -T fields an empty value
    expect(lines(r.stdout), r.stderr).toEqual(want.map((l) => l.replace(/<NA>$/, '')));
    const two = stratolab(['read', ...ssh(), '-c', '2', '-e', 'evt.num'], { env: { SSH_AUTH_SOCK: '' } });
    expect(lines(two.stdout)).toEqual(lines(execFileSync('sysdig', ['-r', SAMPLE, '-p', '%evt.num']).toString()).slice(0, 2));
  }, 60_000);
});
