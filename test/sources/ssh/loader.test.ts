/**
 * `load('ssh://...')` through the source registry, as `sl.load` and
 * `stratolab read ssh://...` do it.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needSharedData, needTool, sharedData, skip } from '../../helpers.js';
import { loadSources } from '../../../src/sources/index.js';
import { sshLoader, captureOptionsFrom } from '../../../src/sources/ssh/index.js';
import { startSshd, type Sshd } from './sshd-fixture.js';

const SAMPLE = sharedData('scap/sample.scap');

describe('sshLoader options', () => {
  it('matches ssh:// only', () => {
    expect(sshLoader.matches('ssh://web1')).toBe(true);
    expect(sshLoader.matches('web1.scap')).toBe(false);
  });
  it('maps LoadOptions to capture options', () => {
    expect(captureOptionsFrom({ limit: 10, sudo: true, identityFile: '/k' })).toMatchObject({ count: 10, privilege: 'sudo', identityFiles: ['/k'] });
  });
});

describe.skipIf(skip(needSharedData('scap'), needTool('/usr/sbin/sshd')))('load ssh://', () => {
  let s: Sshd;
  let opts: Record<string, unknown>;
  beforeAll(async () => {
    s = await startSshd({ dir: mkdtempSync(path.join(os.tmpdir(), 'sl-ssh-load-')) });
    opts = { identityFiles: [s.clientKey], knownHosts: s.knownHosts, sshConfig: null, agent: false, remoteCommand: `cat ${SAMPLE}` };
  });
  afterAll(() => s?.stop());

  it('loads a table with stats', async () => {
    const r = await loadSources(`ssh://root@127.0.0.1:${s.port}`, opts);
    expect(r.table.numRows()).toBe(402);
    expect(r.stats).toMatchObject({ objectsListed: 1, objectsFetched: 1, eventsRead: 402, bytes: 139584 });
  });

  it('a display filter (Wireshark or Falco syntax) keeps what sysdig keeps', async () => {
    const r = await loadSources(`ssh://root@127.0.0.1:${s.port}`, { ...opts, filter: 'evt.type == "nanosleep" && proc.name != "x"' });
    expect(r.table.numRows()).toBe(76); // sysdig -r sample.scap 'evt.type=nanosleep' | wc -l
    const f = await loadSources(`ssh://root@127.0.0.1:${s.port}`, { ...opts, filter: 'evt.type = nanosleep and not proc.name = x' });
    expect(f.table.numRows()).toBe(76);
  });

  it('limit stops the capture', async () => {
    const r = await loadSources(`ssh://root@127.0.0.1:${s.port}`, { ...opts, remoteCommand: `cat ${SAMPLE}; exec sleep 1000`, limit: 7 });
    expect(r.table.numRows()).toBe(7);
  });

  it('a host that cannot be used at all is an error naming it', async () => {
    await expect(loadSources(`ssh://root@127.0.0.1:${s.port}`, { ...opts, knownHosts: path.join(s.dir, 'none') })).rejects.toThrow(
      new RegExp(`127\\.0\\.0\\.1:${s.port}: host key of 127\\.0\\.0\\.1 port ${s.port} is not known`),
    );
  });
});
