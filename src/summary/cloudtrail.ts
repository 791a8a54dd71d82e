/**
 * "Who did what" over CloudTrail events, for a first look at an incident:
 * top principals with their call and error counts, errors by code and
 * principal, AccessDenied bursts, top API calls, source IPs, and notable
 * events (new users and keys, console logins without MFA, role chaining,
 * logging and policy changes).
 */
import { countBy } from '../frames/count-by.js';
import { rowIndices } from '../frames/rows.js';
import { fieldAccessor, type Table } from '../frames/table.js';
import { toEpochMs } from '../frames/time.js';
import { NOTABLE, notableDetail } from './cloudtrail-notable.js';
import { pick, pickStr, type Report, type Section, timeText } from './report.js';
import { roleChains, roleName } from './role-chains.js';

export interface CloudTrailSummaryOptions {
  /** rows per ranking section; default 10 */
  top?: number;
  /** AccessDenied burst: at least this many denials... (default 5) */
  burstMin?: number;
  /** ...with no gap longer than this between consecutive ones (ms; default 5 minutes) */
  burstGapMs?: number;
}

const DENIED = /AccessDenied|UnauthorizedOperation|Unauthorized|Forbidden|NotAuthorized/i;

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

function humanBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i ? `${v.toFixed(1)} ${units[i]}` : `${n} B`;
}

function section(title: string, columns: string[], rows: unknown[][], note?: string): Section {
  return note ? { title, note, columns, rows } : { title, columns, rows };
}

