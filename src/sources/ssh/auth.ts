/**
 * The identities offered to a host, in ssh(1)'s order: the agent's keys
 * (SSH_AUTH_SOCK), then key files (-i first, then IdentityFile from
 * ~/.ssh/config, then the default ~/.ssh/id_* when none were named). An
 * encrypted key is decrypted with the given passphrase or by asking for one.
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthHandlerMiddleware, ParsedKey } from 'ssh2';
import { SshSourceError } from './errors.js';

const { utils } = ssh2;

export interface AuthOptions {
  /** -i KEYFILE: tried before the config's IdentityFile */
  identityFiles?: readonly string[];
  /** passphrase for encrypted key files */
  passphrase?: string;
  /** asked when an encrypted key has no (or a wrong) passphrase; return null to skip the key */
  askPassphrase?: (keyFile: string) => Promise<string | null>;
  /** ssh-agent socket; default SSH_AUTH_SOCK. `false` disables the agent. */
  agent?: string | false;
  home?: string;
  /** key files already read (and decrypted) by this capture: one passphrase prompt per file, not per host */
  keyCache?: Map<string, Promise<ParsedKey | null>>;
}

export interface Identity {
  /** what it is, for error messages: `agent /run/…/agent.sock` or `key ~/.ssh/id_ed25519` */
  label: string;
  method: (username: string) => AnyAuthMethod;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519_sk', 'id_rsa'];

function isEncryptedKeyError(e: Error): boolean {
  return /encrypted|passphrase|bad decrypt|decrypt/i.test(e.message);
}

/** Reads and decrypts one private key file (once per keyCache); throws SshSourceError('config') with the reason. */
export async function loadKeyFile(host: string, file: string, opts: AuthOptions): Promise<ParsedKey | null> {
  if (!opts.keyCache) return readKeyFile(host, file, opts);
  let p = opts.keyCache.get(file);
  if (!p) {
    p = readKeyFile(host, file, opts);
    opts.keyCache.set(file, p);
  }
  try {
    return await p;
  } catch (err) {
    // the reason names the host that read it first; say it again for this one
    const e = err as SshSourceError;
    throw e.host === host ? e : new SshSourceError(host, e.kind, e.reason);
  }
}

async function readKeyFile(host: string, file: string, opts: AuthOptions): Promise<ParsedKey | null> {
  if (!existsSync(file)) throw new SshSourceError(host, 'config', `identity file ${file} does not exist`);
  const data = readFileSync(file);
  let parsed = utils.parseKey(data, opts.passphrase);
  for (let attempt = 0; parsed instanceof Error && isEncryptedKeyError(parsed) && opts.askPassphrase && attempt < 3; attempt++) {
    const pass = await opts.askPassphrase(file);
    if (pass === null) return null;
    parsed = utils.parseKey(data, pass);
  }
  if (parsed instanceof Error) {
    const why = isEncryptedKeyError(parsed) ? 'it is encrypted and no (or a wrong) passphrase was given' : parsed.message;
    throw new SshSourceError(host, 'config', `cannot use identity file ${file}: ${why}`);
  }
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
  if (!key.isPrivateKey()) throw new SshSourceError(host, 'config', `identity file ${file} is not a private key`);
  return key;
}

/**
 * The identities for one host. Named key files that fail to load are errors;
 * default ~/.ssh/id_* files that fail to load are skipped (as ssh does);
 * having none at all is an error that says why.
 */
export async function collectIdentities(
  host: string,
  configFiles: readonly string[],
  identitiesOnly: boolean,
  opts: AuthOptions,
): Promise<Identity[]> {
  const ids: Identity[] = [];
  const agentPath = opts.agent === false ? undefined : (opts.agent ?? process.env.SSH_AUTH_SOCK);
  const named = [...(opts.identityFiles ?? []), ...configFiles];
  // a dead agent is skipped, as ssh does (ssh2 would fail the whole login)
  const agent = agentPath && !(identitiesOnly && named.length) && (await agentAlive(agentPath)) ? agentPath : undefined;
  if (agent) {
    ids.push({ label: `ssh-agent ${agent}`, method: (username) => ({ type: 'agent', username, agent }) });
  }
  for (const file of named) {
    const key = await loadKeyFile(host, file, opts);
    if (key) ids.push(keyIdentity(file, key));
  }
  if (!named.length) {
    const dir = path.join(opts.home ?? os.homedir(), '.ssh');
    for (const name of DEFAULT_KEYS) {
      const file = path.join(dir, name);
      if (!existsSync(file)) continue;
      try {
        const key = await loadKeyFile(host, file, opts);
        if (key) ids.push(keyIdentity(file, key));
      } catch {
        /* a default key that cannot be read is skipped, like ssh does */
      }
    }
  }
  if (!ids.length) {
    const agentWhy = agentPath ? `the ssh-agent at ${agentPath} does not answer` : 'no ssh-agent (SSH_AUTH_SOCK)';
    throw new SshSourceError(host, 'auth', `no identity to offer: ${agentWhy}, and no key file (-i, IdentityFile, ~/.ssh/id_*)`);
  }
  return ids;
}

/** True when something accepts connections on the agent socket (within 1 s). */
export function agentAlive(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(socketPath);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1000);
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

function keyIdentity(file: string, key: ParsedKey): Identity {
  return { label: `key ${file} (${key.type})`, method: (username) => ({ type: 'publickey', username, key }) };
}

/** An ssh2 authHandler that offers each identity once, recording what was tried. */
export function identityAuthHandler(username: string, ids: readonly Identity[], tried: string[]): AuthHandlerMiddleware {
  let i = 0;
  return (methodsLeft, _partial, next) => {
    if (methodsLeft && !methodsLeft.includes('publickey')) return next(false as never);
    const id = ids[i++];
    if (!id) return next(false as never);
    tried.push(id.label);
    next(id.method(username));
  };
}
