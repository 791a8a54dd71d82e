/**
 * The CloudTrail delivery layout in S3:
 *   [<prefix>/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<id>.json.gz
 * and organization trails, with `<org-id>/` between `AWSLogs/` and the account.
 * Here: where a prefix sits in that tree, and what a key's name says.
 */

/** How deep a prefix reaches into the layout. */
export type Level =
  | 'above' // no AWSLogs/ yet: the bucket root or a trail prefix such as `cloudtrail/`
  | 'awslogs' // `.../AWSLogs/`: children are accounts or org ids
  | 'org' // `.../AWSLogs/o-xxxx/`: children are accounts
  | 'account' // `.../<account>/`: child is CloudTrail/
  | 'cloudtrail' // `.../<account>/CloudTrail/`: children are regions
  | 'region' // `.../CloudTrail/<region>/`: children are YYYY/MM/DD/
  | 'date' // `.../<region>/YYYY/`, `YYYY/MM/` or `YYYY/MM/DD/`
  | 'unknown'; // something else (a partial name, a file prefix): listed as is

export interface TrailPrefix {
  level: Level;
  /** the prefix to list; ends with `/` except for `above` and `unknown` given without one */
  prefix: string;
  /** for `region` and `date`: the `.../CloudTrail/<region>/` the dates live under */
  regionRoot?: string;
  org?: string;
  account?: string;
  region?: string;
}

export const ORG_ID = /^o-[a-z0-9]{10,32}$/;
export const ACCOUNT_ID = /^\d{12}$/;
export const REGION = /^[a-z]{2}(?:-[a-z0-9]+)+-\d+$/;
const YEAR = /^\d{4}$/;
const TWO = /^\d{2}$/;

/** Where `prefix` (no leading slash) sits in the CloudTrail layout. */
export function classifyPrefix(prefix: string): TrailPrefix {
  const segs = prefix.split('/');
  const endsWithSlash = prefix === '' || prefix.endsWith('/');
  if (endsWithSlash) segs.pop();
  const at = segs.lastIndexOf('AWSLogs');
  if (at < 0) return { level: 'above', prefix };
  const rest = segs.slice(at + 1);
  const base = segs.slice(0, at + 1).join('/') + '/';
  // A prefix without a trailing slash whose last part is a complete token means that folder.
  let i = 0;
  const out: TrailPrefix = { level: 'awslogs', prefix: base };
  let path = base;
  const step = (level: Level, seg: string) => {
    path += seg + '/';
    out.level = level;
    out.prefix = path;
  };
  const unknown = (): TrailPrefix => ({ level: 'unknown', prefix });
  if (i < rest.length && ORG_ID.test(rest[i]!)) {
    out.org = rest[i]!;
    step('org', rest[i++]!);
  }
  if (i < rest.length) {
    if (!ACCOUNT_ID.test(rest[i]!)) return unknown();
    out.account = rest[i]!;
    step('account', rest[i++]!);
  }
  if (i < rest.length) {
    if (rest[i] !== 'CloudTrail') return unknown();
    step('cloudtrail', rest[i++]!);
  }
  if (i < rest.length) {
    if (!REGION.test(rest[i]!)) return unknown();
    out.region = rest[i]!;
    step('region', rest[i++]!);
    out.regionRoot = path;
  }
  const datePatterns = [YEAR, TWO, TWO];
  for (let d = 0; i < rest.length; d++) {
    if (d >= datePatterns.length || !datePatterns[d]!.test(rest[i]!)) return unknown();
    step('date', rest[i++]!);
  }
  return out;
}

const NAME_TS = /_CloudTrail_[^_/]+_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]*$/;

/** The delivery time in a log file's name (`..._20230710T1145Z_...`), in ms, or null. */
export function nameTimestamp(key: string): number | null {
  const m = NAME_TS.exec(key);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as number[];
  const t = Date.UTC(y!, mo! - 1, d!, h!, mi!);
  const back = new Date(t);
  if (back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d! || back.getUTCHours() !== h! || back.getUTCMinutes() !== mi!) return null;
  return t;
}

/** True for keys that hold CloudTrail events: `.json`/`.json.gz`, not digests nor Insights (skipped by Falco too). */
export function isLogKey(key: string): boolean {
  if (!/\.json(?:\.gz)?$/i.test(key)) return false;
  return !/\/CloudTrail-(?:Digest|Insight)\/|_CloudTrail-(?:Digest|Insight)_/.test(key);
}

/** `YYYY/MM/DD` of a UTC time, as in the layout. */
export function dayPath(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}`;
}
