/**
 * `stratolab capture ssh://[user@]host[:port]... -w DIR_OR_FILE [-Y FILTER]
 *  [--duration 30s | -c N] [--snaplen N] [--sudo] [--modern-bpf]
 *  [--remote-command CMD] [-i KEYFILE] [--known-hosts FILE] [-T FORMAT] [-q]`
 *
 * A live syscall capture from one or many hosts over SSH. The raw stream of
 * each host goes to disk as it arrives (one file per host in DIR, or FILE
 * for one host); at the end the events of every host, merged by time, are
 * printed like `stratolab read` prints them (unless -q), and one line per
 * host on stderr says where its file is and how it ended.
 */
import { flag, formatOptions, list, parseArgs, positiveInt, str, type OptionSpec, type ParsedArgs } from './args.js';
import { EXIT_INPUT, UsageError } from './errors.js';
import { Output, printError, printWarning } from './output.js';
import { progressReporter } from './progress.js';
import { OUTPUT_FORMATS, type OutputFormat } from './row-writer.js';
import { SSH_OPTIONS, interruptSignal, sshOptionsFrom } from './ssh-options.js';
import { writeTable } from './read.js';
import { capture, type LiveCapture } from '../sources/ssh/capture.js';
import type { HostStatus } from '../sources/ssh/host-capture.js';

export const CAPTURE_OPTIONS: readonly OptionSpec[] = [
  { name: 'write', short: 'w', value: 'DIR_OR_FILE', help: 'where the raw streams go: a directory (one file per host) or a file (one host); required' },
  { name: 'display-filter', short: 'Y', value: 'FILTER', help: 'capture filter, run by the remote sysdig (Falco syntax; Wireshark syntax is translated)' },
  { name: 'count', short: 'c', value: 'N', help: 'stop each host after N events' },
  ...SSH_OPTIONS,
  { name: 'output', short: 'T', value: 'FORMAT', help: 'text (default), fields (needs -e), json or csv' },
  { name: 'field', short: 'e', value: 'FIELD', multiple: true, help: 'a field to print (repeatable)' },
  { name: 'quiet', short: 'q', help: 'print no events, only the per-host summary' },
  { name: 'help', short: 'h', help: 'show this help' },
];

export const CAPTURE_HELP = `Usage: stratolab capture ssh://[user@]host[:port]... -w DIR_OR_FILE [options]

Captures system calls live on remote hosts over SSH (sysdig on each host,
like Stratoshark's sshdig), from several hosts at once. Each host's raw scap
stream is written to disk as it arrives; "stratolab read FILE" reads it back.
The capture ends after --duration, after -c N events per host, when the
remote commands end, or on Ctrl-C (a second Ctrl-C quits at once).

Options:
${formatOptions(CAPTURE_OPTIONS)}

Hosts are named as in ~/.ssh/config (HostName, User, Port, IdentityFile);
evt.hostname is the host as you named it. Unknown host keys are refused
(with their SHA256 fingerprint) unless --accept-new-host-key.

Examples:
  stratolab capture ssh://web1 ssh://db1 -w caps/ --duration 60s --sudo -Y 'evt.type in (connect, accept)'
  stratolab capture ssh://root@10.0.0.5:2222 -w web.scap -c 10000 -i ~/.ssh/ir_key
  stratolab capture ssh://web1 -w caps/ --remote-command 'cat /var/log/capture.scap.gz'
`;

function hostLine(h: HostStatus): string {
  const how = h.error ? `FAILED: ${h.error.reason}` : h.exit?.stopped ? 'stopped' : `exit ${h.exit?.code ?? '?'}`;
  return `${h.host}: ${h.events} events, ${h.bytes} bytes${h.file ? ` -> ${h.file}` : ''} (${how})`;
}

export async function runCapture(argv: readonly string[]): Promise<number> {
  const args = parseArgs('capture', argv, CAPTURE_OPTIONS);
  if (flag(args.options.help)) {
    process.stdout.write(CAPTURE_HELP);
    return 0;
  }
  return captureFromArgs(args, 'capture', { requireWrite: true });
}

/**
 * Runs a capture from parsed arguments (CAPTURE_OPTIONS, or READ_OPTIONS
 * plus SSH_OPTIONS): `stratolab read ssh://...` can hand its arguments here
 * when every source is ssh://, with `-w` then naming where the raw streams go.
 */
export async function captureFromArgs(args: ParsedArgs, command: string, opts: { requireWrite: boolean }): Promise<number> {
  const hint = `stratolab ${command} --help`;
  const specs = args.positionals;
  if (!specs.length) throw new UsageError(`"${command}" needs at least one ssh://host`, hint);
  const notSsh = specs.find((s) => !/^ssh:\/\//i.test(s));
  if (notSsh) throw new UsageError(`"${command}" reads ssh:// hosts only here, not ${notSsh}`, hint);
  const write = str(args.options.write);
  if (write === undefined && opts.requireWrite) throw new UsageError(`"${command}" needs -w DIR_OR_FILE (the raw streams are always kept)`, hint);
  const fields = list(args.options.field);
  const format = (str(args.options.output) ?? (fields.length ? 'fields' : 'text')) as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UsageError(`-T ${format}: unknown output format (use ${OUTPUT_FORMATS.join(', ')})`, hint);
  const count = positiveInt('-c', str(args.options.count), command);
  const filter = str(args.options['display-filter']);
  const progress = progressReporter();
  const interrupt = interruptSignal(() => {
    progress.clear();
    process.stderr.write('stratolab: stopping the capture (Ctrl-C again to quit at once)\n');
  });
  let cap: LiveCapture | undefined;
  try {
    cap = capture(specs, {
      ...sshOptionsFrom(args, command),
      ...(write !== undefined ? { write } : {}),
      ...(filter !== undefined ? { filter } : {}),
      ...(count !== undefined ? { count } : {}),
      ...(flag(args.options.internal) ? { showInternal: true } : {}),
      signal: interrupt.signal,
      onProgress: progress.onProgress,
      onWarning: (w) => {
        // a host's failure is printed once, in the summary at the end
        if (cap?.hosts.some((h) => h.host === w.where && h.error?.reason === w.message)) return;
        progress.clear();
        printWarning(`${w.where}: ${w.message}`);
      },
    });
  } catch (err) {
    interrupt.dispose();
    throw new UsageError((err as Error).message, hint);
  }
  try {
    const r = await cap.done;
    progress.clear();
    if (!flag(args.options.quiet)) {
      const out = new Output();
      await writeTable(r.table, format, fields, flag(args.options.raw), out);
      await out.end();
    }
    for (const h of r.hosts) {
      if (h.error) printError(hostLine(h));
      else process.stderr.write(`stratolab: ${hostLine(h)}\n`);
    }
    return r.hosts.every((h) => h.error) ? EXIT_INPUT : 0;
  } finally {
    interrupt.dispose();
  }
}
