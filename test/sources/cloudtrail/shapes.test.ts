/**
 * Every input shape in ../shared/data/cloudtrail, loaded through the real
 * loader. Counts come from PROVENANCE.md / FILES.csv and from reading the files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fieldAccessor, type Table } from '../../../src/frames/table.js';
import { cloudtrailLoader, loadCloudTrail } from '../../../src/sources/cloudtrail/index.js';
import { needSharedData, sharedData, skip } from '../../helpers.js';

const CT = (rel: string) => sharedData(`cloudtrail/${rel}`);
const col = (t: Table, f: string) => {
  const get = fieldAccessor(t, f)!;
  return Array.from({ length: t.numRows() }, (_, i) => get(i));
};
const isSorted = (t: Table) => {
  // ascending, records without a valid time only at the end
  const times = t.array('time') as (Date | null)[];
  for (let i = 1; i < times.length; i++) {
    const a = times[i - 1]!;
    const b = times[i]!;
    if (a === null ? b !== null : b !== null && a > b) return false;
  }
  return true;
};

describe.skipIf(skip(needSharedData('cloudtrail')))('CloudTrail shapes', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'ct-shapes-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('delivered {"Records":[...]} plain .json files in a flat directory (invictus: 2,900)', async () => {
    const r = await loadCloudTrail(CT('invictus-ir_aws_dataset'));
    expect(r.failed).toEqual([]);
    expect(r.table.numRows()).toBe(2900);
    expect(r.stats.objectsListed).toBe(55);
    expect(isSorted(r.table)).toBe(true);
    const times = r.table.array('time') as Date[];
    expect(times[0]!.toISOString()).toBe('2023-07-10T11:42:18.000Z');
    expect(times[times.length - 1]!.toISOString()).toBe('2023-07-10T12:37:50.000Z');
    expect(col(r.table, 'source').every((s) => s === 'aws_cloudtrail')).toBe(true);
    expect(typeof r.table.array('raw')[0]).toBe('object');
    // 1,146 events carry a stratus-red-team user agent (PROVENANCE.md)
    expect(col(r.table, 'ct.useragent').filter((u) => typeof u === 'string' && u.includes('stratus-red-team_')).length).toBe(1146);
  });

  it('gzip delivery files in a nested tree, detected by magic bytes; duplicates kept (grycap: 17,622 records, 17,600 unique IDs)', async () => {
    const r = await loadCloudTrail(CT('grycap_cloudtrail-tracker'));
    expect(r.failed).toEqual([]);
    expect(r.table.numRows()).toBe(17622);
    expect(new Set(col(r.table, 'ct.id')).size).toBe(17600);
    expect(r.stats.objectsListed).toBe(1070);
    expect(r.stats.filesSkipped).toBe(1); // MANIFEST.csv
    expect(isSorted(r.table)).toBe(true);
    const regions = new Map<unknown, number>();
    for (const v of col(r.table, 'ct.region')) regions.set(v, (regions.get(v) ?? 0) + 1);
    expect(regions.get('us-east-1')).toBe(15876); // 15,854 unique + 22 duplicates
    expect(regions.get('sa-east-1')).toBe(1746);
  });

  it('a gzip file whose name does not say so', async () => {
    const p = path.join(tmp, 'trail.data');
    writeFileSync(p, readFileSync(CT('trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz')));
    const r = await loadCloudTrail(p);
    expect(r.table.numRows()).toBe(2);
    expect(col(r.table, 'ct.region')).toEqual(['eu-central-1', 'eu-central-1']);
  });

  it('bare JSON arrays (stratus-red-team: 310 in 35 files)', async () => {
    const r = await loadCloudTrail(CT('stratus-red-team_detonation-logs'));
    expect(r.failed).toEqual([]);
    expect(r.table.numRows()).toBe(310);
    expect(col(r.table, 'ct.name')).toContain('StopLogging');
  });

  it('Logstash NDJSON with @timestamp instead of eventTime (otrf: 103)', async () => {
    const r = await loadCloudTrail(CT('otrf_security-datasets/ec2_proxy_s3_exfiltration_2020-09-14011940.json'));
    expect(r.table.numRows()).toBe(103);
    const times = r.table.array('time') as Date[];
    expect(times.every((t) => t instanceof Date)).toBe(true);
    expect(times[0]!.toISOString()).toBe('2020-09-14T00:44:20.000Z');
    expect(times[102]!.toISOString()).toBe('2020-09-14T01:13:20.000Z');
    expect(fieldAccessor(r.table, 'ct.time')!(0)).toBe('2020-09-14T00:44:20.000Z');
  });

  it('lookup-events JSON lines, CloudTrailEvent as an escaped JSON string (plaso: 6)', async () => {
    const r = await loadCloudTrail(CT('plaso/aws_cloudtrail.jsonl'));
    expect(r.table.numRows()).toBe(6);
    expect(col(r.table, 'ct.name')).toEqual([
      'CreateSecurityGroup', 'RunInstances', 'SharedSnapshotVolumeCreated', 'StopInstances', 'TerminateInstances', 'DescribeInstances',
    ]);
    expect(col(r.table, 'ct.id')[0]).toBe('c91c963c-d149-4dc5-9e4a-830da763cf7b');
    expect(col(r.table, 'ct.user')[5]).toBe('fakeusername');
  });

  it('lookup-events {"Events":[...]} output and a single lookup object', async () => {
    const lines = readFileSync(CT('plaso/aws_cloudtrail.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
    const events = path.join(tmp, 'lookup-events.json');
    writeFileSync(events, JSON.stringify({ Events: lines.map((l) => JSON.parse(l)), NextToken: 'abc' }, null, 2));
    const single = path.join(tmp, 'one-lookup-event.json');
    writeFileSync(single, JSON.stringify(JSON.parse(lines[0]!), null, 4));
    const r = await loadCloudTrail([events, single]);
    expect(r.failed).toEqual([]);
    expect(r.table.numRows()).toBe(7);
    expect(col(r.table, 'ct.name').filter((n) => n === 'DescribeInstances').length).toBe(2);
  });

  it('EventBridge envelopes (detail) and bare records (cloud-custodian: 24 files, 24 records)', async () => {
    const r = await loadCloudTrail(CT('cloud-custodian_cwe_eventbridge'));
    expect(r.failed).toEqual([]);
    expect(r.table.numRows()).toBe(24);
    const one = await loadCloudTrail(CT('cloud-custodian_cwe_eventbridge/event-cloud-trail-create-bucket.json'));
    expect(col(one.table, 'ct.name')).toEqual(['CreateBucket']);
    expect(col(one.table, 'ct.id')).toEqual(['c4fa3db1-2303-40e4-bde0-3b7246bdbf0b']);
    expect(col(one.table, 'ct.user.identitytype')).toEqual(['Root']);
    expect((one.table.array('time') as Date[])[0]!.toISOString()).toBe('2016-06-04T12:19:03.000Z');
  });

  it('CloudTrail Lake exports: eventJson lines and QueryResultRows', async () => {
    const src = JSON.parse(readFileSync(CT('invictus-ir_aws_dataset/218007301253_CloudTrail_us-east-1_20230710T1150Z_1vnLavRRp0ek1mP4.json'), 'utf8'));
    const recs = src.Records as Record<string, unknown>[];
    expect(recs.length).toBe(2);
    const lake = path.join(tmp, 'lake-eventjson.jsonl');
    writeFileSync(lake, recs.map((r) => JSON.stringify({ eventJson: JSON.stringify(r) })).join('\n'));
    const rows = path.join(tmp, 'lake-query-results.json');
    writeFileSync(rows, JSON.stringify({ QueryStatus: 'FINISHED', QueryResultRows: recs.map((r) => [{ eventJson: JSON.stringify(r) }]) }));
    const cols = path.join(tmp, 'lake-columns.json');
    writeFileSync(cols, JSON.stringify({ QueryResultRows: [[{ eventName: 'ListUsers' }, { eventTime: '2023-07-10T11:00:00Z' }, { userIdentity: '{"type":"Root","userName":"r"}' }]] }));
    const r = await loadCloudTrail([lake, rows, cols]);
    expect(r.failed).toEqual([]);
    expect(r.table.numRows()).toBe(5);
    expect(col(r.table, 'ct.name')).toEqual(['ListUsers', 'DescribeEventAggregates', 'DescribeEventAggregates', 'DescribeEventAggregates', 'DescribeEventAggregates']);
    expect(col(r.table, 'ct.user')[0]).toBe('r');
  });

  it('Insights events are kept (awsdocs: 22 records, 3 Insights; the user-identity fragment is not a record)', async () => {
    const warnings: string[] = [];
    const r = await loadCloudTrail(CT('awsdocs_cloudtrail-user-guide/doc_example_events.jsonl'), { onWarning: (w) => warnings.push(w.message) });
    expect(r.table.numRows()).toBe(22);
    expect(col(r.table, 'ct.eventtype').filter((t) => t === 'AwsCloudTrailInsight').length).toBe(3);
    expect(warnings.join('\n')).toMatch(/not a CloudTrail record/);
  });

  it('Datadog-exported records, including a file with missing commas between records (zmallen: 15)', async () => {
    const r = await loadCloudTrail(CT('zmallen_cloudtrail2sightings'));
    expect(r.failed).toEqual([]);
    expect(r.table.numRows()).toBe(15);
  });

  it('the whole shared CloudTrail tree at once, nothing failed', async () => {
    const r = await loadCloudTrail(CT(''));
    expect(r.failed).toEqual([]);
    // 2,900 + 17,622 + 310 + 103 + 15 + 440 + 24 + 22 + 6 + 2
    expect(r.table.numRows()).toBe(21444);
    expect(isSorted(r.table)).toBe(true);
    // kept, last: Panther's curated events (17 without eventTime, one "...", one "redacted")
    // and cloud-custodian's bedrock event, which has no eventTime
    expect((r.table.array('time') as (Date | null)[]).filter((t) => t === null).length).toBe(20);
  });

  it('the SourceLoader matches CloudTrail paths by content, not GCP logs', async () => {
    expect(await cloudtrailLoader.matches(CT('invictus-ir_aws_dataset'))).toBe(true);
    expect(await cloudtrailLoader.matches(CT('trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz'))).toBe(true);
    expect(await cloudtrailLoader.matches(CT('plaso/aws_cloudtrail.jsonl'))).toBe(true);
    expect(await cloudtrailLoader.matches(sharedData('gcp'))).toBe(false);
    expect(await cloudtrailLoader.matches('s3://bucket/AWSLogs/')).toBe(false);
    expect(await cloudtrailLoader.matches(path.join(tmp, 'does-not-exist'))).toBe(false);
    const r = await cloudtrailLoader.load([CT('trailscraper')], {});
    expect(r.table.numRows()).toBe(2);
  });
});
