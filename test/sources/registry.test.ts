/**
 * The source registry: dispatch by spec, clear errors for missing inputs and
 * unknown schemes, merging several sources, and the library's `load`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as aq from 'arquero';
import { afterAll, describe, expect, it } from 'vitest';
import { concatTables, loadSources, resolveLoader, SourceError } from '../../src/sources/index.js';
import { needSharedData, sharedData, skip } from '../helpers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'stratolab-registry-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('resolveLoader', () => {
  it('names a missing path and why', async () => {
    await expect(resolveLoader(path.join(tmp, 'nope.json'))).rejects.toThrow(/cannot read .*nope\.json: no such file or directory/);
    await expect(resolveLoader('')).rejects.toBeInstanceOf(SourceError);
  });

  it('rejects a scheme nobody reads', async () => {
    await expect(resolveLoader('ftp://example.com/x')).rejects.toThrow(/no source recognises it/);
  });

  it('routes URL schemes to their source', async () => {
    expect((await resolveLoader('s3://bucket/AWSLogs/')).entry.name).toBe('s3');
  });

  it('rejects a local file no source recognises', async () => {
    const f = path.join(tmp, 'notes.txt');
    writeFileSync(f, 'hello, this is not a log\n');
    await expect(resolveLoader(f)).rejects.toThrow(/notes\.txt/);
  });
});

describe.skipIf(skip(needSharedData('cloudtrail/invictus-ir_aws_dataset'), needSharedData('gcp/otel-collector-contrib_auditlog')))('loadSources', () => {
  it('merges CloudTrail and GCP into one time-ordered table with the union of columns', async () => {
    const r = await loadSources([sharedData('cloudtrail/trailscraper'), sharedData('gcp/otel-collector-contrib_auditlog')]);
    const sources = r.table.array('source') as string[];
    expect(new Set(sources)).toEqual(new Set(['aws_cloudtrail', 'gcp_auditlog']));
    expect(r.table.columnNames()).toEqual(expect.arrayContaining(['time', 'ct.name', 'gcp.methodName', 'raw']));
    const times = (r.table.array('time') as (Date | null)[]).filter((d) => d !== null).map((d) => d!.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(r.stats.eventsMatched).toBe(r.table.numRows());
  });

  it('applies filter, time window and limit, filter before limit', async () => {
    const dir = sharedData('cloudtrail/invictus-ir_aws_dataset');
    const all = await loadSources(dir, { filter: 'ct.name == "GetUser"' });
    const two = await loadSources(dir, { filter: 'ct.name == "GetUser"', limit: 2 });
    expect(two.table.numRows()).toBe(2);
    expect(two.table.array('ct.name')).toEqual(['GetUser', 'GetUser']);
    expect(two.table.array('ct.id')).toEqual((all.table.array('ct.id') as string[]).slice(0, 2));
    const win = await loadSources(dir, { since: '2023-07-10T12:00:00Z', until: new Date('2023-07-10T12:01:00Z') });
    for (const t of win.table.array('time') as Date[]) expect(t >= new Date('2023-07-10T12:00:00Z') && t < new Date('2023-07-10T12:01:00Z')).toBe(true);
  });

  it('reports a bad filter before reading', async () => {
    await expect(loadSources(sharedData('cloudtrail/trailscraper'), { filter: 'ct.name ==' })).rejects.toMatchObject({ name: 'FilterError' });
  });
});

describe('concatTables', () => {
  it('keeps every column, missing values null, ordered by time', () => {
    const a = aq.table({ time: [new Date(3), new Date(1)], x: ['a3', 'a1'] });
    const b = aq.table({ time: [new Date(2)], y: [true] });
    const t = concatTables([a, b]);
    expect(t.objects()).toEqual([
      { time: new Date(1), x: 'a1', y: null },
      { time: new Date(2), x: null, y: true },
      { time: new Date(3), x: 'a3', y: null },
    ]);
  });
});
