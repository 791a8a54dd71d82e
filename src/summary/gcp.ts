/**
 * A first look at GCP audit logs: principals (calls, denied calls,
 * methods, caller IPs), denied calls by principal and IP, IAM and
 * storage policy changes with their binding deltas (public buckets, outside
 * members, owner grants), notable methods (keys, sinks, VMs, metadata),
 * anonymous access, and the top methods.
 */
import { rowIndices } from '../frames/rows.js';
import { fieldAccessor, type Table } from '../frames/table.js';
import { toEpochMs } from '../frames/time.js';
import { textValue } from '../frames/format-value.js';
import { pick, type Report, type Section, timeText } from './report.js';

/** Method name patterns worth a look, with why. */
const NOTABLE: [RegExp, string][] = [
  [/CreateServiceAccountKey$/, 'new service account key'],
  [/CreateServiceAccount$/, 'new service account'],
  [/SignBlob$|SignJwt$|GenerateAccessToken$/, 'service account impersonation'],
  [/ConfigServiceV2\.(DeleteSink|UpdateSink)$|DeleteLog$/, 'audit log sink changed'],
  [/SetIamPolicy$|setIamPermissions$/i, 'IAM policy changed'],
  [/compute\.instances\.insert$/, 'VM created'],
  [/compute\.instances\.setMetadata$|compute\.projects\.setCommonInstanceMetadata$/, 'instance metadata changed (ssh keys?)'],
  [/compute\.firewalls\.(insert|patch|update)$/, 'firewall rule changed'],
  [/storage\.buckets\.(delete|update|patch)$/, 'bucket changed'],
  [/DisableService|DeleteProject$/, 'service or project disabled'],
];

const PUBLIC = /^(allUsers|allAuthenticatedUsers)$/;

interface Delta {
  action: string;
  role: string;
  member: string;
}

/** The binding deltas of a policy change, wherever the entry carries them. */
function bindingDeltas(entry: unknown): Delta[] {
  const lists = [
    pick(entry, 'protoPayload', 'serviceData', 'policyDelta', 'bindingDeltas'),
    pick(entry, 'protoPayload', 'metadata', 'datasetChange', 'bindingDeltas'),
    pick(entry, 'protoPayload', 'metadata', 'policyDelta', 'bindingDeltas'),
  ];
  for (const l of lists) {
    if (Array.isArray(l)) {
      return l
        .filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null)
        .map((d) => ({ action: String(d.action ?? '?'), role: String(d.role ?? '?'), member: String(d.member ?? '?') }));
    }
  }
  return [];
}

function why(d: Delta): string {
  if (d.action !== 'ADD') return '';
  const flags: string[] = [];
  if (PUBLIC.test(d.member)) flags.push('PUBLIC');
  if (/roles\/(owner|editor)$/.test(d.role)) flags.push('PRIVILEGED');
  if (/gmail\.com$/i.test(d.member)) flags.push('OUTSIDE ACCOUNT');
  return flags.length ? ` ${flags.join(', ')}` : '';
}

