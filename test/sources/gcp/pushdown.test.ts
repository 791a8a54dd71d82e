/**
 * Filter push-down: the Logging query each filter becomes, the interpreter
 * that stands for Cloud Logging, and the property that matters — the whole
 * filter applied locally to what the server returns for the pushed query
 * equals the whole filter applied locally to every entry (fast-check, random
 * filters over the real entries).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/filter/index.js';
import { buildGcpTable, gcpExtractor, loadGcpFiles, type LogEntry } from '../../../src/sources/gcp-audit/index.js';
import { compileLoggingQuery, parseLoggingQuery } from '../../../src/sources/gcp-audit/logging-query.js';
import { pushdownQuery, serverQuery } from '../../../src/sources/gcp-audit/pushdown.js';
import { entryTime } from '../../../src/sources/gcp-audit/time.js';
import { inWindow } from '../../../src/sources/gcp-audit/apply.js';
import { needSharedData, sharedData, skip } from '../../helpers.js';

const pd = (f: string) => pushdownQuery(compile(f).ast);

describe('translation', () => {
  it.each([
    ['gcp.methodName == "SetIamPolicy"', 'protoPayload.methodName = "SetIamPolicy"'],
    ['gcp.methodName = SetIamPolicy and gcp.user = "a@b.c"', 'protoPayload.methodName = "SetIamPolicy" AND protoPayload.authenticationInfo.principalEmail = "a@b.c"'],
    ['gcp.serviceName in {"iam.googleapis.com" "storage.googleapis.com"}', '(protoPayload.serviceName = "iam.googleapis.com" OR protoPayload.serviceName = "storage.googleapis.com")'],
    ['gcp.resourceType in (gcs_bucket, project) or gcp.projectId = "p-1"', '(resource.type = "gcs_bucket" OR resource.type = "project" OR resource.labels.project_id = "p-1")'],
    ['gcp.severity == "ERROR" && gcp.callerIP == "203.0.113.66"', 'severity = "ERROR" AND protoPayload.requestMetadata.callerIp = "203.0.113.66"'],
    ['gcp.user contains "@evil.com" and gcp.methodName startswith "google.iam."', 'protoPayload.authenticationInfo.principalEmail =~ "@evil\\\\.com" AND protoPayload.methodName =~ "^google\\\\.iam\\\\."'],
    ['gcp.user icontains "ADMIN" or gcp.resourceName endswith "/keys"', '(protoPayload.authenticationInfo.principalEmail =~ "(?i)ADMIN" OR protoPayload.resourceName =~ "/keys$")'],
    ['gcp.time >= "2026-03-14T09:00:00Z" and gcp.time < "2026-03-14T10:00:00.5Z"', 'timestamp >= "2026-03-14T09:00:00Z" AND timestamp < "2026-03-14T10:00:00.5Z"'],
    ['gcp.logType == "data_access"', '(log_id("cloudaudit.googleapis.com/data_access") OR log_id("data_access"))'],
    ['gcp.status.code == 7', 'protoPayload.status.code = 7'],
    // the rest runs locally: negation, !=, regexes, unmapped fields, field-to-field
    ['gcp.methodName == "x" and not gcp.user == "y"', 'protoPayload.methodName = "x"'],
    ['gcp.methodName == "x" or gcp.user != "y"', ''],
    ['gcp.policyDelta contains "allUsers" and gcp.storage.bucket == "b"', 'resource.labels.bucket_name = "b"'],
    ['gcp.user matches "^sa-" && gcp.location == "us-central1"', '(resource.labels.location = "us-central1" OR resource.labels.region = "us-central1" OR resource.labels.zone =~ "^us-central1[\\\\s\\\\S]{1,2}$")'],
    ['gcp.location in ("eu", "global")', '(resource.labels.location = "eu" OR resource.labels.region = "eu" OR resource.labels.zone =~ "^eu[\\\\s\\\\S]{1,2}$" OR resource.labels.zone = "eu" OR resource.labels.location = "global" OR resource.labels.region = "global" OR resource.labels.zone =~ "^global[\\\\s\\\\S]{1,2}$")'],
    ['gcp.user == gcp.callerIP', ''],
    ['not (gcp.user == "a" or gcp.methodName == "b")', ''],
    ['not not gcp.user == "a"', 'protoPayload.authenticationInfo.principalEmail = "a"'],
    ['gcp.methodName == ""', ''],
    ['gcp.user == "quote\\"and\\\\slash"', 'protoPayload.authenticationInfo.principalEmail = "quote\\"and\\\\slash"'],
  ])('%s', (filter, query) => {
    expect(pd(filter)).toBe(query);
    if (query) expect(() => parseLoggingQuery(query)).not.toThrow();
  });

  it('keeps the query under Cloud Logging\'s 20,000 characters (the filter then runs only locally)', () => {
    const many = Array.from({ length: 800 }, (_, i) => `"principal-${i}@example.com"`).join(' ');
    const q = serverQuery({ since: new Date(0), until: new Date(1000), ast: compile(`gcp.user in {${many}}`).ast });
    expect(q).toBe('timestamp >= "1970-01-01T00:00:00.000Z" AND timestamp < "1970-01-01T00:00:01.000Z"');
  });

  it('always sends an explicit time range and the log of the URL', () => {
    const q = serverQuery({
      logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity',
      since: new Date('2026-03-14T09:00:00Z'),
      until: new Date('2026-03-14T12:00:00Z'),
      ast: compile('gcp.methodName == "SetIamPolicy"').ast,
    });
    expect(q).toBe(
      'logName = "projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity" AND timestamp >= "2026-03-14T09:00:00.000Z" AND timestamp < "2026-03-14T12:00:00.000Z" AND protoPayload.methodName = "SetIamPolicy"',
    );
  });
});

describe('the Logging query interpreter', () => {
  const e = {
    logName: 'projects/p/logs/cloudaudit.googleapis.com%2Fdata_access',
    timestamp: '2024-05-01T10:00:00.123456789Z',
    severity: 'NOTICE',
    resource: { type: 'gcs_bucket', labels: { bucket_name: 'b-1' } },
    protoPayload: { methodName: 'storage.objects.get', status: { code: 7 } },
  };
  it.each([
    ['protoPayload.methodName = "storage.objects.get"', true],
    ['protoPayload.methodName = "storage.objects.GET"', false],
    ['protoPayload.methodName =~ "^storage\\\\."', true],
    ['protoPayload.methodName =~ "(?i)OBJECTS"', true],
    ['protoPayload.methodName !~ "objects"', false],
    ['protoPayload.methodName : "objects"', true],
    ['resource.labels.bucket_name = "b-1" resource.type = gcs_bucket', true],
    ['resource.type = "x" OR resource.type = "gcs_bucket" AND severity = "NOTICE"', true],
    ['resource.type = "x" OR resource.type = "y" AND severity = "NOTICE"', false],
    ['NOT protoPayload.serviceName = "x"', true],
    ['-protoPayload.methodName = "storage.objects.get"', false],
    ['protoPayload.serviceName = "x"', false],
    ['protoPayload.status.code = 7', true],
    ['timestamp >= "2024-05-01T10:00:00.123456789Z" AND timestamp < "2024-05-01T10:00:00.12345679Z"', true],
    ['timestamp > "2024-05-01T10:00:00.123456789Z"', false],
    ['log_id("cloudaudit.googleapis.com/data_access")', true],
    ['log_id("cloudaudit.googleapis.com/activity")', false],
    ['', true],
  ])('%s → %s', (q, expected) => {
    expect(compileLoggingQuery(q)(e)).toBe(expected);
  });
  it('rejects bad syntax with an offset', () => {
    expect(() => parseLoggingQuery('a = "x')).toThrow(/unterminated string at offset 4/);
    expect(() => parseLoggingQuery('(a = b')).toThrow(/expected rp/);
  });
});

// ---------------------------------------------------------------- property

/** Filter fields, pushable or not, with the values the real entries give them. */
const FIELDS = [
  'gcp.methodName', 'gcp.serviceName', 'gcp.user', 'gcp.callerIP', 'gcp.userAgent', 'gcp.resourceName', 'gcp.resourceType',
  'gcp.projectId', 'gcp.storage.bucket', 'gcp.severity', 'gcp.logName', 'gcp.insertId', 'gcp.logType', 'gcp.location',
  'gcp.policyDelta', 'gcp.request', 'gcp.authorizationInfo', 'gcp.compute.instanceId', 'gcp.iam.serviceAccount',
];

