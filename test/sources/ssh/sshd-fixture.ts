/**
 * A throwaway OpenSSH server on 127.0.0.1 for the SSH source tests: its own
 * host key, a client key in authorized_keys, a free port, a known_hosts file
 * with its key. Stopped by pid.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Sshd {
  port: number;
  dir: string;
  /** the client's private key (authorized as root) */
  clientKey: string;
  /** known_hosts with this server's key as [127.0.0.1]:port */
  knownHosts: string;
  /** the host public key line ("ssh-ed25519 AAAA…") */
  hostPub: string;
  proc: ChildProcess;
  log(): string;
  stop(): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export function keygen(file: string, type = 'ed25519', passphrase = ''): string {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', 'stratolab-test', '-f', file], { stdio: 'ignore' });
  return readFileSync(`${file}.pub`, 'utf8').trim();
}

export interface SshdOptions {
  /** extra sshd_config lines, e.g. ['SetEnv PATH=/x'] */
  extra?: string[];
  /** reuse this client key instead of generating one */
  clientKey?: string;
  /** directory to create the server files in */
  dir?: string;
}

async function waitListening(port: number, proc: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`sshd exited: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${port}: ${log()}`);
}

export async function startSshd(opts: SshdOptions = {}): Promise<Sshd> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'sl-sshd-'));
  const port = await freePort();
  const hostKey = path.join(dir, `host_key_${port}`);
  const hostPub = keygen(hostKey);
  let clientKey = opts.clientKey;
  if (!clientKey) {
    clientKey = path.join(dir, 'client_key');
    if (!existsSync(clientKey)) keygen(clientKey);
  }
  const authorized = path.join(dir, `authorized_keys_${port}`);
  writeFileSync(authorized, readFileSync(`${clientKey}.pub`, 'utf8'));
  const config = path.join(dir, `sshd_config_${port}`);
  writeFileSync(config, [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    `HostKey ${hostKey}`,
    `PidFile ${path.join(dir, `sshd_${port}.pid`)}`,
    `AuthorizedKeysFile ${authorized}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'LogLevel VERBOSE',
    ...(opts.extra ?? []),
    '',
  ].join('\n'));
  const knownHosts = path.join(dir, `known_hosts_${port}`);
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPub.split(' ').slice(0, 2).join(' ')}\n`);
  let logText = '';
  const proc = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr!.on('data', (d: Buffer) => { logText = (logText + d.toString()).slice(-20000); });
  const log = () => logText;
  await waitListening(port, proc, log);
  return {
    port, dir, clientKey, knownHosts, hostPub, proc, log,
    stop: () => {
      if (proc.pid && proc.exitCode === null) {
        try { process.kill(proc.pid, 'SIGTERM'); } catch { /* gone */ }
      }
    },
  };
}
