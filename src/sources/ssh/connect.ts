/**
 * Opens an authenticated SSH connection to one target: resolves the alias
 * with ~/.ssh/config, verifies the host key against known_hosts (refusing
 * unknown keys unless trust-on-first-use was asked for, and changed keys
 * always), and authenticates with the agent or key files.
 */
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import type { Client as ClientType, ConnectConfig } from 'ssh2';
import { collectIdentities, identityAuthHandler, type AuthOptions } from './auth.js';
import { SshSourceError } from './errors.js';
import { addKnownHost, checkHostKey, knownKeyTypes, type HostKeyVerdict } from './known-hosts.js';
import { resolveHostConfig } from './ssh-config.js';
import { parseSshSpec, type SshTarget } from './target.js';

const { Client } = ssh2;

export interface ConnectOptions extends AuthOptions {
  /** ssh client config file; default ~/.ssh/config; null reads none */
  sshConfig?: string | null;
  /** known_hosts file(s); default the config's UserKnownHostsFile or ~/.ssh/known_hosts */
  knownHosts?: string | readonly string[];
  /** trust-on-first-use: accept and record an unknown host key (a changed key is still refused) */
  acceptNewHostKeys?: boolean;
  /** handshake timeout in ms (default 20000) */
  readyTimeout?: number;
  /** ssh2 debug lines */
  debug?: (line: string) => void;
  /** jump hosts (`[user@]host[:port]`, comma-separated or a list), like ssh -J; default the config's ProxyJump */
  jump?: string | readonly string[];
}

/** Where a target actually goes after ~/.ssh/config. */
export interface ResolvedTarget {
  label: string;
  host: string;
  port: number;
  username: string;
  identityFiles: string[];
  identitiesOnly: boolean;
  knownHostsFiles: string[];
  acceptNew: boolean;
  /** jump hosts to go through, in order */
  jump: string[];
}

const ALL_HOST_KEY_ALGOS = [
  'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa',
];

export function resolveTarget(target: SshTarget, opts: ConnectOptions = {}): ResolvedTarget {
  const home = opts.home ?? os.homedir();
  const cfg = resolveHostConfig(target.host, { configFile: opts.sshConfig, home });
  const knownHostsFiles = opts.knownHosts !== undefined
    ? (typeof opts.knownHosts === 'string' ? [opts.knownHosts] : [...opts.knownHosts])
    : (cfg.userKnownHostsFiles ?? [path.join(home, '.ssh', 'known_hosts')]);
  return {
    label: target.label,
    host: cfg.hostName ?? target.host,
    port: target.port ?? cfg.port ?? 22,
    username: target.user ?? cfg.user ?? localUser(),
    identityFiles: cfg.identityFiles,
    identitiesOnly: cfg.identitiesOnly ?? false,
    knownHostsFiles,
    acceptNew: opts.acceptNewHostKeys ?? cfg.strictHostKeyChecking === 'accept-new',
    jump: opts.jump !== undefined ? jumpList(opts.jump) : (cfg.proxyJump ?? []),
  };
}

function jumpList(j: string | readonly string[]): string[] {
  return (typeof j === 'string' ? j.split(',') : [...j]).map((h) => h.trim()).filter((h) => h && h.toLowerCase() !== 'none');
}

function localUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}

/** Host key algorithms with the ones known_hosts holds for this host first, as ssh orders them. */
function hostKeyAlgorithms(known: readonly string[]): string[] {
  const first = known.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]))
    .filter((a) => ALL_HOST_KEY_ALGOS.includes(a));
  return [...new Set([...first, ...ALL_HOST_KEY_ALGOS])];
}

function hostKeyMessage(r: ResolvedTarget, v: HostKeyVerdict): string {
  const where = `${r.host}${r.port === 22 ? '' : ` port ${r.port}`}`;
  switch (v.status) {
    case 'unknown':
      return `host key of ${where} is not known (${v.keyType} ${v.fingerprint}` +
        `${v.otherTypes.length ? `; known_hosts has only ${v.otherTypes.join(', ')} keys for it` : ''}). ` +
        `Check the fingerprint out of band, then add it to ${r.knownHostsFiles[0]} ` +
        `(or accept it once with --accept-new-host-key / acceptNewHostKeys: true)`;
    case 'changed':
      return `REMOTE HOST KEY CHANGED for ${where}: it now presents ${v.keyType} ${v.fingerprint}, ` +
        `which differs from ${v.file}:${v.line}. Someone could be intercepting the connection; ` +
        `refusing (remove the old entry if the change is legitimate)`;
    case 'revoked':
      return `host key ${v.fingerprint} of ${where} is marked @revoked in ${v.file}:${v.line}; refusing`;
    case 'known':
      return 'host key known';
  }
}