export function summarizeGcp(table: Table, opts: { top?: number } = {}): Report {
  const top = opts.top ?? 10;
  const rows = rowIndices(table);
  const get = (f: string) => fieldAccessor(table, f) ?? (() => null);
  const [time, user, method, ip, resource, code, service, project] = [
    'time', 'gcp.user', 'gcp.methodName', 'gcp.callerIP', 'gcp.resourceName', 'gcp.status.code', 'gcp.serviceName', 'gcp.projectId',
  ].map(get);
  const raw = table.column('raw');
  let first = Infinity;
  let last = -Infinity;
  const principals = new Map<string, { calls: number; denied: number; methods: Map<string, number>; ips: Set<string> }>();
  const denied = new Map<string, { who: string; ip: string; n: number; first: number; last: number; methods: Set<string> }>();
  const notable = new Map<string, { t: number; who: string; ip: string; method: string; why: string; count: number; resources: string[] }>();
  const iam: unknown[][] = [];
  const methods = new Map<string, number>();
  const reads = new Map<string, { who: string; bucket: string; n: number; objects: Set<string>; ips: Set<string>; first: number; last: number }>();
  const bucketOf = get('gcp.storage.bucket');
  const projects = new Set<string>();
  const services = new Set<string>();
  for (const row of rows) {
    const t = toEpochMs(time!(row) as any);
    if (t < first) first = t;
    if (t > last) last = t;
    const who = textValue(user!(row)) || '(anonymous)';
    const from = textValue(ip!(row)) || '-';
    const m = textValue(method!(row)) || '?';
    const res = textValue(resource!(row));
    const c = Number(code!(row) ?? 0) || 0;
    const p = textValue(project!(row));
    if (p) projects.add(p);
    const svc = textValue(service!(row));
    if (svc) services.add(svc);
    methods.set(m, (methods.get(m) ?? 0) + 1);
    let pr = principals.get(who);
    if (!pr) principals.set(who, (pr = { calls: 0, denied: 0, methods: new Map(), ips: new Set() }));
    pr.calls++;
    pr.methods.set(m, (pr.methods.get(m) ?? 0) + 1);
    pr.ips.add(from);
    if (c !== 0) {
      pr.denied++;
      const k = `${who}\u0000${from}`;
      let d = denied.get(k);
      if (!d) denied.set(k, (d = { who, ip: from, n: 0, first: t, last: t, methods: new Set() }));
      d.n++;
      d.last = Math.max(d.last, t);
      d.methods.add(m);
    }
    if (m === 'storage.objects.get' && c === 0) {
      const bucket = textValue(bucketOf!(row)) || (/buckets\/([^/]+)/.exec(res)?.[1] ?? '?');
      const k = `${who}\u0000${bucket}`;
      let r = reads.get(k);
      if (!r) reads.set(k, (r = { who, bucket, n: 0, objects: new Set(), ips: new Set(), first: t, last: t }));
      r.n++;
      r.objects.add(res);
      r.ips.add(from);
      r.first = Math.min(r.first, t);
      r.last = Math.max(r.last, t);
    }
    const when = timeText(t);
    const hit = NOTABLE.find(([re]) => re.test(m));
    if (hit) {
      const k = `${who}\u0000${from}\u0000${m}\u0000${c}`;
      const n = notable.get(k);
      const reason = hit[1] + (c !== 0 ? ' (failed)' : '');
      if (!n) notable.set(k, { t, who, ip: from, method: m, why: reason, count: 1, resources: res ? [res] : [] });
      else {
        n.count++;
        if (res && n.resources.length < 20 && !n.resources.includes(res)) n.resources.push(res);
      }
    }
    if (/SetIamPolicy$|setIamPermissions$/i.test(m) && c === 0) {
      const deltas = bindingDeltas(raw?.at(row));
      const text = deltas.length ? deltas.map((d) => `${d.action} ${d.role} ${d.member}${why(d)}`).join('; ') : '(no binding deltas recorded)';
      iam.push([when, who, from, res, text]);
    }
  }
  const sec = (title: string, columns: string[], r: unknown[][], note?: string): Section => (note ? { title, note, columns, rows: r } : { title, columns, rows: r });
  const principalRows = [...principals]
    .sort((a, b) => b[1].calls - a[1].calls || (a[0] < b[0] ? -1 : 1))
    .slice(0, top)
    .map(([who, p]) => {
      const ms = [...p.methods].sort((a, b) => b[1] - a[1]);
      return [who, p.calls, p.denied, ms.length, ms.slice(0, 2).map(([x, n]) => `${x} (${n})`).join(', '), [...p.ips].slice(0, 3).join(', ')];
    });
  const deniedRows = [...denied.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, top)
    .map((d) => [d.who, d.ip, d.n, timeText(d.first), timeText(d.last), [...d.methods].slice(0, 4).join(', ')]);
  const notableRows = [...notable.values()]
    .sort((a, b) => a.t - b.t)
    .slice(0, top * 5)
    .map((n) => [timeText(n.t), n.method, n.who, n.ip, n.count, `${n.why}${n.resources.length ? ': ' + n.resources.slice(0, 2).join(', ') + (n.resources.length > 2 ? ` +${n.resources.length - 2}` : '') : ''}`]);
  const methodRows = [...methods].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top);
  const anonymous = principals.get('(anonymous)');
  const readRows = [...reads.values()]
    .sort((a, b) => (a.who === '(anonymous)' ? -1 : 0) - (b.who === '(anonymous)' ? -1 : 0) || b.n - a.n)
    .slice(0, top)
    .map((r) => [r.who, r.bucket, r.n, r.objects.size, timeText(r.first), timeText(r.last), [...r.ips].slice(0, 3).join(', ')]);
  return {
    title: 'GCP audit log summary',
    facts: [
      ['events', String(rows.length)],
      ['time span', Number.isFinite(first) ? `${timeText(first)} .. ${timeText(last)}` : '-'],
      ['projects', [...projects].sort().slice(0, 8).join(', ')],
      ['services', String(services.size)],
      ['anonymous calls', String(anonymous?.calls ?? 0)],
    ],
    sections: [
      sec('Top principals', ['principal', 'calls', 'denied', 'methods', 'most called', 'caller IPs'], principalRows),
      sec('Denied calls by principal and IP', ['principal', 'caller IP', 'denied', 'from', 'to', 'methods'], deniedRows, 'calls with a non-OK status (PERMISSION_DENIED while a stolen credential probes its permissions)'),
      sec('IAM and storage policy changes', ['time', 'principal', 'caller IP', 'resource', 'binding deltas'], iam.slice(0, top * 3), 'PUBLIC: allUsers/allAuthenticatedUsers; PRIVILEGED: owner/editor; OUTSIDE ACCOUNT: a gmail.com member'),
      sec('Object reads by principal and bucket', ['principal', 'bucket', 'reads', 'objects', 'first', 'last', 'caller IPs'], readRows, 'storage.objects.get (data access logs), anonymous readers first: downloads from a public bucket show up here'),
      sec('Notable events', ['first seen', 'method', 'principal', 'caller IP', 'count', 'why'], notableRows),
      sec('Top methods', ['method', 'count'], methodRows),
    ],
  };
}