function quoteWs(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') + '"';
}

function arbitraries(entries: LogEntry[]) {
  const pools: Record<string, string[]> = {};
  for (const f of FIELDS) {
    const vals = new Set<string>();
    for (const e of entries) {
      const v = gcpExtractor(f)(e);
      if (typeof v === 'string' && v.length < 300) vals.add(v);
    }
    pools[f] = [...vals, 'x', ''];
  }
  const times = entries.map((e) => gcpExtractor('gcp.time')(e)).filter((t): t is string => typeof t === 'string' && /^\d{4}-\d\d-\d\dT/.test(t));
  const field = fc.constantFrom(...FIELDS);
  const valueOf = (f: string) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...pools[f]!) },
      { weight: 2, arbitrary: fc.constantFrom(...pools[f]!).chain((v) => fc.tuple(fc.nat(v.length), fc.nat(v.length)).map(([a, b]) => v.slice(Math.min(a, b), Math.max(a, b)))) },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    );
  const caseFlip = (s: string) => fc.boolean().map((up) => (up ? s.toUpperCase() : s.toLowerCase()));
  const atom: fc.Arbitrary<string> = fc.oneof(
    field.chain((f) => valueOf(f).map((v) => `${f} == ${quoteWs(v)}`)),
    field.chain((f) => valueOf(f).map((v) => `${f} != ${quoteWs(v)}`)),
    field.chain((f) => fc.constantFrom('contains', 'startswith', 'endswith').chain((op) => valueOf(f).map((v) => `${f} ${op} ${quoteWs(v)}`))),
    field.chain((f) => valueOf(f).chain(caseFlip).map((v) => `${f} icontains ${quoteWs(v)}`)),
    field.chain((f) => fc.array(valueOf(f), { minLength: 1, maxLength: 3 }).map((vs) => `${f} in {${vs.map(quoteWs).join(' ')}}`)),
    field.chain((f) => fc.array(valueOf(f), { minLength: 1, maxLength: 3 }).map((vs) => `${f} in (${vs.map(quoteWs).join(', ')})`)),
    field.map((f) => `${f} exists`),
    fc.tuple(fc.constantFrom('>=', '>', '<', '<=', '=='), fc.constantFrom(...times)).map(([op, t]) => `gcp.time ${op} ${quoteWs(t)}`),
    fc.constantFrom('gcp.status.code == 7', 'gcp.status.code == 3', 'gcp.user == gcp.callerIP', 'gcp.user matches "^[a-m]"'),
  );
  const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a}) and (${b})`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a}) or (${b})`),
      tie('e').map((a) => `not (${a})`),
    ),
  })).e;
  const instants = times.filter((t) => !Number.isNaN(Date.parse(t)));
  const window = fc.option(
    fc.tuple(fc.constantFrom(...instants), fc.constantFrom(...instants)).map(([a, b]) => (a < b ? [a, b] : [b, a]) as [string, string]),
    { nil: undefined },
  );
  return { expr, window };
}