/**
 * A TCP stream to host:port through the jump hosts (each one an SSH
 * connection of its own, host key checked, opened through the previous
 * one), as `ssh -J`; `close` ends them all.
 */
async function throughJumps(r: ResolvedTarget, opts: ConnectOptions, depth: number): Promise<{ sock: NodeJS.ReadWriteStream; close(): void } | undefined> {
  if (!r.jump.length) return undefined;
  if (depth > 8) throw new SshSourceError(r.label, 'config', 'ProxyJump loops (more than 8 hops)');
  const hops = r.jump.map((h) => parseSshSpec(h.startsWith('ssh://') ? h : `ssh://${h}`));
  // the last hop is reached through the ones before it, like ssh -J a,b target
  const last = hops[hops.length - 1]!;
  const before = hops.slice(0, -1).map((h) => h.spec);
  let hop: { client: ClientType; resolved: ResolvedTarget };
  try {
    hop = await connectTarget(last, { ...opts, jump: before }, depth + 1);
  } catch (err) {
    const e = err as SshSourceError;
    throw new SshSourceError(r.label, e.kind ?? 'network', `via jump host ${last.label}: ${e.reason ?? e.message}`, { cause: err });
  }
  const sock = await new Promise<NodeJS.ReadWriteStream>((resolve, reject) => {
    hop.client.forwardOut('127.0.0.1', 0, r.host, r.port, (err, stream) => {
      if (err) {
        hop.client.end();
        reject(new SshSourceError(r.label, 'network', `jump host ${last.label} cannot reach ${r.host}:${r.port}: ${err.message}`, { cause: err }));
      } else resolve(stream);
    });
  });
  return { sock, close: () => hop.client.end() };
}

/** Connects and authenticates; rejects with an SshSourceError naming the host and the failed stage. */
export async function connectTarget(target: SshTarget, opts: ConnectOptions = {}, depth = 0): Promise<{ client: ClientType; resolved: ResolvedTarget }> {
  const r = resolveTarget(target, opts);
  const ids = await collectIdentities(r.label, r.identityFiles, r.identitiesOnly, opts);
  const jumps = await throughJumps(r, opts, depth);
  const tried: string[] = [];
  let verdict: HostKeyVerdict | undefined;
  let hostKey: Buffer | undefined;
  const client = new Client();
  const config: ConnectConfig = {
    host: r.host,
    port: r.port,
    username: r.username,
    readyTimeout: opts.readyTimeout ?? 20000,
    keepaliveInterval: 15000,
    algorithms: { serverHostKey: hostKeyAlgorithms(knownKeyTypes(r.knownHostsFiles, r.host, r.port)) as never },
    hostVerifier: (key: Buffer) => {
      hostKey = key;
      verdict = checkHostKey(r.knownHostsFiles, r.host, r.port, key);
      return verdict.status === 'known' || (verdict.status === 'unknown' && r.acceptNew);
    },
    authHandler: identityAuthHandler(r.username, ids, tried),
    ...(opts.debug ? { debug: opts.debug } : {}),
    ...(jumps ? { sock: jumps.sock as never } : {}),
  };
  if (jumps) client.once('close', () => jumps.close());
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    // ssh2 may emit several errors for one failure (a dead agent, then "all methods failed"):
    // the listener stays, so none of them is ever unhandled
    client.on('error', (err: Error & { level?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      jumps?.close();
      reject(explain(r, err, verdict, tried));
    });
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    client.once('handshake', () => {
      if (verdict?.status === 'unknown' && r.acceptNew && hostKey) {
        addKnownHost(r.knownHostsFiles[0]!, r.host, r.port, hostKey);
      }
    });
    client.connect(config);
  });
  return { client, resolved: r };
}

function explain(r: ResolvedTarget, err: Error & { level?: string; code?: string }, verdict: HostKeyVerdict | undefined, tried: string[]): SshSourceError {
  const where = `${r.username}@${r.host}:${r.port}`;
  if (verdict && verdict.status !== 'known' && !(verdict.status === 'unknown' && r.acceptNew)) {
    return new SshSourceError(r.label, 'hostkey', hostKeyMessage(r, verdict), { cause: err });
  }
  if (err.level === 'client-authentication') {
    return new SshSourceError(r.label, 'auth', `authentication failed for ${where} (offered: ${tried.join('; ') || 'nothing'})`, { cause: err });
  }
  if (err.level === 'client-timeout') {
    return new SshSourceError(r.label, 'network', `timed out connecting to ${where}`, { cause: err });
  }
  const detail = err.code ? `${err.code} ${err.message}` : err.message;
  return new SshSourceError(r.label, 'network', `cannot connect to ${where}: ${detail}`, { cause: err });
}
