/**
 * Live capture over SSH against real sshd servers on loopback, the remote
 * side replaying real captures with `cat` and the real sysdig: the table is
 * the capture read locally, hosts merge by time, the raw stream reads back,
 * stops are clean, failures keep what was read and name the host.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needSharedData, needTool, sharedData, skip } from '../../helpers.js';
import { capture, type CaptureOptions } from '../../../src/sources/ssh/capture.js';
import { loadScap, SCAP_COLUMNS } from '../../../src/sources/scap/load.js';
import { withFields } from '../../../src/frames/table.js';
import { freePort, startSshd, type Sshd } from './sshd-fixture.js';
import { localEvents, tableEvents } from './local-rows.js';

const SAMPLE = sharedData('scap/sample.scap');
const SYSDIG = '/usr/bin/sysdig';

describe.skipIf(skip(needSharedData('scap'), needTool('/usr/sbin/sshd'), needTool('sysdig')))('ssh capture', () => {
  let a: Sshd;
  let b: Sshd;
  let noSysdig: Sshd;
  let dir: string;
  let base: CaptureOptions;
  const hostA = () => `ssh://root@127.0.0.1:${a.port}`;
  const hostB = () => `ssh://root@127.0.0.1:${b.port}`;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sl-ssh-cap-'));
    a = await startSshd({ dir });
    b = await startSshd({ dir, clientKey: a.clientKey });
    noSysdig = await startSshd({ dir, clientKey: a.clientKey, extra: ['SetEnv PATH=/nonexistent'] });
    const kh = path.join(dir, 'known_hosts_all');
    writeFileSync(kh, [a, b, noSysdig].map((s) => readFileSync(s.knownHosts, 'utf8')).join(''));
    base = { identityFiles: [a.clientKey], knownHosts: kh, sshConfig: null, agent: false };
  });
  afterAll(() => {
    for (const s of [a, b, noSysdig]) s?.stop();
  });

  it('`cat FILE` on the remote side gives the events of reading FILE locally', async () => {
    const r = await capture(hostA(), { ...base, remoteCommand: `cat ${SAMPLE}` }).done;
    expect(r.failed).toEqual([]);
    const want = await localEvents(SAMPLE);
    expect(want.length).toBe(402); // sysdig -r sample.scap | wc -l
    expect(tableEvents(r.table)).toEqual(want);
    expect(new Set(r.table.array('evt.hostname'))).toEqual(new Set([`127.0.0.1:${a.port}`]));
    expect(r.hosts[0]).toMatchObject({ state: 'done', events: 402, exit: { code: 0 } });
    // the same table as the scap loader gives for the file, column by column (but evt.hostname)
    const local = (await loadScap([SAMPLE])).table;
    for (const col of SCAP_COLUMNS) {
      if (col === 'raw' || col === 'evt.hostname') continue;
      expect(r.table.array(col), col).toEqual(local.array(col));
    }
    // and every other field, lazily from raw, as for the file
    for (const f of ['evt.args', 'proc.pname', 'fd.name', 'evt.info']) {
      expect(withFields(r.table, [f]).array(f), f).toEqual(withFields(local, [f]).array(f));
    }
  });

  it('a capture rich in processes, fds and sockets (curl_google, gzip) gives the scap loader\'s table', async () => {
    const file = sharedData('scap/curl_google.scap');
    const r = await capture(hostA(), { ...base, remoteCommand: `cat ${file}` }).done;
    const local = (await loadScap([file])).table;
    expect(r.table.numRows()).toBe(1221);
    for (const col of SCAP_COLUMNS) {
      if (col === 'raw' || col === 'evt.hostname') continue;
      expect(r.table.array(col), col).toEqual(local.array(col));
    }
    const lazy = ['evt.args', 'fd.sip', 'fd.sport', 'fd.cip', 'proc.aname[1]', 'evt.arg[fd]'];
    expect(withFields(r.table, lazy).select(lazy).objects()).toEqual(withFields(local, lazy).select(lazy).objects());
  });

  it('the real sysdig as the remote side (`sysdig -r FILE -w - FILTER`, filter server-side) equals sysdig run locally', async () => {
    const filter = 'evt.type in (nanosleep, futex, write) and proc.name != "x"';
    const r = await capture(hostA(), { ...base, remoteCommand: `${SYSDIG} -r ${SAMPLE} -w - '${filter}'` }).done;
    expect(r.failed).toEqual([]);
    const localFile = path.join(dir, 'filtered-local.scap');
    execFileSync(SYSDIG, ['-r', SAMPLE, '-w', localFile, filter], { stdio: 'ignore' });
    const want = await localEvents(localFile);
    expect(want.length).toBeGreaterThan(0);
    expect(tableEvents(r.table)).toEqual(want);
    const lines = execFileSync(SYSDIG, ['-r', SAMPLE, filter]).toString().trim().split('\n').length;
    expect(r.table.numRows()).toBe(lines);
  });

  it('the sysdig invocation itself, with a Wireshark-syntax filter translated for sysdig (sysdig replays a file)', async () => {
    // "sysdig" on the remote host: the real one, reading a capture instead of the kernel
    const fake = path.join(dir, 'sysdig-replay');
    writeFileSync(fake, `#!/bin/sh\nexec ${SYSDIG} -r ${SAMPLE} "$@"\n`, { mode: 0o755 });
    const r = await capture(hostA(), { ...base, sysdigPath: fake, filter: 'evt.type in {"nanosleep" "futex"} || fd.sport == 80' }).done;
    expect(r.failed).toEqual([]);
    expect(r.table.numRows()).toBe(106); // sysdig -r sample.scap 'evt.type in (nanosleep, futex) or fd.sport = 80' | wc -l
    expect(new Set(r.table.array('evt.type'))).toEqual(new Set(['nanosleep', 'futex']));
    const bad = await capture(hostA(), { ...base, sysdigPath: fake, filter: 'evt.type = = nanosleep' }).done;
    expect(bad.hosts[0]!.error!.kind).toBe('command');
    expect(bad.failed[0]!.reason).toMatch(/remote command exited with status 1: .*filter/i);
  });

  it('with --remote-command the filter applies locally (sysdig did not run it)', async () => {
    const cap = capture(hostA(), { ...base, remoteCommand: `cat ${SAMPLE}`, filter: 'evt.type == "nanosleep"' });
    const r = await cap.done;
    expect(r.table.numRows()).toBe(76);
    expect(cap.events).toBe(76); // only matching events are kept
    expect(r.hosts[0]!.bytes).toBe(139584); // all were read
    // -c N counts matching events
    const five = await capture(hostA(), { ...base, remoteCommand: `cat ${SAMPLE}; exec sleep 1000`, filter: 'evt.type == "nanosleep"', count: 5 }).done;
    expect(five.table.numRows()).toBe(5);
    expect(new Set(five.table.array('evt.type'))).toEqual(new Set(['nanosleep']));
    // evt.hostname is the host's name for the filter too
    const named = await capture(hostA(), { ...base, remoteCommand: `cat ${SAMPLE}`, filter: `evt.hostname == "127.0.0.1:${a.port}" && evt.type == "futex"` }).done;
    expect(named.table.numRows()).toBe(30);
  });

  it('two hosts at once: one table merged by time, evt.hostname as the user named each host', async () => {
    const r = await capture([hostA(), hostB()], { ...base, remoteCommand: `cat ${SAMPLE}` }).done;
    expect(r.failed).toEqual([]);
    expect(r.table.numRows()).toBe(804);
    const hosts = r.table.array('evt.hostname') as string[];
    const ts = r.table.array('evt.rawtime') as bigint[];
    for (let i = 1; i < ts.length; i++) expect(ts[i]! >= ts[i - 1]!).toBe(true);
    expect(hosts.filter((h) => h === `127.0.0.1:${a.port}`).length).toBe(402);
    expect(hosts.filter((h) => h === `127.0.0.1:${b.port}`).length).toBe(402);
    // the same capture on both: events interleave host by host
    expect(hosts.slice(0, 4)).toEqual([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`, `127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]);
    expect(tableEvents(r.table, `127.0.0.1:${b.port}`)).toEqual(await localEvents(SAMPLE));
  });

  it('-w DIR writes each host\'s raw stream as it arrives; the files read back (here and with sysdig)', async () => {
    const out = path.join(dir, 'raw');
    const r = await capture([hostA(), hostB()], { ...base, remoteCommand: `cat ${SAMPLE}`, write: out }).done;
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(2);
    expect(files.map((f) => f.replace(/_\d{8}T\d{6}Z.*$/, ''))).toEqual([`127.0.0.1_${a.port}`, `127.0.0.1_${b.port}`].sort());
    for (const h of r.hosts) {
      expect(h.file && existsSync(h.file)).toBe(true);
      expect(readFileSync(h.file!).equals(readFileSync(SAMPLE))).toBe(true);
      expect(await localEvents(h.file!)).toEqual(tableEvents(r.table, h.host));
      expect(execFileSync(SYSDIG, ['-r', h.file!]).toString().trim().split('\n').length).toBe(402);
    }
  });

  it('-w FILE for one host', async () => {
    const file = path.join(dir, 'one', 'web.scap');
    const r = await capture(hostA(), { ...base, remoteCommand: `cat ${SAMPLE}`, write: file }).done;
    expect(r.hosts[0]!.file).toBe(file);
    expect((await localEvents(file)).length).toBe(402);
  });

  it('a duration stops the remote command cleanly: the events so far are kept, the process is gone', async () => {
    const pidFile = path.join(dir, 'remote.pid');
    const started = Date.now();
    const r = await capture(hostA(), { ...base, remoteCommand: `echo $$ > ${pidFile}; cat ${SAMPLE}; exec sleep 1000`, duration: '3s' }).done;
    expect(Date.now() - started).toBeLessThan(12000);
    expect(r.failed).toEqual([]);
    // everything that arrived before the stop (all of it, unless the machine is very slow)
    const all = await localEvents(SAMPLE);
    expect(r.table.numRows()).toBeGreaterThan(0);
    expect(tableEvents(r.table)).toEqual(all.slice(0, r.table.numRows()));
    expect(r.hosts[0]!.exit).toMatchObject({ stopped: true });
    expectGone(Number(readFileSync(pidFile, 'utf8')));
  });

  it('an AbortSignal (a kernel interrupt) stops it the same way, and so does stop()', async () => {
    const ac = new AbortController();
    const cap = capture(hostA(), { ...base, remoteCommand: `cat ${SAMPLE}; exec sleep 1000`, signal: ac.signal });
    await waitFor(() => cap.events === 402);
    expect(cap.table().numRows()).toBe(402); // the live snapshot
    expect(cap.statusText()).toMatch(/^127\.0\.0\.1:\d+\s+capturing\s+402 events\s+136\.3 KB$/);
    ac.abort();
    const r = await cap.done;
    expect(cap.statusText()).toMatch(/^127\.0\.0\.1:\d+\s+stopped\s+402 events/);
    expect(r.hosts[0]!.exit!.stopped).toBe(true);
    const cap2 = capture(hostA(), { ...base, remoteCommand: `cat ${SAMPLE}; exec sleep 1000` });
    await waitFor(() => cap2.events === 402);
    const r2 = await cap2.stop();
    expect(r2.failed).toEqual([]);
  });

  it('in the notebook kernel, interrupting the cell that started the capture stops it', async () => {
    const g = globalThis as { __stratolab_signal__?: AbortSignal };
    const cell = new AbortController();
    g.__stratolab_signal__ = cell.signal;
    try {
      const cap = capture(hostA(), { ...base, remoteCommand: `cat ${SAMPLE}; exec sleep 1000` });
      await waitFor(() => cap.events === 402);
      cell.abort(new Error('interrupted'));
      const r = await cap.done;
      expect(r.hosts[0]!.exit!.stopped).toBe(true);
      expect(r.table.numRows()).toBe(402);
    } finally {
      delete g.__stratolab_signal__;
    }
  });

  it('-c N stops each host after N events', async () => {
    const r = await capture(hostA(), { ...base, remoteCommand: `cat ${SAMPLE}; exec sleep 1000`, count: 25 }).done;
    expect(r.table.numRows()).toBe(25);
    expect(tableEvents(r.table)).toEqual((await localEvents(SAMPLE)).slice(0, 25));
  });

  it('a remote command exiting non-zero mid-stream: events before are kept, status 3 and stderr reported', async () => {
    const n = 120000;
    const full = execFileSync(SYSDIG, ['-r', SAMPLE, '-w', '-']);
    const want = await localEvents(full.subarray(0, n), 'warn');
    expect(want.length).toBeGreaterThan(10);
    expect(want.length).toBeLessThan(402);
    const warnings: string[] = [];
    const r = await capture(hostA(), {
      ...base,
      remoteCommand: `${SYSDIG} -r ${SAMPLE} -w - | head -c ${n}; echo 'disk on fire' >&2; exit 3`,
      onWarning: (w) => warnings.push(w.message),
    }).done;
    expect(tableEvents(r.table)).toEqual(want);
    expect(r.hosts[0]!.exit!.code).toBe(3);
    expect(r.hosts[0]!.error!.message).toMatch(/exited with status 3 after 120000 bytes: .*disk on fire/);
    expect(r.failed[0]!.key).toBe(`127.0.0.1:${a.port}`);
    expect(warnings.join('\n')).toMatch(/status 3.*events read before are kept/);
  });

  it('the connection dropping mid-stream: events before are kept, the loss is reported', async () => {
    // the remote command kills its own sshd session process (found by walking up /proc)
    const killSession = 'p=$$; while [ "$(cat /proc/$p/comm)" != sshd ]; do p=$(cut -d" " -f4 /proc/$p/stat); done; kill -9 $p';
    const r = await capture(hostA(), { ...base, remoteCommand: `cat ${SAMPLE}; sleep 0.5; ${killSession}; sleep 5` }).done;
    expect(r.table.numRows()).toBe(402);
    expect(r.hosts[0]!.error!.kind).toBe('network');
    expect(r.failed[0]!.reason).toMatch(/connection lost before the remote command reported an exit status \(after 139584 bytes\)/);
  });

  it('a remote command that writes something else than scap: a clear stream error', async () => {
    const r = await capture(hostA(), { ...base, remoteCommand: 'echo hello; echo world' }).done;
    expect(r.hosts[0]!.error!.kind).toBe('stream');
    expect(r.failed[0]!.reason).toBe(
      `127.0.0.1:${a.port}: the remote output is not a readable scap stream: not a scap capture: the first block type is 0x6c6c6568, not a section header block (at byte offset 0)`,
    );
  });

  it('a stream error while the remote still has data pending: the channel is drained, the capture ends', async () => {
    const r = await capture(hostA(), { ...base, remoteCommand: `echo hello; sleep 0.3; cat ${SAMPLE} ${SAMPLE}; sleep 0.3` }).done;
    expect(r.hosts[0]!.error!.kind).toBe('stream');
    expect(r.hosts[0]!.state).toBe('failed');
  });

  it('sysdig missing on the remote host: a clear message naming the host and the command', async () => {
    const r = await capture(`ssh://root@127.0.0.1:${noSysdig.port}`, { ...base, filter: 'evt.type=open' }).done;
    expect(r.table.numRows()).toBe(0);
    expect(r.hosts[0]!.error!.kind).toBe('command');
    expect(r.failed[0]!.reason).toMatch(new RegExp(`^127\\.0\\.0\\.1:${noSysdig.port}: command not found on the remote host: sysdig \\(exit status 127\\)`));
  });

  it('a missing file is not a missing command', async () => {
    const r = await capture(hostA(), { ...base, remoteCommand: 'cat /nonexistent/capture.scap' }).done;
    expect(r.failed[0]!.reason).toMatch(/remote command exited with status 1: cat: \/nonexistent\/capture\.scap: No such file or directory$/);
  });

  it.skipIf(skip(needTool('sudo')))('sysdig missing under --sudo is named too', async () => {
    const r = await capture(hostA(), { ...base, privilege: 'sudo', sysdigPath: '/nonexistent/sysdig' }).done;
    expect(r.failed[0]!.reason).toMatch(/command not found on the remote host: \/nonexistent\/sysdig/);
  });

  it('a disk that fails (-w /dev/full) does not end the capture: a loud warning, the events are kept', async () => {
    const warnings: string[] = [];
    const r = await capture(hostA(), { ...base, remoteCommand: `cat ${SAMPLE}`, write: '/dev/full', onWarning: (w) => warnings.push(w.message) }).done;
    expect(r.failed).toEqual([]);
    expect(r.table.numRows()).toBe(402);
    expect(warnings.join('\n')).toMatch(/cannot write the raw stream to \/dev\/full: ENOSPC.*the capture goes on in memory only/);
  });

  it('one host failing (nothing listening) does not stop the others', async () => {
    const dead = await freePort();
    const r = await capture([hostA(), `ssh://root@127.0.0.1:${dead}`], { ...base, remoteCommand: `cat ${SAMPLE}` }).done;
    expect(r.table.numRows()).toBe(402);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]!.key).toBe(`127.0.0.1:${dead}`);
    expect(r.failed[0]!.reason).toMatch(/cannot connect to root@127\.0\.0\.1:\d+: ECONNREFUSED/);
  });
});

function expectGone(pid: number): void {
  // gone, or a zombie waiting for init to reap it
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return;
  const state = readFileSync(stat, 'utf8').replace(/^.*\) /, '')[0];
  expect(state).toBe('Z');
}

async function waitFor(cond: () => boolean, ms = 30000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