/** The CloudTrail summary of a table (rows of other sources are ignored). */
export function summarizeCloudTrail(table: Table, opts: CloudTrailSummaryOptions = {}): Report {
  const top = opts.top ?? 10;
  const burstMin = opts.burstMin ?? 5;
  const burstGap = opts.burstGapMs ?? 5 * 60_000;
  const get = (f: string) => fieldAccessor(table, f) ?? (() => null);
  const [time, user, itype, arn, name, src, error, ip, account, region] = [
    'time', 'ct.user', 'ct.user.identitytype', 'ct.user.arn', 'ct.name', 'ct.shortsrc', 'ct.error', 'ct.srcip', 'ct.user.accountid', 'ct.region',
  ].map(get);
  const rawCol = table.column('raw');
  const rows = rowIndices(table);
  const principalOf = (row: number) => str(user!(row)) ?? str(arn!(row)) ?? (str(itype!(row)) ? `(${itype!(row)})` : '(unknown)');

  // principals
  const principals = new Map<string, { type: string; calls: number; errors: number; apis: Map<string, number>; ips: Set<string> }>();
  const errors = new Map<string, { code: string; principal: string; count: number }>();
  const denials = new Map<string, { t: number; api: string; ip: string }[]>();
  const ipStats = new Map<string, { count: number; principals: Set<string>; errors: number }>();
  const notable = new Map<string, { t: number; event: string; who: string; from: string; why: string; count: number; details: string[] }>();
  const note = (t: number, event: string, who: string, from: string, why: string, detail = '') => {
    const key = [event, who, from, why].join('\u0000');
    const n = notable.get(key);
    if (!n) notable.set(key, { t, event, who, from, why, count: 1, details: detail ? [detail] : [] });
    else {
      n.count++;
      if (detail && n.details.length < 50 && !n.details.includes(detail)) n.details.push(detail);
    }
  };
  const chains = new Map<string, { from: string; fromName: string; fromType: string; to: string; toName: string; count: number; first: number }>();
  const s3reads = new Map<string, { who: string; bucket: string; objects: number; bytes: number; first: number; last: number; ips: Set<string> }>();
  let first = Infinity;
  let last = -Infinity;
  const accounts = new Set<string>();
  const regions = new Set<string>();

  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const t = toEpochMs(time!(row) as any);
    if (t < first) first = t;
    if (t > last) last = t;
    const who = principalOf(row);
    const api = `${str(src!(row)) ?? '?'}:${str(name!(row)) ?? '?'}`;
    const err = str(error!(row));
    const from = str(ip!(row)) ?? '(none)';
    const acct = str(account!(row));
    if (acct) accounts.add(acct);
    const reg = str(region!(row));
    if (reg) regions.add(reg);

    let p = principals.get(who);
    if (!p) principals.set(who, (p = { type: str(itype!(row)) ?? '', calls: 0, errors: 0, apis: new Map(), ips: new Set() }));
    p.calls++;
    p.apis.set(api, (p.apis.get(api) ?? 0) + 1);
    p.ips.add(from);
    let s = ipStats.get(from);
    if (!s) ipStats.set(from, (s = { count: 0, principals: new Set(), errors: 0 }));
    s.count++;
    s.principals.add(who);
    if (err) {
      p.errors++;
      s.errors++;
      const k = `${err}\u0000${who}`;
      const e = errors.get(k);
      if (e) e.count++;
      else errors.set(k, { code: err, principal: who, count: 1 });
      if (DENIED.test(err)) {
        let d = denials.get(who);
        if (!d) denials.set(who, (d = []));
        d.push({ t, api, ip: from });
      }
    }

    const evName = str(name!(row)) ?? '';
    const raw = rawCol?.at(row);
    if (evName === 'GetObject' && !err) {
      const bucket = pickStr(raw, 'requestParameters', 'bucketName') ?? '?';
      const k = `${who}\u0000${bucket}`;
      const out = Number(pick(raw, 'additionalEventData', 'bytesTransferredOut') ?? 0) || 0;
      let r = s3reads.get(k);
      if (!r) s3reads.set(k, (r = { who, bucket, objects: 0, bytes: 0, first: t, last: t, ips: new Set() }));
      r.objects++;
      r.bytes += out;
      if (t < r.first) r.first = t;
      if (t > r.last) r.last = t;
      r.ips.add(from);
    }
    if (evName === 'ConsoleLogin') {
      const mfa = pickStr(raw, 'additionalEventData', 'MFAUsed');
      const outcome = pickStr(raw, 'responseElements', 'ConsoleLogin') ?? (err ? 'Failure' : '');
      if (mfa === 'No' && outcome === 'Success') note(t, 'ConsoleLogin', who, from, 'console login without MFA');
      else if (outcome === 'Failure') note(t, 'ConsoleLogin', who, from, 'failed console login', pickStr(raw, 'errorMessage') ?? '');
      else if (str(itype!(row)) === 'Root') note(t, 'ConsoleLogin', who, from, 'root console login');
    } else if (evName === 'AssumeRole' && !err) {
      const target = pickStr(raw, 'requestParameters', 'roleArn') ?? '?';
      const callerType = str(itype!(row));
      if (callerType === 'AssumedRole' || callerType === 'IAMUser' || callerType === 'Root') {
        const fromArn = str(arn!(row)) ?? who;
        const key = `${fromArn}\u0000${target}`;
        const c = chains.get(key);
        if (c) c.count++;
        else chains.set(key, { from: fromArn, fromName: who, fromType: callerType, to: target, toName: roleName(target), count: 1, first: t });
      }
    } else if (NOTABLE[evName]) {
      note(t, evName, who, from, `${NOTABLE[evName]}${err ? ` (failed: ${err})` : ''}`, notableDetail(evName, raw));
    }
  }

  // AccessDenied bursts: runs of denials by one principal with short gaps
  const bursts: unknown[][] = [];
  for (const [who, ds] of denials) {
    ds.sort((a, b) => a.t - b.t);
    let start = 0;
    for (let i = 1; i <= ds.length; i++) {
      if (i === ds.length || !(ds[i]!.t - ds[i - 1]!.t <= burstGap)) {
        const run = ds.slice(start, i);
        if (run.length >= burstMin) {
          const apis = new Map<string, number>();
          for (const d of run) apis.set(d.api, (apis.get(d.api) ?? 0) + 1);
          const apiList = [...apis].sort((a, b) => b[1] - a[1]).map(([a]) => a);
          bursts.push([
            who,
            run.length,
            timeText(run[0]!.t),
            timeText(run[run.length - 1]!.t),
            `${apiList.slice(0, 4).join(', ')}${apiList.length > 4 ? ` +${apiList.length - 4}` : ''}`,
            [...new Set(run.map((d) => d.ip))].slice(0, 3).join(', '),
          ]);
        }
        start = i;
      }
    }
  }
  bursts.sort((a, b) => (b[1] as number) - (a[1] as number));

  const topPrincipals = [...principals]
    .sort((a, b) => b[1].calls - a[1].calls || (a[0] < b[0] ? -1 : 1))
    .slice(0, top)
    .map(([who, p]) => {
      const apis = [...p.apis].sort((a, b) => b[1] - a[1]);
      return [who, p.type, p.calls, p.errors, apis.length, apis.slice(0, 3).map(([a, n]) => `${a} (${n})`).join(', ')];
    });
  const topErrors = [...errors.values()]
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1))
    .slice(0, top * 2)
    .map((e) => [e.code, e.principal, e.count]);
  const calls = countBy(table, ['ct.shortsrc', 'ct.name'], { top });
  const topCalls = calls.objects().map((o: any) => [`${o['ct.shortsrc'] ?? '?'}:${o['ct.name'] ?? '?'}`, o.count]);
  const topIps = [...ipStats]
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .slice(0, top)
    .map(([addr, s]) => [addr, s.count, s.errors, s.principals.size, [...s.principals].slice(0, 3).join(', ')]);
  const notableRows = [...notable.values()]
    .sort((a, b) => a.t - b.t)
    .map((n) => {
      const shown = n.details.slice(0, 2).join(', ');
      const more = n.details.length > 2 ? ` +${n.details.length - 2} more` : '';
      return [timeText(n.t), n.event, n.who, n.from, n.count, `${n.why}${shown ? ': ' + shown + more : ''}`];
    });
  const chainRows = roleChains([...chains.values()]);
  const s3Rows = [...s3reads.values()]
    .sort((a, b) => b.bytes - a.bytes || b.objects - a.objects)
    .slice(0, top)
    .map((r) => [r.who, r.bucket, r.objects, humanBytes(r.bytes), timeText(r.first), timeText(r.last), [...r.ips].slice(0, 3).join(', ')]);

  const span = Number.isFinite(first) ? `${timeText(first)} .. ${timeText(last)}` : '-';
  return {
    title: 'CloudTrail summary',
    facts: [
      ['events', String(rows.length)],
      ['time span', span],
      ['principals', String(principals.size)],
      ['accounts', [...accounts].sort().slice(0, 8).join(', ') + (accounts.size > 8 ? ` (+${accounts.size - 8})` : '')],
      ['regions', [...regions].sort().slice(0, 8).join(', ') + (regions.size > 8 ? ` (+${regions.size - 8})` : '')],
    ],
    sections: [
      section('Top principals', ['principal', 'type', 'calls', 'errors', 'apis', 'most called'], topPrincipals),
      section('Errors by code and principal', ['error', 'principal', 'count'], topErrors),
      section(
        'AccessDenied bursts',
        ['principal', 'denials', 'from', 'to', 'apis', 'source IPs'],
        bursts.slice(0, top),
        `${burstMin}+ denied calls by one principal, at most ${Math.round(burstGap / 60000)} min apart (enumeration or a stolen key probing its permissions)`,
      ),
      section('Top API calls', ['service:api', 'count'], topCalls),
      section('Source IPs', ['source', 'events', 'errors', 'principals', 'who'], topIps),
      section(
        'Notable events',
        ['first seen', 'event', 'principal', 'source', 'count', 'why'],
        notableRows.slice(0, top * 5),
        notableRows.length > top * 5 ? `first ${top * 5} of ${notableRows.length} (repeats of one event by one principal from one source are counted, not listed)` : undefined,
      ),
      section('S3 reads by principal and bucket', ['principal', 'bucket', 'objects', 'bytes out', 'first', 'last', 'source IPs'], s3Rows, 'successful GetObject calls, by bytes transferred out (exfiltration shows up here)'),
      section('AssumeRole chains', ['chain', 'hops', 'first'], chainRows.slice(0, top * 2), 'who assumed which role, followed through roles assuming further roles (role chaining)'),
    ],
  };
}
