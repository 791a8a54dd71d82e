/**
 * A reader for OpenSSH client configuration (~/.ssh/config), enough to
 * resolve the aliases incident responders already use: `Host` blocks with
 * `*`, `?` and `!negated` patterns, and the keywords HostName, User, Port,
 * IdentityFile, IdentitiesOnly, UserKnownHostsFile, StrictHostKeyChecking
 * and ProxyJump.
 * As in ssh(1), the first value obtained for a keyword wins, except
 * IdentityFile, which accumulates. `Include` is followed; `Match` blocks are
 * skipped (never applied).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What ssh config says about one host alias. */
export interface HostConfig {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  identitiesOnly?: boolean;
  userKnownHostsFiles?: string[];
  strictHostKeyChecking?: string;
  /** ProxyJump hops, `[user@]host[:port]`, in order (absent for `none`) */
  proxyJump?: string[];
}

interface Section {
  /** null for the lines before the first Host (they apply to every host); 'match' for skipped Match blocks */
  patterns: string[] | null | 'match';
  options: [keyword: string, args: string[]][];
}

/** Splits one config line into words: `Key value`, `Key=value`, double-quoted args. */
export function splitConfigLine(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|([^\s"=]+(?:=[^\s"]*)?)|=/g;
  const trimmed = line.trim();
  if (!trimmed || trimmed.startsWith('#')) return [];
  // keyword, optionally followed by '=' then args
  const m = /^([A-Za-z]+)\s*(?:=\s*|\s+)?(.*)$/.exec(trimmed);
  if (!m) return [];
  words.push(m[1]!);
  let rm: RegExpExecArray | null;
  const rest = m[2] ?? '';
  while ((rm = re.exec(rest))) {
    if (rm[0] === '=') continue;
    const w = rm[1] ?? rm[2];
    if (w === undefined) continue;
    if (w.startsWith('#') && rm[1] === undefined) break;
    words.push(w);
  }
  return words;
}

/** Glob match with `*` and `?`, case-insensitive, as ssh's match_pattern does for host names. */
export function matchPattern(text: string, pattern: string): boolean {
  const re = new RegExp(
    '^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$',
    'i',
  );
  return re.test(text);
}

/** True when a `Host` line's pattern list selects `host`: one positive match and no negated match. */
export function hostMatches(host: string, patterns: readonly string[]): boolean {
  let positive = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchPattern(host, p.slice(1))) return false;
    } else if (matchPattern(host, p)) positive = true;
  }
  return positive;
}

function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

function readSections(file: string, home: string, depth = 0): Section[] {
  if (depth > 8 || !existsSync(file)) return [];
  const sections: Section[] = [{ patterns: null, options: [] }];
  const text = readFileSync(file, 'utf8');
  for (const line of text.split(/\r?\n/)) {
    const words = splitConfigLine(line);
    if (!words.length) continue;
    const key = words[0]!.toLowerCase();
    const args = words.slice(1);
    if (key === 'host') sections.push({ patterns: args, options: [] });
    else if (key === 'match') sections.push({ patterns: 'match', options: [] });
    else if (key === 'include') {
      const current = sections[sections.length - 1]!;
      for (const inc of args) {
        let p = expandHome(inc, home);
        if (!path.isAbsolute(p)) p = path.join(home, '.ssh', p);
        for (const f of globFiles(p)) {
          // included lines belong to the enclosing Host block until the included file's own Host lines
          const inner = readSections(f, home, depth + 1);
          current.options.push(...inner[0]!.options);
          sections.push(...inner.slice(1));
          if (inner.length > 1) sections.push({ patterns: current.patterns, options: [] });
        }
      }
    } else sections[sections.length - 1]!.options.push([key, args]);
  }
  return sections;
}

/** Files matching a path whose last component may contain `*` or `?`, sorted. */
function globFiles(p: string): string[] {
  const base = path.basename(p);
  if (!/[*?]/.test(base)) return existsSync(p) ? [p] : [];
  const dir = path.dirname(p);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => matchPattern(f, base))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Expands the `%` tokens ssh allows in HostName and IdentityFile. */
function expandTokens(value: string, t: { host: string; hostName: string; user: string; port: number; home: string; localUser: string }): string {
  return value.replace(/%([%hhnprdu])/g, (_, c: string) => {
    switch (c) {
      case '%': return '%';
      case 'h': return t.hostName;
      case 'n': return t.host;
      case 'p': return String(t.port);
      case 'r': return t.user;
      case 'd': return t.home;
      case 'u': return t.localUser;
      default: return '';
    }
  });
}

export interface ResolveOptions {
  /** the config file; default ~/.ssh/config. Pass null to read none. */
  configFile?: string | null;
  home?: string;
}

/** The configuration ssh would use for `host` (an alias or a real name). */
export function resolveHostConfig(host: string, opts: ResolveOptions = {}): HostConfig {
  const home = opts.home ?? os.homedir();
  const file = opts.configFile === undefined ? path.join(home, '.ssh', 'config') : opts.configFile;
  const out: HostConfig = { identityFiles: [] };
  if (file === null) return out;
  const raw: Record<string, string[]> = {};
  const identity: string[] = [];
  for (const s of readSections(file, home)) {
    if (s.patterns === 'match') continue;
    if (s.patterns !== null && !hostMatches(host, s.patterns)) continue;
    for (const [key, args] of s.options) {
      if (key === 'identityfile') identity.push(...args.slice(0, 1));
      else if (!(key in raw) && args.length) raw[key] = args;
    }
  }
  const localUser = safeUserName();
  const hostNameRaw = raw['hostname']?.[0];
  const port = raw['port']?.[0] !== undefined ? Number(raw['port'][0]) : undefined;
  const user = raw['user']?.[0];
  const tokens = { host, hostName: host, user: user ?? localUser, port: port ?? 22, home, localUser };
  if (hostNameRaw !== undefined) out.hostName = expandTokens(hostNameRaw, tokens);
  tokens.hostName = out.hostName ?? host;
  if (user !== undefined) out.user = user;
  if (port !== undefined && Number.isInteger(port) && port > 0 && port < 65536) out.port = port;
  out.identityFiles = identity.filter((f) => f.toLowerCase() !== 'none').map((f) => expandHome(expandTokens(f, tokens), home));
  if (raw['identitiesonly']) out.identitiesOnly = raw['identitiesonly'][0]!.toLowerCase() === 'yes';
  if (raw['userknownhostsfile']) out.userKnownHostsFiles = raw['userknownhostsfile'].map((f) => expandHome(expandTokens(f, tokens), home));
  if (raw['stricthostkeychecking']) out.strictHostKeyChecking = raw['stricthostkeychecking'][0]!.toLowerCase();
  const jump = raw['proxyjump']?.[0];
  if (jump && jump.toLowerCase() !== 'none') out.proxyJump = jump.split(',').map((h) => h.trim()).filter(Boolean);
  return out;
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}
