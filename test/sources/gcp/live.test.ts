/**
 * gcp:// through the real @google-cloud/logging client against a Cloud
 * Logging server on loopback (grpc-js + proto-loader, ListLogEntries)
 * serving the real entries with protoPayload encoded as an Any of AuditLog:
 * pagination with progress, the filter text the server receives, push-down
 * equivalence, the limit, PERMISSION_DENIED and DEADLINE_EXCEEDED.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src/filter/index.js';
import { formatTime } from '../../../src/frames/time.js';
import { FALCO_GCP_FIELDS, gcpInfo, gcpLoader, loadGcpFiles, type LogEntry } from '../../../src/sources/gcp-audit/index.js';
import type { LoadOptions, Progress } from '../../../src/sources/types.js';
import { needSharedData, repoRoot, sharedData, skip } from '../../helpers.js';
import { startFakeLogging, type FakeServer } from './fake-logging-server.js';

const WINDOW = { since: '1999-01-01T00:00:00Z', until: '2027-01-01T00:00:00Z' };
const FIXTURE_WINDOW = { since: '2026-03-14T00:00:00Z', until: '2026-03-15T00:00:00Z' };

describe.skipIf(skip(needSharedData('gcp')))('gcp:// against a loopback Cloud Logging server', () => {
  let server: FakeServer;
  let fileEntries: LogEntry[];
  let fixtureCount: number;

  beforeAll(async () => {
    const real = await loadGcpFiles([sharedData('gcp')]);
    const fixture = await loadGcpFiles([path.join(repoRoot, 'fixtures/gcp')], FIXTURE_WINDOW);
    fixtureCount = fixture.table.numRows();
    fileEntries = [...(real.table.array('raw') as LogEntry[]), ...(fixture.table.array('raw') as LogEntry[])];
    server = await startFakeLogging(fileEntries);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const client = (extra: Record<string, unknown> = {}) => ({
    apiEndpoint: '127.0.0.1',
    port: server.port,
    sslCreds: grpc.credentials.createInsecure(),
    ...extra,
  });
  const load = (url: string, opts: LoadOptions, gcp: Record<string, unknown> = {}) => gcpLoader.load([url], { ...opts, gcp: client(gcp) });
  const fresh = () => server.requests.splice(0, server.requests.length);

  it('pages through a project in time order, reporting progress per page, with an explicit time range', async () => {
    fresh();
    const progress: Progress[] = [];
    const r = await load('gcp://projects/acme-prod', { ...FIXTURE_WINDOW, onProgress: (p) => progress.push(p) }, { pageSize: 7 });
    expect(r.table.numRows()).toBe(fixtureCount);
    const reqs = fresh();
    const pages = Math.ceil(fixtureCount / 7);
    expect(reqs).toHaveLength(pages);
    expect(reqs.map((q) => q.pageToken)).toEqual(['', ...Array.from({ length: pages - 1 }, (_, i) => `page-${(i + 1) * 7}`)]);
    for (const q of reqs) {
      expect(q.resourceNames).toEqual(['projects/acme-prod']);
      expect(q.orderBy).toBe('timestamp asc');
      expect(q.pageSize).toBe(7);
      expect(q.filter).toBe('timestamp >= "2026-03-14T00:00:00.000Z" AND timestamp < "2026-03-15T00:00:00.000Z"');
    }
    expect(progress.filter((p) => !p.done).map((p) => p.objectsDone)).toEqual(Array.from({ length: pages }, (_, i) => i + 1));
    expect(progress.at(-1)).toMatchObject({ done: true, events: fixtureCount });
    const ms = (r.table.array('time') as Date[]).map((d) => d.getTime());
    expect(ms).toEqual([...ms].sort((a, b) => a - b));
    expect(r.stats).toMatchObject({ pages, eventsRead: fixtureCount, eventsMatched: fixtureCount });
  });

  it('sends the pushed-down filter and the log of the URL; the result equals the whole filter applied locally', async () => {
    fresh();
    const filter = 'gcp.methodName contains "SetIamPolicy" or (gcp.serviceName == "logging.googleapis.com" and not gcp.user endswith ".gserviceaccount.com")';
    const r = await load('gcp://projects/acme-prod/logs/activity', { ...FIXTURE_WINDOW, filter }, { pageSize: 5 });
    const reqs = fresh();
    expect(reqs[0]!.filter).toBe(
      'logName = "projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity" AND timestamp >= "2026-03-14T00:00:00.000Z" AND timestamp < "2026-03-15T00:00:00.000Z"' +
        ' AND (protoPayload.methodName =~ "SetIamPolicy" OR protoPayload.serviceName = "logging.googleapis.com")',
    );
    const all = await load('gcp://projects/acme-prod/logs/activity', FIXTURE_WINDOW);
    const expected = compile(filter).filter(all.table);
    expect(r.table.numRows()).toBe(expected.numRows());
    expect(r.table.array('raw')).toEqual(expected.array('raw'));
    expect(r.table.numRows()).toBeGreaterThan(0);
  });

  it('finds the Falco rule conditions in live entries decoded from AuditLog protos', async () => {
    const pub = await load('gcp://projects/acme-prod', { ...FIXTURE_WINDOW, filter: 'gcp.policyDelta contains "allUsers"' });
    expect(pub.table.array('gcp.methodName')).toEqual(['storage.setIamPermissions']);
    const key = await load('gcp://projects/acme-prod', { ...FIXTURE_WINDOW, filter: 'gcp.methodName == "google.iam.admin.v1.CreateServiceAccountKey"' });
    expect(key.table.array('gcp.callerIP')).toEqual(['203.0.113.66']);
  });

  it('gives the same gcp.* values as the files for every real entry', async () => {
    const files = await loadGcpFiles([sharedData('gcp')], WINDOW);
    const projects = new Set<string>();
    for (const e of files.table.array('raw') as LogEntry[]) {
      const m = /^projects\/([^/]+)\/logs\//.exec(String(e.logName ?? ''));
      if (m) projects.add(m[1]!);
    }
    const key = (t: any, i: number) => `${t['gcp.insertId'][i]}|${(t.time[i] as Date).getTime()}|${t['gcp.methodName'][i]}`;
    const byKey = new Map<string, Record<string, unknown>[]>();
    const ft = files.table.reify().data() as any;
    const STRING_FIELDS = FALCO_GCP_FIELDS.filter((f) => !['gcp.time', 'gcp.request', 'gcp.authorizationInfo', 'gcp.policyDelta', 'gcp.resourceLabels'].includes(f));
    const { gcpExtractor } = await import('../../../src/sources/gcp-audit/index.js');
    files.table.array('raw').forEach((e: any, i: number) => byKey.set(key(ft, i), [...(byKey.get(key(ft, i)) ?? []), e]));
    // proto3 cannot carry "" (absent) nor non-string JSON where a string is expected
    const view = (e: unknown) => STRING_FIELDS.map((f) => [f, gcpExtractor(f)(e) === '' ? null : gcpExtractor(f)(e)]);
    let compared = 0;
    for (const p of projects) {
      const live = await load(`gcp://projects/${p}`, WINDOW, { pageSize: 50 });
      const lt = live.table.reify().data() as any;
      live.table.array('raw').forEach((e: any, i: number) => {
        const candidates = byKey.get(key(lt, i)) ?? [];
        expect(candidates.length).toBeGreaterThan(0);
        const got = view(e);
        // duplicated test events share insertId and time: one of them must match field for field
        const best = candidates.map(view).find((v) => JSON.stringify(v) === JSON.stringify(got)) ?? view(candidates[0]);
        expect(got).toEqual(best);
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(90);
  }, 60_000);

  it('stops paging at the limit (-c N)', async () => {
    fresh();
    const r = await load('gcp://projects/acme-prod', { ...FIXTURE_WINDOW, limit: 5, filter: 'gcp.user contains "acme"' }, { pageSize: 2 });
    expect(r.table.numRows()).toBe(5);
    const reqs = fresh();
    expect(reqs.length).toBeLessThan(Math.ceil(fixtureCount / 2));
    expect((r.table.array('gcp.user') as string[]).every((u) => u.includes('acme'))).toBe(true);
  });

  it('explains PERMISSION_DENIED with the project and the permission', async () => {
    server.failNext(grpc.status.PERMISSION_DENIED, "Permission 'logging.logEntries.list' denied on resource (or it may not exist).");
    await expect(load('gcp://projects/acme-prod', FIXTURE_WINDOW)).rejects.toThrow(
      /permission denied reading log entries of projects\/acme-prod: the caller needs logging\.logEntries\.list \(role roles\/logging\.viewer\)/,
    );
  });

  it('waits and retries when the quota is exhausted, then explains it', async () => {
    fresh();
    server.failNext(grpc.status.RESOURCE_EXHAUSTED, 'Quota exceeded for quota metric read requests', 2);
    const warned: string[] = [];
    const ok = await load('gcp://projects/acme-prod', { ...FIXTURE_WINDOW, onWarning: (w) => warned.push(w.message) }, { quotaBackoffMs: 20 });
    expect(ok.table.numRows()).toBe(fixtureCount);
    expect(fresh()).toHaveLength(3);
    expect(warned).toEqual(['Cloud Logging quota exceeded; retrying in 0 s', 'Cloud Logging quota exceeded; retrying in 0 s']);
    expect(ok.warnings.map((w) => w.message)).toEqual(warned);
    server.failNext(grpc.status.RESOURCE_EXHAUSTED, 'Quota exceeded for quota metric read requests', 10);
    await expect(load('gcp://projects/acme-prod', FIXTURE_WINDOW, { quotaBackoffMs: 5, quotaRetries: 2 })).rejects.toThrow(
      /Cloud Logging quota exceeded reading projects\/acme-prod \(RESOURCE_EXHAUSTED\)/,
    );
    expect(fresh()).toHaveLength(3);
    server.failNext(grpc.status.OK, '', 0);
  });

  it('retries DEADLINE_EXCEEDED, then gives a clear error', async () => {
    const retry = { retry: { initialDelayMs: 10, maxDelayMs: 20, rpcTimeoutMs: 2000, totalTimeoutMs: 800 } };
    fresh();
    server.failNext(grpc.status.DEADLINE_EXCEEDED, 'Deadline exceeded', 2);
    const ok = await load('gcp://projects/acme-prod', FIXTURE_WINDOW, retry);
    expect(ok.table.numRows()).toBe(fixtureCount);
    expect(fresh()).toHaveLength(3);
    server.failNext(grpc.status.DEADLINE_EXCEEDED, 'Deadline exceeded', 1_000_000);
    const started = Date.now();
    await expect(load('gcp://projects/acme-prod', FIXTURE_WINDOW, retry)).rejects.toThrow(
      /Cloud Logging did not answer in time for projects\/acme-prod \(DEADLINE_EXCEEDED, retries exhausted\)/,
    );
    expect(fresh().length).toBeGreaterThan(2);
    expect(Date.now() - started).toBeLessThan(10_000);
    server.failNext(grpc.status.OK, '', 0);
  });

  it('retries when the server is slower than the deadline, then gives a clear error', async () => {
    const retry = { retry: { initialDelayMs: 10, maxDelayMs: 20, rpcTimeoutMs: 150, totalTimeoutMs: 700 } };
    fresh();
    server.delayNext(400, 1);
    const ok = await load('gcp://projects/acme-prod', FIXTURE_WINDOW, retry);
    expect(ok.table.numRows()).toBe(fixtureCount);
    expect(fresh().length).toBeGreaterThanOrEqual(2);
    server.delayNext(400, 1_000);
    await expect(load('gcp://projects/acme-prod', FIXTURE_WINDOW, retry)).rejects.toThrow(/did not answer in time for projects\/acme-prod/);
    expect(fresh().length).toBeGreaterThanOrEqual(2);
    server.delayNext(0, 0);
  });

  it('reads files and gcp:// URLs together, in time order, one limit', async () => {
    const both = await gcpLoader.load([sharedData('gcp/otel-collector-contrib_auditlog'), 'gcp://projects/acme-prod'], { ...WINDOW, gcp: client() });
    expect(both.table.numRows()).toBe(4 + fixtureCount);
    const ms = (both.table.array('time') as Date[]).map((d) => d.getTime());
    expect(ms).toEqual([...ms].sort((a, b) => a - b));
    const lim = await gcpLoader.load([sharedData('gcp/otel-collector-contrib_auditlog'), 'gcp://projects/acme-prod'], { ...WINDOW, limit: 6, gcp: client() });
    expect(lim.table.numRows()).toBe(6);
    expect(lim.table.array('raw').slice(0, 6)).toEqual(both.table.array('raw').slice(0, 6));
  });

  it('works from the CLI: stratolab read gcp://... --since --until -Y, endpoint from STRATOLAB_GCP_ENDPOINT', async () => {
    fresh();
    const run = promisify(execFile);
    const env = { ...process.env, STRATOLAB_GCP_ENDPOINT: `127.0.0.1:${server.port}` };
    const args = ['bin/stratolab.js', 'read', 'gcp://projects/acme-prod/logs/activity', '--since', '2026-03-14T09:00:00Z', '--until', '2026-03-14T10:00:00Z', '-Y', 'gcp.user contains "backup-sa" && gcp.methodName != "SetIamPolicy"'];
    const { stdout } = await run('node', args, { env, cwd: repoRoot, timeout: 60_000 });
    // the same events, read from the fixture files and filtered locally
    const local = await loadGcpFiles([path.join(repoRoot, 'fixtures/gcp')], {
      since: '2026-03-14T09:00:00Z',
      until: '2026-03-14T10:00:00Z',
      filter: 'gcp.logType == "activity" && gcp.user contains "backup-sa" && gcp.methodName != "SetIamPolicy"',
    });
    const times = local.table.array('time') as Date[];
    const lines = (local.table.array('raw') as LogEntry[]).map((e, i) => `${formatTime(times[i]!)} ${gcpInfo(e)}`);
    expect(lines.length).toBeGreaterThan(0);
    expect(stdout.trim().split('\n')).toEqual(lines);
    expect(fresh().map((q) => q.filter)).toEqual([
      'logName = "projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity" AND timestamp >= "2026-03-14T09:00:00.000Z" AND timestamp < "2026-03-14T10:00:00.000Z"' +
        ' AND protoPayload.authenticationInfo.principalEmail =~ "backup-sa"',
    ]);
  }, 60_000);

  it('rejects a malformed URL before any request', async () => {
    fresh();
    await expect(gcpLoader.load(['gcp://projects/'], {})).rejects.toThrow(/invalid GCP URL/);
    await expect(gcpLoader.load(['gcp://projects/p/activity'], {})).rejects.toThrow(/expected \/logs\/LOG/);
    expect(fresh()).toHaveLength(0);
  });
});
