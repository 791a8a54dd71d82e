/**
 * The s3 command-line options, for the CLI to add to `read` and friends:
 * `--region R,...`, `--account A,...`, `--interval I`, `--concurrency N`,
 * `--no-cache`, `--cache-max SIZE`, `--delivery-margin D`, `--profile P`,
 * `--endpoint URL`. `s3LoadOptions(parsed)` turns parsed values into
 * S3LoadOptions, throwing a plain Error (the CLI shows it as a usage error).
 */
import type { OptionSpec } from '../../cli/args.js';
import type { S3LoadOptions } from './load.js';
import { parseInterval } from './interval.js';

export const S3_CLI_OPTIONS: readonly OptionSpec[] = [
  { name: 'region', value: 'R,...', multiple: true, help: 's3://: CloudTrail regions to read (default: all found)' },
  { name: 'account', value: 'A,...', multiple: true, help: 's3://: 12-digit accounts to read (default: all, incl. organization trails)' },
  { name: 'interval', value: 'I', help: "s3://: Falco s3Interval range: 5d, 2w-1w, <RFC3339>-<RFC3339>, <RFC3339>-5d" },
  { name: 'concurrency', value: 'N', help: 's3://: objects read at once (default 16)' },
  { name: 'no-cache', help: 's3://: neither read nor write the local cache' },
  { name: 'cache-max', value: 'SIZE', help: 's3://: cache size cap, e.g. 2G, 500M (default 4G; least recently used evicted)' },
  { name: 'delivery-margin', value: 'D', help: 's3://: read files delivered up to D after the range (default 1h)' },
  { name: 'profile', value: 'NAME', help: 's3://: AWS profile (default AWS_PROFILE)' },
  { name: 'endpoint', value: 'URL', help: 's3://: S3-compatible endpoint (default AWS_ENDPOINT_URL_S3 / profile endpoint_url)' },
];

/** `2G`, `500M`, `64K`, `1000` (bytes) to bytes. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!m) throw new Error(`bad size ${JSON.stringify(text)}: expected e.g. 500M, 2G, 1.5T`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * mult);
}

type Parsed = Record<string, string | string[] | boolean | undefined>;

const one = (v: string | string[] | boolean | undefined): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) ? v[v.length - 1] : undefined;
const many = (v: string | string[] | boolean | undefined): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

/** S3LoadOptions from the parsed s3 options (absent ones are left out). */
export function s3LoadOptions(o: Parsed): Partial<S3LoadOptions> {
  const out: Partial<S3LoadOptions> = {};
  const regions = many(o.region);
  if (regions.length) out.region = regions;
  const accounts = many(o.account);
  if (accounts.length) {
    const bad = accounts.find((a) => !/^\d{12}$/.test(a));
    if (bad) throw new Error(`--account ${bad}: expected a 12-digit account id`);
    out.account = accounts;
  }
  const interval = one(o.interval);
  if (interval !== undefined) {
    parseInterval(interval); // validate now, before anything is read
    out.interval = interval;
  }
  const conc = one(o.concurrency);
  if (conc !== undefined) {
    const n = Number(conc);
    if (!Number.isInteger(n) || n < 1 || n > 1024) throw new Error(`--concurrency ${conc}: expected an integer from 1 to 1024`);
    out.concurrency = n;
  }
  if (o['no-cache'] === true) out.noCache = true;
  const max = one(o['cache-max']);
  if (max !== undefined) out.cacheMaxBytes = parseSize(max);
  const margin = one(o['delivery-margin']);
  if (margin !== undefined) out.deliveryMargin = margin;
  const profile = one(o.profile);
  if (profile !== undefined) out.profile = profile;
  const endpoint = one(o.endpoint);
  if (endpoint !== undefined) out.endpoint = endpoint;
  return out;
}
