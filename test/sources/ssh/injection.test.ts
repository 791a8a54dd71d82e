/**
 * The filter is attacker-controlled text (copied from a log, a ticket, a
 * notebook parameter). It must reach the remote sysdig as one verbatim
 * argument, never as shell syntax. The remote "sysdig" here is a script that
 * records its argv and then replays a real capture.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needSharedData, needTool, sharedData, skip } from '../../helpers.js';
import { capture } from '../../../src/sources/ssh/capture.js';
import { startSshd, type Sshd } from './sshd-fixture.js';

describe.skipIf(skip(needSharedData('scap'), needTool('/usr/sbin/sshd')))('no shell injection through the filter', () => {
  let s: Sshd;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sl-ssh-inj-'));
    s = await startSshd({ dir });
  });
  afterAll(() => s?.stop());

  it('quotes, $(), backticks, ; and newlines arrive as one argument; nothing runs', async () => {
    const argvFile = path.join(dir, 'argv');
    const fake = path.join(dir, 'fake sysdig'); // a space in the path too
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\0' "$@" > '${argvFile}'\nexec cat '${sharedData('scap/cat_write.scap')}'\n`);
    chmodSync(fake, 0o755);
    const pwned = (n: number) => path.join(dir, `pwned${n}`);
    const filter =
      `proc.name = "it's" and fd.name = '$(touch ${pwned(1)})' or evt.type = \`touch ${pwned(2)}\`; touch ${pwned(3)} ` +
      `&& touch ${pwned(4)} | touch ${pwned(5)} $(touch ${pwned(6)}) "\`touch ${pwned(7)}\`" \\' '\n touch ${pwned(8)}`;
    const r = await capture(`ssh://root@127.0.0.1:${s.port}`, {
      identityFiles: [s.clientKey], knownHosts: s.knownHosts, sshConfig: null, agent: false,
      sysdigPath: fake, filter, count: 5, snaplen: 128,
    }).done;
    expect(r.failed).toEqual([]);
    expect(r.table.numRows()).toBe(5);
    const argv = readFileSync(argvFile, 'utf8').split('\0').slice(0, -1);
    expect(argv).toEqual(['--unbuffered', '--write=-', '--numevents=5', '--snaplen=128', filter]);
    for (let i = 1; i <= 8; i++) expect(existsSync(pwned(i)), `pwned${i}`).toBe(false);
  });
});
