/**
 * `stratolab summary SOURCE... [-Y FILTER] [--since T] [--until T] [--top N] [--json]`
 * Who did what: for CloudTrail, principals, errors, AccessDenied bursts, API
 * calls, source IPs and notable events; for captures, processes,
 * commands, connections and files; for GCP, principals and methods.
 */
import { flag, formatOptions, parseArgs, positiveInt, str, type OptionSpec } from './args.js';
import { Output } from './output.js';
import { loadSelection, S3_OPTIONS, SOURCE_OPTIONS, sourceSelection } from './source-options.js';
import { printStats } from './stats.js';
import { jsonValue } from '../frames/format-value.js';
import { renderReport, summarize } from '../summary/index.js';

export const SUMMARY_OPTIONS: readonly OptionSpec[] = [
  ...SOURCE_OPTIONS,
  { name: 'top', value: 'N', help: 'rows per ranking (default 10)' },
  { name: 'json', help: 'the report as one JSON object per source' },
  { name: 'stats', help: 'print one JSON line of load statistics on stderr' },
  ...S3_OPTIONS,
  { name: 'help', short: 'h', help: 'show this help' },
];

export const SUMMARY_HELP = `Usage: stratolab summary SOURCE... [options]

A first look at an incident's logs. CloudTrail: top principals with call and
error counts, errors by code and principal, AccessDenied bursts, top API calls,
source IPs, notable events (CreateUser, CreateAccessKey, ConsoleLogin without
MFA, logging and policy changes) and AssumeRole chains. Syscall captures:
processes, commands, outbound connections, files. GCP: principals, methods.

Options:
${formatOptions(SUMMARY_OPTIONS)}
`;

export async function runSummary(argv: readonly string[]): Promise<number> {
  const args = parseArgs('summary', argv, SUMMARY_OPTIONS);
  if (flag(args.options.help)) {
    process.stdout.write(SUMMARY_HELP);
    return 0;
  }
  const top = positiveInt('--top', str(args.options.top), 'summary') ?? 10;
  const sel = await sourceSelection('summary', args);
  const result = await loadSelection(sel);
  const reports = summarize(result.table, { top });
  const out = new Output();
  if (flag(args.options.json)) {
    for (const r of reports) out.line(JSON.stringify(jsonValue(r)));
  } else if (!reports.length) {
    out.line(`No events${sel.filter || sel.since || sel.until ? ' match' : ''} (${result.stats.eventsRead} read from ${result.stats.objectsFetched} files).`);
  } else {
    out.write(reports.map(renderReport).join('\n'));
  }
  await out.end();
  if (result.failed.length) process.stderr.write(`stratolab: ${result.failed.length} unreadable file(s) skipped (see warnings above)\n`);
  if (flag(args.options.stats)) printStats(result.stats);
  return 0;
}
