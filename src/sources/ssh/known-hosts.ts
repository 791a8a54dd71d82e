/**
 * known_hosts verification as ssh(1) does it: plain entries (comma-separated
 * host patterns, `[host]:port` for ports other than 22, `!negation`), hashed
 * entries (`|1|salt|HMAC-SHA1(salt, name)`), `@revoked` markers. An unknown
 * host is reported with the SHA256 fingerprint of the key it presented so the
 * user can check it; trust-on-first-use appends it; a changed key is refused.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createHash, createHmac } from 'node:crypto';
import path from 'node:path';
import { matchPattern } from './ssh-config.js';

/** The name known_hosts stores for a host: `host` on port 22, else `[host]:port`. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** `SHA256:…` as ssh-keygen -l prints it (base64 without padding). */
export function fingerprintSha256(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The algorithm name stored at the start of an SSH public key blob, e.g. `ssh-ed25519`. */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const n = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + n).toString('latin1');
}

export interface KnownHostEntry {
  marker?: '@revoked' | '@cert-authority';
  /** comma-separated patterns, or one `|1|salt|hash` */
  hosts: string;
  keyType: string;
  key: Buffer;
  file: string;
  line: number;
}

export function parseKnownHosts(text: string, file = 'known_hosts'): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const words = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (words[0] === '@revoked' || words[0] === '@cert-authority') marker = words.shift() as KnownHostEntry['marker'];
    const [hosts, keyType, b64] = words;
    if (!hosts || !keyType || !b64) return;
    const key = Buffer.from(b64, 'base64');
    if (!key.length) return;
    out.push({ ...(marker ? { marker } : {}), hosts, keyType, key, file, line: i + 1 });
  });
  return out;
}

/** True when the entry's host field names `name` (a knownHostsName). */
export function entryMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  let positive = false;
  for (const p of hosts.split(',')) {
    if (p.startsWith('!')) {
      if (matchPattern(name, p.slice(1))) return false;
    } else if (matchPattern(name, p)) positive = true;
  }
  return positive;
}

export type HostKeyVerdict =
  | { status: 'known'; file: string; line: number }
  | { status: 'unknown'; fingerprint: string; keyType: string; otherTypes: string[] }
  | { status: 'changed'; fingerprint: string; keyType: string; file: string; line: number }
  | { status: 'revoked'; fingerprint: string; file: string; line: number };

/** Looks `key` up for host:port in the given known_hosts files (missing files are empty). */
export function checkHostKey(files: readonly string[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const keyType = keyTypeOf(key);
  const fingerprint = fingerprintSha256(key);
  const entries = files.flatMap((f) => (existsSync(f) ? parseKnownHosts(readFileSync(f, 'utf8'), f) : []));
  const mine = entries.filter((e) => e.marker !== '@cert-authority' && entryMatches(e.hosts, name));
  const revoked = entries.find((e) => e.marker === '@revoked' && e.key.equals(key));
  if (revoked) return { status: 'revoked', fingerprint, file: revoked.file, line: revoked.line };
  const same = mine.find((e) => !e.marker && e.key.equals(key));
  if (same) return { status: 'known', file: same.file, line: same.line };
  const changed = mine.find((e) => !e.marker && e.keyType === keyType);
  if (changed) return { status: 'changed', fingerprint, keyType, file: changed.file, line: changed.line };
  return { status: 'unknown', fingerprint, keyType, otherTypes: [...new Set(mine.filter((e) => !e.marker).map((e) => e.keyType))] };
}

/** The key types known_hosts holds for host:port, so negotiation can prefer them (as ssh does). */
export function knownKeyTypes(files: readonly string[], host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  const types = files
    .flatMap((f) => (existsSync(f) ? parseKnownHosts(readFileSync(f, 'utf8'), f) : []))
    .filter((e) => !e.marker && entryMatches(e.hosts, name))
    .map((e) => e.keyType);
  return [...new Set(types)];
}

/** Appends `name keytype base64` (plain, not hashed) to `file`, creating it (and its directory) if needed. */
export function addKnownHost(file: string, host: string, port: number, key: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    if (text.length && !text.endsWith('\n')) prefix = '\n';
  }
  appendFileSync(file, `${prefix}${knownHostsName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}\n`, { mode: 0o600 });
}
