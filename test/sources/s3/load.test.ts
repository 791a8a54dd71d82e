/**
 * CloudTrail from a real S3 endpoint (s3rver on loopback, behind a counting
 * proxy), loaded with the credentials and endpoint read the AWS way from a
 * shared credentials file, a named profile and AWS_ENDPOINT_URL_S3.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCloudTrail } from '../../../src/sources/cloudtrail/index.js';
import { loadS3, makeS3Client, nameTimestamp, s3Loader, type S3LoadOptions } from '../../../src/sources/s3/index.js';
import type { LoadResult, Progress } from '../../../src/sources/types.js';
import { needSharedData, skip } from '../../helpers.js';
import { buildFixture, upload, GRYCAP, INVICTUS, NOT_GZIP_KEY, ORG, type Fixture } from './fixture.js';
import { startTestS3, type TestS3 } from './s3rver.js';

const BAD_SECRET = 'bad-secret-must-never-be-printed';
const INV_DAY = `AWSLogs/${INVICTUS}/CloudTrail/us-east-1/2023/07/10/`;
const ENV_KEYS = [
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_PROFILE',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'XDG_CACHE_HOME',
];

/** Sorted event IDs (a multiset: real data repeats some). */
function ids(r: LoadResult): string[] {
  return (r.table.array('ct.id') as string[]).slice().sort();
}

