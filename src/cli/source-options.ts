/**
 * The options every command that reads sources shares (-Y, --since,
 * --until, -c), and loading with warnings printed to stderr as they come.
 */
import type { OptionSpec, ParsedArgs } from './args.js';
import { positiveInt, str } from './args.js';
import { UsageError } from './errors.js';
import { printWarning } from './output.js';
import { parseTimeRange, TimeSpecError } from '../frames/time.js';
// sources/index.js would load arquero (merge.ts) before a streamed read needs it
import { compileFilter } from '../sources/compile-filter.js';
import { resolveLoader } from '../sources/registry.js';
import type { LoadOptions, LoadResult, LoadWarning } from '../sources/types.js';

export const SOURCE_OPTIONS: readonly OptionSpec[] = [
  { name: 'display-filter', short: 'Y', value: 'FILTER', help: 'keep events matching a Wireshark- or Falco-syntax filter' },
  { name: 'since', value: 'TIME', help: 'keep events at or after TIME (RFC 3339, or 30m, 3h, 2d, 2w ago)' },
  { name: 'until', value: 'TIME', help: 'keep events before TIME (same forms as --since)' },
  { name: 'count', short: 'c', value: 'N', help: 'stop after N matching events' },
];

/** Options of s3:// sources (other sources ignore them). */
export const S3_OPTIONS: readonly OptionSpec[] = [
  { name: 'region', value: 'R,...', help: 's3://: CloudTrail regions to read (default: all found)' },
  { name: 'account', value: 'A,...', help: 's3://: account ids to read (default: all found, organization trails included)' },
  { name: 'interval', value: 'I', help: "s3://: Falco's s3Interval range (5d, 2w-1w, T1-T2), intersected with --since/--until" },
  { name: 'profile', value: 'P', help: 's3://: AWS profile (default AWS_PROFILE)' },
  { name: 'endpoint', value: 'URL', help: 's3://: S3-compatible endpoint (default AWS_ENDPOINT_URL_S3)' },
  { name: 'concurrency', value: 'N', help: 's3://: objects read at once (default 16)' },
  { name: 'no-cache', help: 's3://: neither read nor write the local object cache' },
];

/** Source-specific load options from the shared flags (each loader ignores what it does not know). */
export function sourceExtras(command: string, args: ParsedArgs): Record<string, unknown> {
  const o = args.options;
  const extra: Record<string, unknown> = {};
  for (const k of ['region', 'account'] as const) {
    const v = str(o[k]);
    if (v !== undefined) extra[k] = v.split(',').map((x) => x.trim()).filter(Boolean);
  }
  for (const k of ['interval', 'profile', 'endpoint'] as const) {
    const v = str(o[k]);
    if (v !== undefined) extra[k] = v;
  }
  const conc = positiveInt('--concurrency', str(o.concurrency), command);
  if (conc !== undefined) extra.concurrency = conc;
  if (o['no-cache'] === true) extra.noCache = true;
  return extra;
}

export interface SourceSelection {
  specs: string[];
  /** source-specific options (S3 region, account...) */
  extra: Record<string, unknown>;
  filter?: string;
  since?: Date;
  until?: Date;
  limit?: number;
}

/** Validates the shared options (time syntax, -c, the filter's syntax) before anything is read. */
export async function sourceSelection(command: string, args: ParsedArgs): Promise<SourceSelection> {
  const specs = args.positionals;
  if (!specs.length) throw new UsageError(`"${command}" needs at least one SOURCE (a file, a directory, s3://..., gcp://... or ssh://...)`, `stratolab ${command} --help`);
  let range;
  try {
    range = parseTimeRange(str(args.options.since), str(args.options.until));
  } catch (err) {
    if (err instanceof TimeSpecError) throw new UsageError(err.message, `stratolab ${command} --help`);
    throw err;
  }
  const limit = positiveInt('-c', str(args.options.count), command);
  const filter = str(args.options['display-filter']);
  // resolving imports the sources' modules, which registers their fields
  for (const spec of specs) await resolveLoader(spec);
  if (filter !== undefined) {
    if (filter.trim() === '') throw new UsageError('-Y needs a non-empty filter expression', `stratolab ${command} --help`);
    await compileFilter(filter); // FilterError: exit 2 with caret
  }
  return { specs, extra: sourceExtras(command, args), filter, since: range.since, until: range.until, limit };
}

/** Prints a load warning on stderr: `stratolab: warning: PATH[@offset]: message`. */
export function printLoadWarning(w: LoadWarning): void {
  const where = w.offset !== undefined ? `${w.where} (byte ${w.offset})` : w.where;
  printWarning(`${where}: ${w.message}`);
}

/** Loads the selection, warnings to stderr as they happen, a progress line on a terminal. */
export async function loadSelection(sel: SourceSelection, extra: LoadOptions = {}): Promise<LoadResult> {
  const { progressReporter } = await import('./progress.js');
  const progress = progressReporter();
  try {
    const { loadSources } = await import('../sources/load-sources.js');
    return await loadSources(sel.specs, {
      ...sel.extra,
      ...extra,
      ...(sel.filter !== undefined ? { filter: sel.filter } : {}),
      ...(sel.since ? { since: sel.since } : {}),
      ...(sel.until ? { until: sel.until } : {}),
      ...(sel.limit !== undefined ? { limit: sel.limit } : {}),
      onWarning: (w) => {
        progress.clear();
        printLoadWarning(w);
      },
      onProgress: progress.onProgress,
    });
  } finally {
    progress.clear();
  }
}
