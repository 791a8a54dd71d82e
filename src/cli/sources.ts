/**
 * `stratolab sources`: which sources this build reads, what each accepts,
 * and why one is not available (a module missing or failing to load).
 */
import { flag, formatOptions, parseArgs, type OptionSpec } from './args.js';
import { UsageError } from './errors.js';
import { availableSources } from '../sources/index.js';

export const SOURCES_OPTIONS: readonly OptionSpec[] = [{ name: 'help', short: 'h', help: 'show this help' }];

export const SOURCES_HELP = `Usage: stratolab sources

Lists the sources (CloudTrail, s3://, GCP, sysdig captures, ssh://) with what
each reads, and the reason when one is not available in this build.
Exit status 1 when a source is unavailable.

Options:
${formatOptions(SOURCES_OPTIONS)}
`;

export async function runSources(argv: readonly string[]): Promise<number> {
  const args = parseArgs('sources', argv, SOURCES_OPTIONS);
  if (flag(args.options.help)) {
    process.stdout.write(SOURCES_HELP);
    return 0;
  }
  if (args.positionals.length) throw new UsageError('"sources" takes no arguments', 'stratolab sources --help');
  const list = await availableSources();
  const w = Math.max(...list.map((s) => s.name.length));
  for (const s of list) {
    process.stdout.write(`${s.name.padEnd(w)}  ${s.available ? 'ok ' : 'n/a'}  ${s.reads}${s.available ? '' : ` (${s.reason})`}\n`);
  }
  return list.every((s) => s.available) ? 0 : 1;
}
