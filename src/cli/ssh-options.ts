/**
 * The command-line options of SSH sources (`read ssh://...` and `capture`),
 * and the CaptureOptions they stand for. Ctrl-C stops a capture cleanly: the
 * first SIGINT aborts (remote commands terminated, files closed, events
 * kept), a second one exits at once.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { flag, list, positiveInt, str, type OptionSpec, type ParsedArgs } from './args.js';
import { UsageError } from './errors.js';
import type { CaptureOptions } from '../sources/ssh/capture.js';

export const SSH_OPTIONS: readonly OptionSpec[] = [
  { name: 'duration', value: 'TIME', help: 'ssh: stop the capture after TIME (30s, 5m, 1h); else -c N or Ctrl-C' },
  { name: 'snaplen', value: 'N', help: 'ssh: bytes captured of each I/O buffer (sysdig --snaplen; default 80)' },
  { name: 'sudo', help: 'ssh: run sysdig with sudo -n on the remote host' },
  { name: 'doas', help: 'ssh: run sysdig with doas -n on the remote host' },
  { name: 'modern-bpf', help: 'ssh: sysdig --modern-bpf (the CO-RE eBPF probe)' },
  { name: 'remote-command', value: 'CMD', help: 'ssh: run CMD instead of sysdig (it must write a scap stream to stdout); -Y then filters locally' },
  { name: 'identity', short: 'i', value: 'KEYFILE', multiple: true, help: 'ssh: private key file (repeatable; before ~/.ssh/config IdentityFile)' },
  { name: 'known-hosts', value: 'FILE', help: 'ssh: known_hosts file (default ~/.ssh/known_hosts)' },
  { name: 'accept-new-host-key', help: 'ssh: trust an unknown host key on first use and add it to known_hosts (a changed key is still refused)' },
  { name: 'ssh-config', short: 'F', value: 'FILE', help: 'ssh: client config file (default ~/.ssh/config; "none" for none)' },
  { name: 'jump', short: 'J', value: 'HOSTS', help: 'ssh: go through jump hosts [user@]host[:port][,...] (like ssh -J; default ProxyJump of ~/.ssh/config)' },
];

/** Asks for a key passphrase on the terminal without echoing it; null when there is no terminal. */
export async function askPassphraseOnTty(file: string): Promise<string | null> {
  if (!process.stdin.isTTY) return null;
  let muted = false;
  const out = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stderr.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output: out, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(`Enter passphrase for key '${file}': `, (answer) => {
        process.stderr.write('\n');
        resolve(answer);
      });
      muted = true;
    });
  } finally {
    rl.close();
  }
}

/** The CaptureOptions the SSH flags stand for (without specs, filter and count). */
export function sshOptionsFrom(args: ParsedArgs, command: string): CaptureOptions {
  const o = args.options;
  const out: CaptureOptions = { askPassphrase: askPassphraseOnTty };
  const duration = str(o.duration);
  if (duration !== undefined) out.duration = duration;
  const snaplen = positiveInt('--snaplen', str(o.snaplen), command);
  if (snaplen !== undefined) out.snaplen = snaplen;
  if (flag(o.sudo) && flag(o.doas)) throw new UsageError('--sudo and --doas exclude each other', `stratolab ${command} --help`);
  if (flag(o.sudo)) out.privilege = 'sudo';
  if (flag(o.doas)) out.privilege = 'doas';
  if (flag(o['modern-bpf'])) out.modernBpf = true;
  const rc = str(o['remote-command']);
  if (rc !== undefined) {
    if (!rc.trim()) throw new UsageError('--remote-command needs a command', `stratolab ${command} --help`);
    out.remoteCommand = rc;
  }
  const ids = list(o.identity);
  if (ids.length) out.identityFiles = ids;
  const kh = str(o['known-hosts']);
  if (kh !== undefined) out.knownHosts = kh;
  if (flag(o['accept-new-host-key'])) out.acceptNewHostKeys = true;
  const cfg = str(o['ssh-config']);
  if (cfg !== undefined) out.sshConfig = cfg === 'none' ? null : cfg;
  const jump = str(o.jump);
  if (jump !== undefined) out.jump = jump;
  return out;
}

/** An AbortSignal fired by the first Ctrl-C; a second Ctrl-C exits (130). Call `dispose` when done. */
export function interruptSignal(onFirst?: () => void): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const handler = () => {
    if (ac.signal.aborted) process.exit(130);
    onFirst?.();
    ac.abort();
  };
  process.on('SIGINT', handler);
  return { signal: ac.signal, dispose: () => process.off('SIGINT', handler) };
}
