/**
 * The command line run on each host: sshdig's sysdig invocation
 * (`sysdig --unbuffered --write=- [--modern-bpf] [--numevents=N]
 * [--snaplen=N] FILTER`, optionally under `sudo -n` or `doas -n`), with every
 * word POSIX-quoted so that a filter full of quotes, `$()` or `;` reaches
 * sysdig as one verbatim argument. `--remote-command` replaces it entirely.
 */
import { shellJoin } from './shell-quote.js';

export type Privilege = 'none' | 'sudo' | 'doas';

export interface SysdigInvocation {
  /** Falco-syntax filter, passed to sysdig as its last argument */
  filter?: string;
  /** stop after this many events (sysdig --numevents) */
  count?: number;
  /** bytes kept of each I/O buffer (sysdig --snaplen; sysdig's default is 80) */
  snaplen?: number;
  /** --modern-bpf: the CO-RE eBPF probe instead of the kernel module */
  modernBpf?: boolean;
  privilege?: Privilege;
  /** the sysdig binary on the remote host (default `sysdig`, found on PATH) */
  sysdigPath?: string;
}

/** The argv words of the sysdig invocation, before quoting. */
export function sysdigArgv(inv: SysdigInvocation): string[] {
  const argv: string[] = [];
  if (inv.privilege === 'sudo') argv.push('sudo', '-n');
  else if (inv.privilege === 'doas') argv.push('doas', '-n');
  argv.push(inv.sysdigPath ?? 'sysdig', '--unbuffered', '--write=-');
  if (inv.modernBpf) argv.push('--modern-bpf');
  if (inv.count !== undefined) argv.push(`--numevents=${positiveInt(inv.count, 'count')}`);
  if (inv.snaplen !== undefined) argv.push(`--snaplen=${positiveInt(inv.snaplen, 'snaplen')}`);
  if (inv.filter !== undefined && inv.filter.trim() !== '') argv.push(inv.filter);
  return argv;
}

/** The remote command line: the quoted sysdig invocation. */
export function sysdigCommand(inv: SysdigInvocation): string {
  return shellJoin(sysdigArgv(inv));
}

function positiveInt(n: number, what: string): number {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${what} must be a positive integer, got ${n}`);
  return n;
}

/** The program a command line starts, for "not found" messages: the first word after sudo/doas/exec/env. */
export function commandProgram(command: string): string {
  const words = command.trim().split(/\s+/);
  let i = 0;
  while (i < words.length && /^(sudo|doas|exec|env|-\S*|'-n')$/.test(words[i]!)) i++;
  return (words[i] ?? command).replace(/^'(.*)'$/, '$1');
}

/**
 * Wraps a command line so that it ends when the SSH channel's stdin reaches
 * EOF. OpenSSH ignores `signal` requests in sessions without privilege
 * separation (every root login), and closing the channel does not end a
 * command that is not writing; so a watcher (a `read` loop on the channel's
 * stdin, in the background) sends TERM to the session's process group when
 * we send EOF, which ends `sudo sysdig` or any pipeline. The command itself
 * runs with stdin from /dev/null and keeps its exit status.
 */
export function withStopWatcher(command: string): string {
  const script =
    'exec 3<&0; { while IFS= read -r _ <&3; do :; done; kill -TERM 0; } >/dev/null 2>&1 & ' +
    'exec 3<&-; sh -c "$1" </dev/null; s=$?; kill $! 2>/dev/null; exit $s';
  return shellJoin(['sh', '-c', script, 'stratolab-capture', command]);
}