describe.skipIf(skip(needSharedData('gcp')))('push-down property over the real entries', () => {
  it('local(server(pushed)) == local(all), for random filters and time windows', async () => {
    const { table } = await loadGcpFiles([sharedData('gcp')]);
    // plus hostile variants: non-string values, odd zones, case changes, missing pieces
    const hostile: LogEntry[] = [
      { logName: 'projects/p/logs/cloudaudit.googleapis.com%2Factivity', timestamp: '2021-01-01T00:00:00Z', resource: { type: 'gce_instance', labels: { zone: 'us-central1😀', project_id: 7 } }, protoPayload: { methodName: ['SetIamPolicy'], serviceName: 'IAM.googleapis.com', authenticationInfo: { principalEmail: null } } },
      { logName: 'projects/p/logs/policy', timestamp: '2021-01-01T00:00:01Z', resource: { type: 'x', labels: { zone: 'ab', region: '' } }, protoPayload: { methodName: 'setiampolicy', requestMetadata: { callerIp: '' } } },
      { logName: 'projects/p/logs/cloudaudit.googleapis.com%2Fdata_access', receiveTimestamp: '2021-01-01T00:00:02Z', resource: { labels: { location: 'us-central1', zone: 'us-central1-a' } }, protoPayload: { status: { code: '7' } } },
      { logName: 42, timestamp: 'yesterday', severity: 'error', protoPayload: { methodName: 'SetIamPolicy\n', resourceName: 'projects/p\"q' } },
    ];
    const entries = [...(table.array('raw') as LogEntry[]), ...hostile];
    const rows = entries.map((entry) => ({ entry, t: entryTime(entry).t }));
    const all = buildGcpTable(rows);
    const { expr, window } = arbitraries(entries);
    let pushedSomething = 0;
    let narrowed = 0;
    fc.assert(
      fc.property(expr, window, (filter, win) => {
        let compiled;
        try {
          compiled = compile(filter);
        } catch {
          return true; // not a valid filter for these fields (types): nothing to push
        }
        const since = new Date(win ? Date.parse(win[0]) : 0);
        const until = new Date(win ? Date.parse(win[1]) + 1 : Date.parse('2100-01-01T00:00:00Z'));
        const w = { since, until };
        const local = new Set(compiled.filter(buildGcpTable(rows.filter((r) => inWindow(r, w)))).array('raw') as LogEntry[]);
        const q = serverQuery({ since, until, ast: compiled.ast });
        const matches = compileLoggingQuery(q);
        const served = rows.filter((r) => matches(r.entry));
        const fromServer = new Set(compiled.filter(buildGcpTable(served.filter((r) => inWindow(r, w)))).array('raw') as LogEntry[]);
        if (pushdownQuery(compiled.ast)) pushedSomething++;
        if (served.length < rows.length) narrowed++;
        expect([...fromServer].length).toBe(local.size);
        for (const e of local) expect(fromServer.has(e)).toBe(true);
        return true;
      }),
      { numRuns: Number(process.env.GCP_PUSHDOWN_RUNS ?? 400), seed: Number(process.env.GCP_PUSHDOWN_SEED ?? 20260314) },
    );
    expect(all.numRows()).toBe(entries.length);
    // the property is not vacuous: most filters push something and the server returns less
    expect(pushedSomething).toBeGreaterThan(100);
    expect(narrowed).toBeGreaterThan(100);
  }, 120_000);
});
