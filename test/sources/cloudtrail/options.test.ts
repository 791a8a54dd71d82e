/** LoadOptions on real data: since/until, filter, limit, fields, progress. */
import { describe, expect, it } from 'vitest';
import { fieldAccessor } from '../../../src/frames/table.js';
import { loadCloudTrail } from '../../../src/sources/cloudtrail/index.js';
import type { Progress } from '../../../src/sources/types.js';
import { needSharedData, sharedData, skip } from '../../helpers.js';

const INV = sharedData('cloudtrail/invictus-ir_aws_dataset');

describe.skipIf(skip(needSharedData('cloudtrail')))('CloudTrail load options', () => {
  it('since (inclusive) and until (exclusive) drop events outside the range', async () => {
    const all = await loadCloudTrail(INV);
    const times = (all.table.array('time') as Date[]).map((d) => d.getTime());
    const since = new Date('2023-07-10T12:00:00Z').getTime();
    const until = new Date('2023-07-10T12:10:00Z').getTime();
    const want = times.filter((t) => t >= since && t < until).length;
    const r = await loadCloudTrail(INV, { since: '2023-07-10T12:00:00Z', until: new Date(until) });
    expect(want).toBeGreaterThan(0);
    expect(r.table.numRows()).toBe(want);
    expect(r.stats.eventsRead).toBe(2900);
    expect(r.stats.eventsMatched).toBe(want);
  });

  it('an invalid bound is an error naming the value', async () => {
    await expect(loadCloudTrail(INV, { since: 'yesterday-ish' })).rejects.toThrow(/invalid time bound "yesterday-ish"/);
  });

  it('a relative bound is counted back from now', async () => {
    const r = await loadCloudTrail(INV, { since: '1d' });
    expect(r.table.numRows()).toBe(0); // the data is from 2023
  });

  it('filter: the ConsoleLogin-without-MFA condition of Falco\'s rules, applied while reading', async () => {
    // invictus has 2 ConsoleLogin events (PROVENANCE.md); 70e5932e... is a success without MFA by an IAM user
    const r = await loadCloudTrail(INV, {
      filter:
        'ct.name="ConsoleLogin" and not ct.error exists and ct.user.identitytype!="AssumedRole" and json.value[/responseElements/ConsoleLogin]="Success" and json.value[/additionalEventData/MFAUsed]="No"',
    });
    const ids = fieldAccessor(r.table, 'ct.id')!;
    expect(Array.from({ length: r.table.numRows() }, (_, i) => ids(i))).toContain('70e5932e-9022-4b38-837e-ca10dad94eb7');
    const logins = await loadCloudTrail(INV, { filter: 'ct.name == "ConsoleLogin"' });
    expect(logins.table.numRows()).toBe(2);
  });

  it('limit stops reading after that many kept events', async () => {
    const r = await loadCloudTrail(INV, { limit: 10 });
    expect(r.table.numRows()).toBe(10);
    expect(r.stats.objectsFetched).toBeLessThan(55);
  });

  it('fields: extra lazy fields become columns', async () => {
    const r = await loadCloudTrail(INV, { fields: ['ct.info', 'json.value[/userIdentity/type]'], limit: 5 });
    expect(r.table.columnNames()).toEqual(expect.arrayContaining(['ct.info', 'json.value[/userIdentity/type]']));
  });

  it('onProgress reports files and events, last report done', async () => {
    const seen: Progress[] = [];
    await loadCloudTrail(INV, { onProgress: (p) => seen.push({ ...p }) });
    const last = seen[seen.length - 1]!;
    expect(last.done).toBe(true);
    expect(last.objectsDone).toBe(55);
    expect(last.objectsTotal).toBe(55);
    expect(last.events).toBe(2900);
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(seen.length).toBe(56);
  });

  it('an aborted signal stops the load with its reason', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop here'));
    await expect(loadCloudTrail(INV, { signal: ac.signal })).rejects.toThrow('stop here');
  });

  it("another source's field is absent on CloudTrail records (no crash)", async () => {
    await import('../../../src/sources/gcp-audit/index.js').catch(() => undefined);
    const r = await loadCloudTrail(INV, { filter: 'ct.name == "ConsoleLogin" || gcp.methodName == "x"' });
    expect(r.table.numRows()).toBe(2);
  });
});