describe.skipIf(skip(needSharedData('cloudtrail/invictus-ir_aws_dataset'), needSharedData('cloudtrail/grycap_cloudtrail-tracker')))(
  'CloudTrail from S3',
  () => {
    let s3: TestS3;
    let fx: Fixture;
    let tmp: string;
    const saved: Record<string, string | undefined> = {};
    const cacheDir = () => path.join(tmp, 'cache-' + Math.random().toString(36).slice(2));

    beforeAll(async () => {
      for (const k of ENV_KEYS) saved[k] = process.env[k];
      for (const k of ENV_KEYS) delete process.env[k];
      tmp = await mkdtemp(path.join(os.tmpdir(), 'sl-s3-'));
      s3 = await startTestS3();
      fx = buildFixture();
      await upload(s3.direct, 'trail', fx.objects);
      await writeFile(
        path.join(tmp, 'credentials'),
        `[ir]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n\n[bad]\naws_access_key_id = AKIAEXAMPLENOTKNOWN\naws_secret_access_key = ${BAD_SECRET}\n`,
      );
      await writeFile(
        path.join(tmp, 'config'),
        `[profile ir]\nregion = us-east-1\n\n[profile cfg]\nregion = us-east-1\nendpoint_url = ${s3.endpoint}\n`,
      );
      // the second profile in the credentials file reuses ir's key for the config-endpoint test
      await writeFile(
        path.join(tmp, 'credentials'),
        `[ir]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n\n[cfg]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n\n[bad]\naws_access_key_id = AKIAEXAMPLENOTKNOWN\naws_secret_access_key = ${BAD_SECRET}\n`,
      );
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(tmp, 'credentials');
      process.env.AWS_CONFIG_FILE = path.join(tmp, 'config');
      process.env.AWS_PROFILE = 'ir';
      process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
      process.env.XDG_CACHE_HOME = path.join(tmp, 'xdg');
    });

    afterAll(async () => {
      await s3?.stop();
      for (const k of ENV_KEYS) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      if (tmp) await rm(tmp, { recursive: true, force: true });
    });

    /** Keys of the fixture whose name timestamp lies in [lo, hi] (ms) and that are under `prefix`. */
    const keysNamedIn = (lo: number, hi: number, prefix = '') =>
      fx.objects
        .map((o) => o.key)
        .filter((k) => k.startsWith(prefix) && !k.includes('Digest'))
        .filter((k) => {
          const t = nameTimestamp(k);
          return t !== null && t >= lo && t <= hi;
        })
        .sort();

    const load = (spec: string | string[], o: S3LoadOptions = {}) => loadS3(Array.isArray(spec) ? spec : [spec], { noCache: true, ...o });

    it('a range from the bucket root fetches only the objects named in range, and yields the events of the local files', async () => {
      const since = '2023-07-10T12:00:00Z';
      const until = '2023-07-10T12:15:00Z';
      s3.resetCounts();
      const r = await load('s3://trail/', { since, until, deliveryMargin: '10m' });
      const expected = keysNamedIn(Date.parse(since) - 15 * 60_000, Date.parse(until) + 10 * 60_000);
      expect(expected.length).toBeGreaterThan(10);
      expect([...s3.gets.keys()].sort()).toEqual(expected);
      expect(s3.totalGets()).toBe(expected.length);
      expect(r.stats.objectsFetched).toBe(expected.length); // the not-gzip one was fetched, then failed
      // only the day in range was listed, not the 2014-2018 organization trail
      expect(r.stats.objectsListed).toBeLessThan(100);

      const local = await loadCloudTrail(fx.invictus, { since: new Date(since), until: new Date(until) });
      expect(local.table.numRows()).toBeGreaterThan(500);
      expect(ids(r)).toEqual(ids(local));
      expect(r.stats.eventsMatched).toBe(local.table.numRows());
      expect(r.table.columnNames()).toEqual(local.table.columnNames());

      // the object that is not gzip is reported, the rest loaded
      expect(r.failed).toEqual([{ key: `s3://trail/${NOT_GZIP_KEY}`, reason: expect.stringMatching(/not gzip/) }]);
      expect(r.warnings.some((w) => w.where.endsWith(NOT_GZIP_KEY))).toBe(true);
    });

    it.each([
      ['AWSLogs/'],
      [`AWSLogs/${INVICTUS}`],
      [`AWSLogs/${INVICTUS}/CloudTrail/`],
      [`AWSLogs/${INVICTUS}/CloudTrail/us-east-1/`],
      [INV_DAY],
    ])('from prefix %s: the same events', async (prefix) => {
      const since = new Date('2023-07-10T11:50:00Z');
      const until = new Date('2023-07-10T12:05:00Z');
      const r = await load(`s3://trail/${prefix}`, { since, until });
      const local = await loadCloudTrail(fx.invictus, { since, until });
      expect(ids(r)).toEqual(ids(local));
      // overlapping URLs read each object once
      const both = await load([`s3://trail/${prefix}`, `s3://trail/${INV_DAY}`], { since, until });
      expect(ids(both)).toEqual(ids(local));
      expect(r.table.numRows()).toBeGreaterThan(100);
    });

    it('an organization trail across days and regions, with an s3Interval range', async () => {
      s3.resetCounts();
      const interval = '2018-02-01T00:00:00Z-2018-03-01T00:00:00Z';
      const r = await load('s3://trail', { interval });
      const since = new Date('2018-02-01T00:00:00Z');
      const until = new Date('2018-03-01T00:00:00Z');
      const local = await loadCloudTrail(fx.grycap, { since, until });
      expect(local.table.numRows()).toBeGreaterThan(100);
      expect(ids(r)).toEqual(ids(local));
      expect(r.failed).toEqual([]);
      const expected = keysNamedIn(since.getTime() - 15 * 60_000, until.getTime() + 60 * 60_000);
      expect([...s3.gets.keys()].sort()).toEqual(expected);
      expect(new Set(expected.map((k) => k.split('/').slice(0, 5).join('/')))).toEqual(
        new Set([`AWSLogs/${ORG}/${GRYCAP}/CloudTrail/sa-east-1`]),
      );

      // the same through --region / --account, and nothing for another account
      const byFilter = await load('s3://trail/AWSLogs/', { interval, region: 'sa-east-1,us-east-1', account: [GRYCAP] });
      expect(ids(byFilter)).toEqual(ids(local));
      const other = await load('s3://trail/', { interval, account: INVICTUS });
      expect(other.table.numRows()).toBe(0);
      expect(other.stats.objectsListed).toBe(0);
    });

    it('a dense region lists its remaining days in parallel, with the same result', async () => {
      const interval = '2018-01-01T00:00:00Z-2018-06-01T00:00:00Z';
      s3.resetCounts();
      const sequential = await load('s3://trail/', { interval });
      const seqLists = s3.lists.n;
      s3.resetCounts();
      const parallel = await load('s3://trail/', { interval, denseAfter: 20 });
      expect(s3.lists.n).toBeGreaterThan(seqLists + 20);
      expect(parallel.stats.objectsListed).toBe(sequential.stats.objectsListed);
      expect(ids(parallel)).toEqual(ids(sequential));
      const local = await loadCloudTrail(fx.grycap, { since: new Date('2018-01-01T00:00:00Z'), until: new Date('2018-06-01T00:00:00Z') });
      expect(ids(parallel)).toEqual(ids(local));
    });

    it('finds trails under custom prefixes, at the root and below', async () => {
      const since = new Date('2017-12-11T00:00:00Z');
      const until = new Date('2017-12-12T00:00:00Z');
      const local = await loadCloudTrail(fx.trailscraper, { since, until });
      expect(local.table.numRows()).toBeGreaterThan(0);
      const fromRoot = await load('s3://trail/', { since, until });
      expect(ids(fromRoot)).toEqual([...ids(local), ...ids(local)].sort()); // both trails
      const nested = await load('s3://trail/trails/', { since, until });
      expect(ids(nested)).toEqual(ids(local));
      const partial = await load('s3://trail/trails', { since, until }); // no trailing slash
      expect(ids(partial)).toEqual(ids(local));
    });

    it('relative intervals (2w-1w) are evaluated against `now`', async () => {
      const now = new Date('2018-03-15T00:00:00Z');
      const r = await load('s3://trail/', { interval: '2w-1w', now });
      const local = await loadCloudTrail(fx.grycap, { since: new Date('2018-03-01T00:00:00Z'), until: new Date('2018-03-08T00:00:00Z') });
      expect(local.table.numRows()).toBeGreaterThan(10);
      expect(ids(r)).toEqual(ids(local));
    });

    it('without a range, lists everything under the prefix past 1,000 keys', async () => {
      s3.resetCounts();
      const r = await load(`s3://trail/AWSLogs/${ORG}/`, { concurrency: 32 });
      expect(r.stats.objectsListed).toBe(fx.grycap.length);
      expect(fx.grycap.length).toBeGreaterThan(1000);
      expect(s3.lists.n).toBeGreaterThanOrEqual(2);
      const local = await loadCloudTrail(fx.grycap, {});
      expect(r.table.numRows()).toBe(local.table.numRows());
      expect(ids(r)).toEqual(ids(local));
      expect(r.failed).toEqual([]);
    });

    it('a 403 on one object is reported while the rest load; SlowDown and a connection reset mid-body are retried', async () => {
      const dayKeys = keysNamedIn(0, Infinity, INV_DAY).filter((k) => k !== NOT_GZIP_KEY);
      const denied = dayKeys[3]!;
      const slow = dayKeys[5]!;
      const cut = dayKeys.find((k) => /20230710T1205Z_zs3JGxETHr59VpkX/.test(k))!; // a big file (253 KB)
      expect(new Set([denied, slow, cut]).size).toBe(3);
      s3.denied.add(denied);
      s3.slowDown.set(slow, 2);
      s3.cutBody.set(cut, 1);
      try {
        const r = await load(`s3://trail/${INV_DAY}`, { retries: 3 });
        const deniedFile = fx.invictus.find((f) => denied.endsWith(path.basename(f) + '.gz'))!;
        const local = await loadCloudTrail(fx.invictus.filter((f) => f !== deniedFile), {});
        expect(ids(r)).toEqual(ids(local));
        const f = r.failed.find((x) => x.key === `s3://trail/${denied}`);
        expect(f?.reason).toMatch(/AccessDenied/);
        expect(f?.reason).toMatch(/403/);
        expect(r.failed.map((x) => x.key).sort()).toEqual([`s3://trail/${denied}`, `s3://trail/${NOT_GZIP_KEY}`].sort());
        expect(r.stats.retries).toBe(3);
        expect(s3.gets.get(slow)).toBe(3);
        expect(s3.gets.get(cut)).toBe(2); // reset mid-body, then read whole
      } finally {
        s3.denied.clear();
        s3.slowDown.clear();
        s3.cutBody.clear();
      }
    });

    it('a denied region or account listing is reported while the rest is read', async () => {
      const sa = `AWSLogs/${ORG}/${GRYCAP}/CloudTrail/sa-east-1/`;
      s3.deniedLists.add(sa);
      try {
        const r = await load('s3://trail/', { interval: '2018-02-01T00:00:00Z-2018-03-01T00:00:00Z' });
        expect(r.failed).toEqual([{ key: `s3://trail/${sa}`, reason: expect.stringMatching(/^listing failed: AccessDenied \(HTTP 403\)/) }]);
        expect(r.table.numRows()).toBe(0);
      } finally {
        s3.deniedLists.clear();
      }
      s3.deniedLists.add(`AWSLogs/${ORG}/`);
      try {
        const since = new Date('2023-07-10T12:00:00Z');
        const r = await load('s3://trail/', { since });
        expect(r.failed.map((f) => f.key).sort()).toEqual([`s3://trail/${NOT_GZIP_KEY}`, `s3://trail/AWSLogs/${ORG}/`].sort());
        const local = await loadCloudTrail(fx.invictus, { since });
        expect(ids(r)).toEqual(ids(local));
      } finally {
        s3.deniedLists.clear();
      }
      // the URL itself denied: an error, not an empty result
      s3.deniedLists.add('AWSLogs/');
      try {
        await expect(load('s3://trail/AWSLogs/')).rejects.toThrow(/cannot list s3:\/\/trail\/AWSLogs\/.*AccessDenied/);
      } finally {
        s3.deniedLists.clear();
      }
    });

    it('caches under XDG_CACHE_HOME (0700): the second run fetches nothing', async () => {
      const spec = `s3://trail/${INV_DAY}`;
      s3.resetCounts();
      const first = await loadS3([spec], {});
      expect(first.stats.objectsFetched).toBe(56);
      const dir = path.join(process.env.XDG_CACHE_HOME!, 'stratolab', 's3');
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      expect((await stat(path.dirname(dir))).mode & 0o777).toBe(0o700);
      s3.resetCounts();
      const second = await loadS3([spec], {});
      expect(s3.totalGets()).toBe(1); // only the not-gzip object, which is never cached
      expect(second.stats.objectsFetched).toBe(1);
      expect(second.stats.cacheHits).toBe(55);
      expect(ids(second)).toEqual(ids(first));
      s3.resetCounts();
      const bypass = await loadS3([spec], { noCache: true });
      expect(bypass.stats.cacheHits).toBe(0);
      expect(s3.totalGets()).toBe(56);
    });

    it('a re-run of a clean range downloads zero objects', async () => {
      const dir = cacheDir();
      const o = { cacheDir: dir, noCache: false, interval: '2018-04-01T00:00:00Z-2018-05-01T00:00:00Z' };
      const first = await load('s3://trail/', o);
      expect(first.stats.objectsFetched).toBeGreaterThan(5);
      s3.resetCounts();
      const second = await load('s3://trail/', o);
      expect(second.stats.objectsFetched).toBe(0);
      expect(second.stats.cacheHits).toBe(first.stats.objectsFetched);
      expect(s3.totalGets()).toBe(0);
      expect(ids(second)).toEqual(ids(first));

      // a cached copy damaged on disk is fetched again, not reported
      const { readdir, truncate } = await import('node:fs/promises');
      const files = await readdir(dir);
      await truncate(path.join(dir, files[0]!), 10);
      s3.resetCounts();
      const third = await load('s3://trail/', o);
      expect(s3.totalGets()).toBe(1);
      expect(third.failed).toEqual([]);
      expect(ids(third)).toEqual(ids(first));
    });

    it('the cache stays under cacheMaxBytes, evicting the least recently used', async () => {
      const dir = cacheDir();
      const r = await load(`s3://trail/${INV_DAY}`, { cacheDir: dir, noCache: false, cacheMaxBytes: 100_000 });
      expect(r.failed.length).toBe(1);
      const { readdir } = await import('node:fs/promises');
      let total = 0;
      for (const f of await readdir(dir)) total += (await stat(path.join(dir, f))).size;
      expect(total).toBeLessThanOrEqual(100_000);
      expect(total).toBeGreaterThan(0);
    });

    it('an interrupted load returns what it read and the unread keys; the rerun resumes from the cache', async () => {
      const dir = cacheDir();
      const spec = `s3://trail/AWSLogs/${ORG}/${GRYCAP}/CloudTrail/us-east-1/2017/`;
      const ac = new AbortController();
      const first = await load(spec, {
        cacheDir: dir,
        noCache: false,
        concurrency: 2,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.objectsDone >= 20) ac.abort();
        },
      });
      const total = fx.grycap.filter((f) => /_20170601T/.test(f)).length;
      expect(first.failed.length).toBeGreaterThan(100);
      expect(first.failed.every((f) => /interrupted/.test(f.reason))).toBe(true);
      expect(first.table.numRows()).toBeGreaterThan(0);
      const read = first.stats.objectsFetched;
      expect(read).toBeGreaterThanOrEqual(20);
      expect(read + first.failed.length).toBe(total);

      s3.resetCounts();
      const second = await load(spec, { cacheDir: dir, noCache: false });
      expect(second.failed).toEqual([]);
      expect(second.stats.cacheHits).toBe(read);
      expect(second.stats.objectsFetched).toBe(total - read);
      // (the proxy may still see the first run's aborted GET arrive late, so count on the client side)
      expect(second.stats.getRequests).toBe(total - read);
      const local = await loadCloudTrail(fx.grycap.filter((f) => /_20170601T/.test(f)), {});
      expect(ids(second)).toEqual(ids(local));
    });

    it('an abort after a GetObject answered but before its body was read: that object is interrupted, not cached empty', async () => {
      // Aborting destroys the request, and Node then dumps the unread response:
      // a body that had fully arrived ends cleanly with zero bytes read. That
      // must not pass for an empty log file (read, committed to the cache, and
      // its records lost for every rerun).
      const dir = cacheDir();
      const spec = `s3://trail/AWSLogs/${ORG}/${GRYCAP}/CloudTrail/us-east-1/2017/06/01/`;
      const ac = new AbortController();
      const client = await makeS3Client({ endpoint: s3.endpoint });
      let getN = 0;
      let abortedKey = '';
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const out = await next(args);
          if (context.commandName === 'GetObjectCommand' && ++getN === 3) {
            abortedKey = (args.input as { Key: string }).Key;
            const body = (out.output as { Body: { complete?: boolean } }).Body;
            // the whole (small) body has arrived in the socket buffer; none of it was read
            const deadline = Date.now() + 5000;
            while (!body.complete && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
            expect(body.complete).toBe(true);
            ac.abort();
          }
          return out;
        },
        { step: 'initialize', name: 'abortAfterThirdGetAnswered' },
      );
      let first: LoadResult;
      try {
        first = await load(spec, { client, cacheDir: dir, noCache: false, concurrency: 1, signal: ac.signal });
      } finally {
        client.destroy();
      }
      const total = fx.grycap.filter((f) => /_20170601T/.test(f)).length;
      expect(abortedKey).not.toBe('');
      expect(first.stats.objectsFetched).toBe(2);
      expect(first.failed.length).toBe(total - 2);
      expect(first.failed.every((f) => /interrupted/.test(f.reason))).toBe(true);
      expect(first.failed.map((f) => f.key)).toContain(`s3://trail/${abortedKey}`);
      const { readdir } = await import('node:fs/promises');
      expect((await readdir(dir)).length).toBe(2);

      const second = await load(spec, { cacheDir: dir, noCache: false });
      expect(second.failed).toEqual([]);
      expect(second.stats.cacheHits).toBe(2);
      expect(second.stats.objectsFetched).toBe(total - 2);
      const local = await loadCloudTrail(fx.grycap.filter((f) => /_20170601T/.test(f)), {});
      expect(ids(second)).toEqual(ids(local));
    });

    it('progress: objects, bytes and events, ending with done', async () => {
      const seen: Progress[] = [];
      await load(`s3://trail/${INV_DAY}`, { onProgress: (p) => seen.push({ ...p }) });
      const last = seen.at(-1)!;
      expect(last.done).toBe(true);
      expect(last.objectsDone).toBe(last.objectsTotal);
      expect(last.objectsTotal).toBe(56);
      expect(last.bytesDone).toBe(last.bytesTotal);
      expect(last.events).toBeGreaterThan(2000);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.objectsDone).toBeGreaterThanOrEqual(seen[i - 1]!.objectsDone);
    });

    it('a wrong access key id is a clear error that names the profile, never the secret', async () => {
      const err = await loadS3(['s3://trail/'], { profile: 'bad', noCache: true }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      const msg = (err as Error).message;
      expect(msg).toMatch(/InvalidAccessKeyId/);
      expect(msg).toMatch(/profile "bad"/);
      expect(msg).toMatch(/s3:\/\/trail\//);
      expect(msg).not.toContain(BAD_SECRET);
    });

    it('the endpoint can come from the profile (endpoint_url in the config file)', async () => {
      delete process.env.AWS_ENDPOINT_URL_S3;
      try {
        const r = await loadS3([`s3://trail/${INV_DAY}`], { profile: 'cfg', noCache: true, since: '2023-07-10T12:00:00Z' });
        expect(r.table.numRows()).toBeGreaterThan(100);
      } finally {
        process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
      }
    });

    it('sl.load / sl.loadWithReport in a notebook: s3 options, a filter, the report', async () => {
      const sl = await import('../../../src/index.js');
      const o = { since: '2023-07-10T12:00:00Z', until: '2023-07-10T12:30:00Z', region: 'us-east-1', account: INVICTUS, noCache: true, onWarning: () => {} };
      const t = await sl.load('s3://trail/', { ...o, filter: 'ct.name = "DescribeRouteTables"' });
      const local = await loadCloudTrail(fx.invictus, { since: new Date(o.since), until: new Date(o.until) });
      const expected = (local.table.array('ct.name') as string[]).filter((n) => n === 'DescribeRouteTables').length;
      expect(expected).toBeGreaterThan(5);
      expect(t.numRows()).toBe(expected);
      const report = await sl.loadWithReport('s3://trail/', o);
      expect(report.failed.map((f) => f.key)).toEqual([`s3://trail/${NOT_GZIP_KEY}`]);
      expect(report.stats.objectsFetched).toBeGreaterThan(0);
    });

    it('is the SourceLoader for s3:// specs', async () => {
      expect(s3Loader.matches('s3://trail/AWSLogs/')).toBe(true);
      expect(s3Loader.matches('/tmp/x.json')).toBe(false);
      const r = await s3Loader.load([`s3://trail/${INV_DAY}`], { since: new Date('2023-07-10T12:30:00Z'), noCache: true });
      expect(r.stats.eventsMatched).toBe(r.table.numRows());
    });
  },
);
