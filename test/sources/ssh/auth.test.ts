/**
 * Who we talk to and as whom: known_hosts verification (unknown keys refused
 * with their SHA256 fingerprint, trust-on-first-use on request, changed keys
 * always refused), key files (wrong key, encrypted key with passphrase or a
 * prompt), ~/.ssh/config aliases, ssh-agent.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needSharedData, needTool, sharedData, skip } from '../../helpers.js';
import { capture, type CaptureOptions } from '../../../src/sources/ssh/capture.js';
import { keygen, startSshd, type Sshd } from './sshd-fixture.js';

const SAMPLE = sharedData('scap/cat_write.scap');

describe.skipIf(skip(needSharedData('scap'), needTool('/usr/sbin/sshd'), needTool('ssh-keygen')))('ssh authentication and host keys', () => {
  let s: Sshd;
  let dir: string;
  let base: CaptureOptions;
  let host: string;
  let fingerprint: string;
  const agents: ChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sl-ssh-auth-'));
    s = await startSshd({ dir });
    host = `ssh://root@127.0.0.1:${s.port}`;
    base = { identityFiles: [s.clientKey], knownHosts: s.knownHosts, sshConfig: null, agent: false, remoteCommand: `cat ${SAMPLE}` };
    const pub = path.join(dir, 'host.pub');
    writeFileSync(pub, s.hostPub + '\n');
    fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pub]).toString().split(' ')[1]!;
  });
  afterAll(() => {
    s?.stop();
    for (const a of agents) if (a.pid) process.kill(a.pid, 'SIGTERM');
  });

  it('connects with a known host key and the right key file', async () => {
    const r = await capture(host, base).done;
    expect(r.failed).toEqual([]);
    expect(r.table.numRows()).toBe(85);
  });

  it('a wrong key: a clear authentication error naming the host and the key offered', async () => {
    const wrong = path.join(dir, 'wrong_key');
    keygen(wrong);
    const r = await capture(host, { ...base, identityFiles: [wrong] }).done;
    expect(r.hosts[0]!.error!.kind).toBe('auth');
    expect(r.failed[0]!.reason).toBe(`127.0.0.1:${s.port}: authentication failed for root@127.0.0.1:${s.port} (offered: key ${wrong} (ssh-ed25519))`);
  });

  it('a dead ssh-agent is skipped (the key file is used); with nothing else to offer, the reason is given', async () => {
    const dead = path.join(dir, 'dead-agent.sock');
    const r = await capture(host, { ...base, agent: dead }).done;
    expect(r.failed).toEqual([]);
    const none = await capture(host, { ...base, agent: dead, identityFiles: [], home: dir }).done;
    expect(none.failed[0]!.reason).toBe(
      `127.0.0.1:${s.port}: no identity to offer: the ssh-agent at ${dead} does not answer, and no key file (-i, IdentityFile, ~/.ssh/id_*)`,
    );
  });

  it('a missing key file is named', async () => {
    const r = await capture(host, { ...base, identityFiles: [path.join(dir, 'nope')] }).done;
    expect(r.failed[0]!.reason).toMatch(/identity file .*nope does not exist/);
  });

  it('an unknown host key is refused with its SHA256 fingerprint; TOFU accepts and records it', async () => {
    const kh = path.join(dir, 'empty_known_hosts');
    const r = await capture(host, { ...base, knownHosts: kh }).done;
    expect(r.hosts[0]!.error!.kind).toBe('hostkey');
    expect(r.failed[0]!.reason).toContain(`host key of 127.0.0.1 port ${s.port} is not known (ssh-ed25519 ${fingerprint})`);
    expect(existsSync(kh)).toBe(false);
    const tofu = await capture(host, { ...base, knownHosts: kh, acceptNewHostKeys: true }).done;
    expect(tofu.failed).toEqual([]);
    expect(tofu.table.numRows()).toBe(85);
    expect(readFileSync(kh, 'utf8')).toBe(`[127.0.0.1]:${s.port} ${s.hostPub.split(' ').slice(0, 2).join(' ')}\n`);
    const again = await capture(host, { ...base, knownHosts: kh }).done;
    expect(again.failed).toEqual([]);
  });

  it('a changed host key is always refused, even with TOFU', async () => {
    const other = path.join(dir, 'other_host_key');
    const otherPub = keygen(other);
    const kh = path.join(dir, 'changed_known_hosts');
    writeFileSync(kh, `# old\n[127.0.0.1]:${s.port} ${otherPub.split(' ').slice(0, 2).join(' ')}\n`);
    const before = readFileSync(kh, 'utf8');
    const r = await capture(host, { ...base, knownHosts: kh, acceptNewHostKeys: true }).done;
    expect(r.hosts[0]!.error!.kind).toBe('hostkey');
    expect(r.failed[0]!.reason).toContain(`REMOTE HOST KEY CHANGED for 127.0.0.1 port ${s.port}: it now presents ssh-ed25519 ${fingerprint}, which differs from ${kh}:2`);
    expect(readFileSync(kh, 'utf8')).toBe(before);
    expect(r.table.numRows()).toBe(0);
  });

  it('a hashed known_hosts entry (ssh-keygen -H) is recognized', async () => {
    const kh = path.join(dir, 'hashed_known_hosts');
    writeFileSync(kh, readFileSync(s.knownHosts));
    execFileSync('ssh-keygen', ['-q', '-H', '-f', kh], { stdio: 'ignore' });
    expect(readFileSync(kh, 'utf8')).toMatch(/^\|1\|/);
    const r = await capture(host, { ...base, knownHosts: kh }).done;
    expect(r.failed).toEqual([]);
  });

  it('an encrypted key: with the passphrase option, or asked for; a wrong passphrase is named', async () => {
    const enc = path.join(dir, 'enc_key');
    keygen(enc, 'ed25519', 'correct horse');
    const s2 = await startSshd({ dir, clientKey: enc });
    try {
      const h = `ssh://root@127.0.0.1:${s2.port}`;
      const o = { ...base, knownHosts: s2.knownHosts, identityFiles: [enc] };
      expect((await capture(h, { ...o, passphrase: 'correct horse' }).done).failed).toEqual([]);
      const asked: string[] = [];
      const r = await capture(h, { ...o, askPassphrase: async (f) => (asked.push(f), 'correct horse') }).done;
      expect(r.failed).toEqual([]);
      expect(asked).toEqual([enc]);
      const bad = await capture(h, { ...o, passphrase: 'wrong' }).done;
      expect(bad.failed[0]!.reason).toMatch(/cannot use identity file .*enc_key: it is encrypted and no \(or a wrong\) passphrase was given/);
      // two hosts, one key: asked once
      const s3 = await startSshd({ dir, clientKey: enc });
      try {
        const kh = path.join(dir, 'kh_enc_two');
        writeFileSync(kh, readFileSync(s2.knownHosts, 'utf8') + readFileSync(s3.knownHosts, 'utf8'));
        const prompts: string[] = [];
        const two = await capture([h, `ssh://root@127.0.0.1:${s3.port}`], {
          ...o, knownHosts: kh, askPassphrase: async (f) => (prompts.push(f), 'correct horse'),
        }).done;
        expect(two.failed).toEqual([]);
        expect(two.table.numRows()).toBe(170);
        expect(prompts).toEqual([enc]);
      } finally {
        s3.stop();
      }
    } finally {
      s2.stop();
    }
  });

  it('~/.ssh/config aliases: HostName, User, Port, IdentityFile, UserKnownHostsFile; evt.hostname is the alias', async () => {
    const cfg = path.join(dir, 'ssh_config');
    writeFileSync(cfg, [
      'Host web-*',
      '  HostName 127.0.0.1',
      '  User root',
      `  Port ${s.port}`,
      `  IdentityFile ${s.clientKey}`,
      `  UserKnownHostsFile ${s.knownHosts}`,
      '',
    ].join('\n'));
    const r = await capture('ssh://web-prod1', { sshConfig: cfg, agent: false, remoteCommand: `cat ${SAMPLE}` }).done;
    expect(r.failed).toEqual([]);
    expect(new Set(r.table.array('evt.hostname'))).toEqual(new Set(['web-prod1']));
  });

  it('through a jump host (ProxyJump in ~/.ssh/config, or the jump option), host keys checked on both', async () => {
    const j = await startSshd({ dir, clientKey: s.clientKey });
    try {
      const kh = path.join(dir, 'jump_known_hosts');
      writeFileSync(kh, readFileSync(s.knownHosts, 'utf8') + readFileSync(j.knownHosts, 'utf8'));
      const cfg = path.join(dir, 'jump_config');
      writeFileSync(cfg, [
        'Host inner',
        '  HostName 127.0.0.1',
        `  Port ${s.port}`,
        `  ProxyJump root@127.0.0.1:${j.port}`,
        'Host *',
        '  User root',
        `  IdentityFile ${s.clientKey}`,
        `  UserKnownHostsFile ${kh}`,
        '',
      ].join('\n'));
      const r = await capture('ssh://inner', { sshConfig: cfg, agent: false, remoteCommand: `cat ${SAMPLE}` }).done;
      expect(r.failed).toEqual([]);
      expect(r.table.numRows()).toBe(85);
      expect(j.log()).toMatch(/Accepted publickey for root/);
      const viaOption = await capture(host, { ...base, knownHosts: kh, jump: `root@127.0.0.1:${j.port}` }).done;
      expect(viaOption.failed).toEqual([]);
      // the jump host's key is checked too
      const bad = await capture(host, { ...base, knownHosts: s.knownHosts, jump: `root@127.0.0.1:${j.port}` }).done;
      expect(bad.failed[0]!.reason).toMatch(new RegExp(`^127\\.0\\.0\\.1:${s.port}: via jump host 127\\.0\\.0\\.1:${j.port}: host key of 127\\.0\\.0\\.1 port ${j.port} is not known`));
    } finally {
      j.stop();
    }
  });

  it.skipIf(skip(needTool('ssh-agent'), needTool('ssh-add')))('ssh-agent (SSH_AUTH_SOCK)', async () => {
    const sock = path.join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    agents.push(agent);
    for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
    execFileSync('ssh-add', [s.clientKey], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    const r = await capture(host, { ...base, identityFiles: [], agent: sock, home: dir }).done;
    expect(r.failed).toEqual([]);
    expect(r.table.numRows()).toBe(85);
  });
});
