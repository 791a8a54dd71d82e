/**
 * `stratolab check EXPR`: validates a display filter (either syntax) and
 * prints nothing on success (exit 0), or the message with a caret under the
 * faulty span on stderr (exit 2). `--falco` / `--wireshark` print the
 * translation.
 */
import { flag, formatOptions, parseArgs, type OptionSpec } from './args.js';
import { UsageError } from './errors.js';
import { filterModule } from '../filter-api.js';

export const CHECK_OPTIONS: readonly OptionSpec[] = [
  { name: 'falco', help: 'print the filter in Falco syntax' },
  { name: 'wireshark', help: 'print the filter in Wireshark syntax' },
  { name: 'help', short: 'h', help: 'show this help' },
];

export const CHECK_HELP = `Usage: stratolab check EXPR [--falco | --wireshark]

Checks a display filter (Wireshark or Falco syntax) against the registered
fields. Exit status 0 when valid; 2 with the error and a caret on stderr.

Options:
${formatOptions(CHECK_OPTIONS)}

Examples:
  stratolab check 'ct.name == "ConsoleLogin" && !ct.error'
  stratolab check --falco 'proc.name in {"bash" "sh"}'
`;

/** Registers every available source's fields, so `check` knows them all. */
async function registerAllFields(): Promise<void> {
  const { importAllSources } = await import('../sources/index.js');
  await importAllSources();
}

export async function runCheck(argv: readonly string[]): Promise<number> {
  const args = parseArgs('check', argv, CHECK_OPTIONS);
  if (flag(args.options.help)) {
    process.stdout.write(CHECK_HELP);
    return 0;
  }
  if (args.positionals.length !== 1) {
    throw new UsageError(
      args.positionals.length ? `"check" takes one expression (quote it): got ${args.positionals.length} arguments` : '"check" needs a filter expression',
      'stratolab check --help',
    );
  }
  const expr = args.positionals[0]!;
  await registerAllFields();
  const f = await filterModule();
  if (typeof f.check === 'function') {
    const r: any = f.check(expr);
    // check may return a list of problems instead of throwing
    if (r instanceof Error) throw r;
    if (Array.isArray(r) && r.length && r[0] instanceof Error) throw r[0];
    if (r && typeof r === 'object' && 'ok' in r && r.ok === false && r.error instanceof Error) throw r.error;
  }
  f.compile(expr);
  if (flag(args.options.falco)) {
    if (!f.toFalco) throw new UsageError('--falco: this build has no Falco printer');
    process.stdout.write(f.toFalco(expr) + '\n');
  } else if (flag(args.options.wireshark)) {
    if (!f.toWireshark) throw new UsageError('--wireshark: this build has no Wireshark printer');
    process.stdout.write(f.toWireshark(expr) + '\n');
  }
  return 0;
}
