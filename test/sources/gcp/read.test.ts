/**
 * Reading GCP audit log files: every shape in ../shared/data/gcp, the
 * shapes gcloud / GCS sinks / Pub/Sub / Eventarc write (built here from the
 * real entries), gzip, damaged input, time handling and content sniffing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { gcpLoader, loadGcpFiles, parseEntries, readEntriesFile } from '../../../src/sources/gcp-audit/index.js';
import type { LoadWarning } from '../../../src/sources/types.js';
import { needSharedData, repoRoot, sharedData, skip } from '../../helpers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'stratolab-gcp-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, data: string | Buffer): string {
  const p = path.join(tmp, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, data);
  return p;
}

const parse = (text: string, warnings: LoadWarning[] = []) => parseEntries(Buffer.from(text), 'mem', warnings);

describe.skipIf(skip(needSharedData('gcp')))('the real data', () => {
  const plaso = () => readFileSync(sharedData('gcp/plaso/gcp_logging.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

  it('reads every set: 46 + 27 + 3 + 4 + 186 + 11 entries, none lost, labels file not taken for entries', async () => {
    const r = await loadGcpFiles([sharedData('gcp')]);
    expect(r.failed).toEqual([]);
    expect(r.stats.eventsRead).toBe(46 + 27 + 3 + 4 + 186 + 11);
    expect(r.table.numRows()).toBe(277);
    expect(r.stats.objectsListed).toBe(46 + 27 + 3 + 4 + 1 + 1);
    // sanitised timestamps (0000-00-00...) and Panther's "..." placeholder: kept, time absent, one warning per file
    expect(r.stats.invalidTimestamps).toBe(16);
    expect(r.warnings.filter((w) => /invalid timestamp/.test(w.message))).toHaveLength(16);
    const times = r.table.array('time') as (Date | null)[];
    expect(times.filter((t) => t === null).length).toBe(16 + 48);
    // ordered by time, entries without a time last
    const ms = times.filter((t): t is Date => t !== null).map((t) => t.getTime());
    expect(ms).toEqual([...ms].sort((a, b) => a - b));
    expect(times.slice(-64).every((t) => t === null)).toBe(true);
    expect(new Set(r.table.array('source') as string[])).toEqual(new Set(['gcp_auditlog']));
  });

  it('reads Panther time text as UTC and ignores at_sign_type', async () => {
    const { entries } = await readEntriesFile(sharedData('gcp/panther-analysis/gcp_audit_rule_test_events.jsonl'));
    expect(entries).toHaveLength(186);
    const r = await loadGcpFiles([sharedData('gcp/panther-analysis/gcp_audit_rule_test_events.jsonl')], { filter: 'gcp.methodName == "google.cloud.run.v1.Services.CreateService"' });
    const t = (r.table.array('time') as Date[]).map((d) => d?.toISOString());
    expect(t).toContain('2024-02-02T09:36:21.212Z');
  });

  it('reads a gcloud --format=json array, a GCS export (JSON lines, gzip) and concatenated pretty entries alike', async () => {
    const entries = plaso();
    const arr = write('gcloud.json', JSON.stringify(entries, null, 2));
    const gz = write('export/cloudaudit.googleapis.com/activity/2021/10/19/02:00:00_02:59:59_S0.json.gz', gzipSync(entries.map((e) => JSON.stringify(e)).join('\n') + '\n'));
    const cat = write('concat.json', entries.map((e) => JSON.stringify(e, null, 4)).join('\n'));
    for (const f of [arr, gz, cat]) {
      const r = await readEntriesFile(f);
      expect(r.warnings).toEqual([]);
      expect(r.entries).toEqual(entries);
    }
    expect(await gcpLoader.matches(path.join(tmp, 'export'))).toBe(true);
    const dir = await loadGcpFiles([path.join(tmp, 'export')]);
    expect(dir.table.numRows()).toBe(11);
  });

  it('unwraps Pub/Sub push, Pub/Sub pull, Eventarc CloudEvents and entries.list responses', () => {
    const [a, b] = plaso();
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
    const push = { message: { data: b64(a), messageId: '1', attributes: { 'logging.googleapis.com/timestamp': a.timestamp } }, subscription: 'projects/p/subscriptions/s' };
    const pull = [{ ackId: 'x', message: { data: b64(b), messageId: '2' } }];
    const rest = { receivedMessages: [{ ackId: 'y', message: { data: b64(a) } }] };
    const event = { specversion: '1.0', type: 'google.cloud.audit.log.v1.written', source: '//cloudaudit.googleapis.com/projects/p/logs/activity', id: '9', data: b };
    const list = { entries: [a, b], nextPageToken: 'tok' };
    for (const [v, n] of [[push, 1], [pull, 1], [rest, 1], [event, 1], [list, 2]] as const) {
      const w: LoadWarning[] = [];
      expect(parse(JSON.stringify(v), w)).toHaveLength(n);
      expect(w).toEqual([]);
    }
    expect(parse(JSON.stringify(push))[0]).toEqual(a);
  });

  it('reads the real Eventarc LogEntryData samples, legacy AuditData without @type included', async () => {
    const r = await loadGcpFiles([sharedData('gcp/google-cloudevents')]);
    expect(r.table.numRows()).toBe(3);
    expect((r.table.array('gcp.methodName') as string[]).sort()).toEqual([
      'google.monitoring.v3.MetricService.CreateTimeSeries',
      'google.pubsub.v1.Publisher.CreateTopic',
      'jobservice.jobcompleted',
    ]);
  });
});

describe('damaged and hostile input', () => {
  const good = '{"logName":"projects/p/logs/x","timestamp":"2024-01-01T00:00:00Z","protoPayload":{"methodName":"m"}}';

  it('keeps good lines around bad ones, with a warning and offset for each bad one', () => {
    const w: LoadWarning[] = [];
    const text = `${good}\nnot json at all\n{"logName": "a", broken\n${good}\n[1,2]\n{"foo":1}\n`;
    expect(parse(text, w)).toHaveLength(2);
    expect(w.map((x) => x.message)).toEqual([
      'not a JSON object',
      'truncated JSON object',
      '3 JSON value(s) are not Cloud Logging entries; skipped',
    ]);
    expect(w[0]!.offset).toBe(good.length + 1);
  });

  it('recovers the entries after an unterminated object in concatenated documents', () => {
    const w: LoadWarning[] = [];
    const pretty = JSON.stringify(JSON.parse(good), null, 2);
    expect(parse(`${pretty}\n{"logName": "a",\n${good}\n${pretty}`, w)).toHaveLength(3);
    expect(w.map((x) => x.message)).toEqual(['unterminated JSON object']);
  });

  it('reports a truncated file and a damaged gzip, keeping what was readable', async () => {
    const w: LoadWarning[] = [];
    expect(parse(`[${good},${good},{"logName":"x"`, w)).toHaveLength(2);
    expect(w[0]!.message).toBe('truncated JSON array element');
    const gz = gzipSync(Array(200).fill(good).join('\n'));
    const f = write('cut.json.gz', gz.subarray(0, gz.length - 30));
    const r = await readEntriesFile(f);
    expect(r.entries.length).toBeGreaterThan(100);
    expect(r.entries.length).toBeLessThan(200);
    expect(r.warnings[0]!.message).toMatch(/gzip data is damaged/);
  });

  it('survives deep nesting, huge strings, a BOM and binary garbage', () => {
    expect(parse('['.repeat(10000) + ']'.repeat(10000))).toEqual([]);
    expect(parse('\ufeff' + good)).toHaveLength(1);
    expect(parse(`{"logName":"${'x'.repeat(1_000_000)}"}`)).toHaveLength(1);
    const junk = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));
    expect(() => parseEntries(junk, 'junk', [])).not.toThrow();
  });

  it('does not claim files of other sources', async () => {
    expect(await gcpLoader.matches(write('ct.json', '{"Records":[{"eventVersion":"1.08","eventSource":"s3.amazonaws.com"}]}'))).toBe(false);
    expect(await gcpLoader.matches(write('text.log', 'hello\n'))).toBe(false);
    expect(await gcpLoader.matches('s3://bucket/x')).toBe(false);
    expect(await gcpLoader.matches('gcp://projects/p')).toBe(true);
    expect(await gcpLoader.matches(write('one.json', good))).toBe(true);
    expect(await gcpLoader.matches(write('header.jsonl', `# exported 2024-01-01\n${good}\n`))).toBe(true);
    expect(await gcpLoader.matches(write('big-first.json', `[{"insertId":"x","protoPayload":{"request":"${'a'.repeat(300_000)}"}}]`))).toBe(true);
  });

  it('applies since/until, the filter and the limit in that order', async () => {
    const lines = ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z', '2024-01-04T00:00:00Z'].map((t, i) =>
      JSON.stringify({ logName: 'projects/p/logs/x', timestamp: t, protoPayload: { methodName: i % 2 ? 'odd' : 'even' } }),
    );
    const f = write('window.jsonl', lines.join('\n'));
    const r = await loadGcpFiles([f], { since: '2024-01-02T00:00:00Z', until: '2024-01-04T00:00:00Z', filter: 'gcp.methodName == "even"' });
    expect((r.table.array('gcp.time') as string[])).toEqual(['2024-01-03T00:00:00Z']);
    const lim = await loadGcpFiles([f], { filter: 'gcp.methodName == "odd"', limit: 1 });
    expect((lim.table.array('gcp.time') as string[])).toEqual(['2024-01-02T00:00:00Z']);
  });
});

describe.skipIf(skip(needSharedData('gcp')))('the repository fixture', () => {
  it('finds the public bucket grant with the Falco rule condition', async () => {
    const r = await loadGcpFiles([path.join(repoRoot, 'fixtures/gcp')], { filter: 'gcp.policyDelta contains "allUsers"' });
    expect(r.table.numRows()).toBeGreaterThanOrEqual(1);
    expect(new Set(r.table.array('gcp.methodName') as string[])).toEqual(new Set(['storage.setIamPermissions']));
  });
});
