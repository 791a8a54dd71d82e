/**
 * The SSH source's pure parts: spec parsing, shell quoting (proved by sh
 * itself), ssh config resolution, known_hosts matching and the sysdig
 * command line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSshSpec } from '../../../src/sources/ssh/target.js';
import { shellJoin, shellQuote } from '../../../src/sources/ssh/shell-quote.js';
import { hostMatches, resolveHostConfig } from '../../../src/sources/ssh/ssh-config.js';
import { addKnownHost, checkHostKey, entryMatches, fingerprintSha256 } from '../../../src/sources/ssh/known-hosts.js';
import { sysdigArgv, sysdigCommand } from '../../../src/sources/ssh/remote-command.js';
import { keygen } from './sshd-fixture.js';
import { openRawFile, safeName, writeTarget } from '../../../src/sources/ssh/raw-file.js';
import { closeSync, readdirSync } from 'node:fs';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'sl-ssh-unit-'));

describe('ssh:// specs', () => {
  it('parses user, host and port; the label is host or host:port as typed', () => {
    expect(parseSshSpec('ssh://web1')).toMatchObject({ host: 'web1', label: 'web1' });
    expect(parseSshSpec('ssh://root@web1:2222')).toMatchObject({ user: 'root', host: 'web1', port: 2222, label: 'web1:2222' });
    expect(parseSshSpec('ssh://[::1]:22')).toMatchObject({ host: '::1', port: 22, label: '[::1]:22' });
  });
  it('rejects bad ports and empty hosts', () => {
    expect(() => parseSshSpec('ssh://web1:99999')).toThrow(/bad port/);
    expect(() => parseSshSpec('ssh://')).toThrow(/bad host/);
  });
});

describe('shell quoting', () => {
  const nasty = [`a'b`, `$(touch x)`, '`id`', 'a; rm -rf /', 'proc.name = "x" and fd.name contains \'y\'', '', ' ', '\\', '*', 'new\nline', "''"];
  it('sh yields every word back verbatim as one argument', () => {
    const line = shellJoin(['printf', '%s\\0', ...nasty]);
    const out = execFileSync('sh', ['-c', line]).toString('utf8');
    expect(out.split('\0').slice(0, -1)).toEqual(nasty);
  });
  it('leaves plain words unquoted', () => {
    expect(shellQuote('--write=-')).toBe('--write=-');
    expect(shellQuote('a b')).toBe(`'a b'`);
  });
});

describe('the sysdig invocation', () => {
  it('is sshdig\'s command line, the filter last', () => {
    expect(sysdigArgv({ filter: 'evt.type=open', count: 10, snaplen: 200, modernBpf: true, privilege: 'sudo' })).toEqual([
      'sudo', '-n', 'sysdig', '--unbuffered', '--write=-', '--modern-bpf', '--numevents=10', '--snaplen=200', 'evt.type=open',
    ]);
    expect(sysdigCommand({ filter: `proc.name = "a'b"` })).toBe(`sysdig --unbuffered --write=- 'proc.name = "a'\\''b"'`);
    expect(() => sysdigArgv({ count: -1 })).toThrow(/positive/);
  });
});

describe('ssh config', () => {
  it('matches Host patterns with *, ? and negation', () => {
    expect(hostMatches('web1.prod', ['web?.prod'])).toBe(true);
    expect(hostMatches('web12.prod', ['web?.prod'])).toBe(false);
    expect(hostMatches('db.prod', ['*.prod', '!db.*'])).toBe(false);
    expect(hostMatches('web.prod', ['*.prod', '!db.*'])).toBe(true);
  });
  it('resolves an alias: first value wins, IdentityFile accumulates, Host * applies last', () => {
    const dir = tmp();
    const cfg = path.join(dir, 'config');
    writeFileSync(cfg, [
      '# comment',
      'Host web1 web1.alias',
      '  HostName 10.0.0.5',
      '  User=admin',
      '  Port 2222',
      '  IdentityFile ~/.ssh/web_key',
      'Host web*',
      '  User ignored',
      '  IdentityFile "/keys/with space"',
      'Match host nothing',
      '  User nope',
      'Host *',
      '  Port 22',
      '  UserKnownHostsFile ~/kh %h',
      '',
    ].join('\n'));
    const c = resolveHostConfig('web1', { configFile: cfg, home: '/home/u' });
    expect(c).toMatchObject({ hostName: '10.0.0.5', user: 'admin', port: 2222 });
    expect(c.identityFiles).toEqual(['/home/u/.ssh/web_key', '/keys/with space']);
    expect(c.userKnownHostsFiles).toEqual(['/home/u/kh', '10.0.0.5']);
    const other = resolveHostConfig('db9', { configFile: cfg, home: '/home/u' });
    expect(other).toMatchObject({ port: 22 });
    expect(other.hostName).toBeUndefined();
  });
});

describe('ssh config Include', () => {
  it('follows Include (relative to ~/.ssh, with a glob) inside and outside Host blocks', () => {
    const home = tmp();
    const ssh = path.join(home, '.ssh');
    execFileSync('mkdir', ['-p', path.join(ssh, 'conf.d')]);
    writeFileSync(path.join(ssh, 'conf.d', 'a.conf'), 'Host jump*\n  User ops\n  Port 2200\n');
    writeFileSync(path.join(ssh, 'conf.d', 'b.conf'), 'Host *.corp\n  HostName %h.example.net\n');
    writeFileSync(path.join(ssh, 'config'), 'Include conf.d/*.conf\nHost *\n  User fallback\n');
    expect(resolveHostConfig('jump1', { home })).toMatchObject({ user: 'ops', port: 2200 });
    expect(resolveHostConfig('db.corp', { home })).toMatchObject({ user: 'fallback', hostName: 'db.corp.example.net' });
  });
});

describe('known_hosts', () => {
  const dir = tmp();
  keygen(path.join(dir, 'k1'));
  keygen(path.join(dir, 'k2'));
  const blob = (f: string) => Buffer.from(readFileSync(path.join(dir, `${f}.pub`), 'utf8').split(' ')[1]!, 'base64');
  const k1 = blob('k1');
  const k2 = blob('k2');

  it('fingerprints like ssh-keygen -l', () => {
    const line = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, 'k1.pub')]).toString();
    expect(line).toContain(fingerprintSha256(k1));
  });
  it('finds plain entries, [host]:port entries and hashed entries (ssh-keygen -H)', () => {
    const kh = path.join(dir, 'known_hosts');
    addKnownHost(kh, 'web1', 22, k1);
    addKnownHost(kh, '10.0.0.9', 2222, k1);
    expect(readFileSync(kh, 'utf8')).toContain('[10.0.0.9]:2222 ssh-ed25519 ');
    expect(checkHostKey([kh], 'web1', 22, k1).status).toBe('known');
    expect(checkHostKey([kh], '10.0.0.9', 2222, k1).status).toBe('known');
    expect(checkHostKey([kh], '10.0.0.9', 22, k1).status).toBe('unknown');
    execFileSync('ssh-keygen', ['-q', '-H', '-f', kh], { stdio: 'ignore' });
    expect(readFileSync(kh, 'utf8')).toMatch(/^\|1\|/);
    expect(checkHostKey([kh], 'web1', 22, k1).status).toBe('known');
    expect(checkHostKey([kh], '10.0.0.9', 2222, k1).status).toBe('known');
  });
  it('reports a changed key of the same type, and revoked keys', () => {
    const kh = path.join(dir, 'kh2');
    addKnownHost(kh, 'web1', 22, k1);
    const v = checkHostKey([kh], 'web1', 22, k2);
    expect(v).toMatchObject({ status: 'changed', fingerprint: fingerprintSha256(k2), line: 1 });
    writeFileSync(kh, `@revoked * ssh-ed25519 ${k2.toString('base64')}\n`, { flag: 'a' });
    expect(checkHostKey([kh], 'other', 22, k2).status).toBe('revoked');
  });
  it('matches comma lists and negations', () => {
    expect(entryMatches('a,b,[c]:2', '[c]:2')).toBe(true);
    expect(entryMatches('*.corp,!bad.corp', 'bad.corp')).toBe(false);
  });
});

describe('-w targets', () => {
  it('a .scap/.gz name is a file (one host only), anything else a directory', () => {
    expect(writeTarget('/x/web.scap', 1)).toEqual({ kind: 'file', file: '/x/web.scap' });
    expect(writeTarget('/x/caps', 1)).toEqual({ kind: 'dir', dir: '/x/caps' });
    expect(() => writeTarget('/x/web.scap', 2)).toThrow(/2 hosts need a directory/);
  });
  it('never overwrites, even for labels that sanitize alike', () => {
    const dir = tmp();
    const now = new Date('2026-01-01T00:00:00Z');
    const a = openRawFile({ kind: 'dir', dir }, 'web1:22', false, now);
    const b = openRawFile({ kind: 'dir', dir }, 'web1_22', false, now);
    closeSync(a.fd);
    closeSync(b.fd);
    expect(safeName('web1:22')).toBe('web1_22');
    expect(readdirSync(dir).sort()).toEqual(['web1_22_20260101T000000Z-1.scap', 'web1_22_20260101T000000Z.scap']);
  });
});
