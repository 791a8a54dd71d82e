/**
 * The shared real CloudTrail files laid out as a trail bucket:
 *   AWSLogs/218007301253/CloudTrail/us-east-1/2023/07/10/...        invictus (55 files, gzipped here)
 *   AWSLogs/o-a1b2c3d4e5/974349055189/CloudTrail/{us-east-1,sa-east-1}/...  grycap, as an organization trail (1,068 files, 2014-2018)
 *   AWSLogs/111111111111/CloudTrail/eu-central-1/2017/12/11/...     trailscraper
 *   trails/prod/AWSLogs/111111111111/CloudTrail/...                 trailscraper again, a trail with a custom prefix
 * plus a digest file (must be ignored) and extra objects for fault tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sharedData } from '../../helpers.js';
import { nameTimestamp } from '../../../src/sources/s3/layout.js';

export const INVICTUS = '218007301253';
export const GRYCAP = '974349055189';
export const ORG = 'o-a1b2c3d4e5';
export const TRAILSCRAPER = '111111111111';
export const NESTED_TRAIL = 'trails/prod/AWSLogs/';
export const NOT_GZIP_KEY = `AWSLogs/${INVICTUS}/CloudTrail/us-east-1/2023/07/10/${INVICTUS}_CloudTrail_us-east-1_20230710T1205Z_NotGzipNotGzip01.json.gz`;
export const DIGEST_KEY = `AWSLogs/${INVICTUS}/CloudTrail-Digest/us-east-1/2023/07/10/${INVICTUS}_CloudTrail-Digest_us-east-1_trail_us-east-1_20230710T1200Z.json.gz`;

export interface FixtureObject {
  key: string;
  /** the local file it came from (null for synthetic fault objects) */
  file: string | null;
  body: () => Buffer;
}

function dayOf(name: string): string {
  const t = nameTimestamp(name);
  if (t === null) throw new Error(`no timestamp in ${name}`);
  const d = new Date(t);
  return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
}

function regionOf(name: string): string {
  return /_CloudTrail_([^_]+)_/.exec(name)![1]!;
}

/** Every .json / .json.gz file under `dir`, recursively, sorted. */
function files(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (/_CloudTrail_.*\.json(\.gz)?$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

function gz(file: string): () => Buffer {
  return () => {
    const b = readFileSync(file);
    return b[0] === 0x1f && b[1] === 0x8b ? b : gzipSync(b);
  };
}

export interface Fixture {
  objects: FixtureObject[];
  /** local files by set, exactly those uploaded */
  invictus: string[];
  grycap: string[];
  trailscraper: string[];
}

export function buildFixture(): Fixture {
  const objects: FixtureObject[] = [];
  const seen = new Set<string>();
  const add = (prefix: string, file: string) => {
    const base = path.basename(file).replace(/\.json$/, '.json.gz');
    const key = `${prefix}${regionOf(base)}/${dayOf(base)}/${base}`;
    if (seen.has(key)) return false;
    seen.add(key);
    objects.push({ key, file, body: gz(file) });
    return true;
  };
  const invictus = files(sharedData('cloudtrail/invictus-ir_aws_dataset')).filter((f) => add(`AWSLogs/${INVICTUS}/CloudTrail/`, f));
  const grycap = files(sharedData('cloudtrail/grycap_cloudtrail-tracker')).filter((f) => add(`AWSLogs/${ORG}/${GRYCAP}/CloudTrail/`, f));
  const trailscraper = files(sharedData('cloudtrail/trailscraper')).filter((f) => add(`AWSLogs/${TRAILSCRAPER}/CloudTrail/`, f));
  // a second trail under a custom prefix, two folders down
  for (const f of trailscraper) add(`${NESTED_TRAIL}${TRAILSCRAPER}/CloudTrail/`, f);
  objects.push({ key: NOT_GZIP_KEY, file: null, body: () => Buffer.from('<html><body>this is not a log file</body></html>\n') });
  objects.push({ key: DIGEST_KEY, file: null, body: () => gzipSync(Buffer.from('{"awsAccountId":"218007301253","digestStartTime":"2023-07-10T11:00:00Z"}')) });
  return { objects, invictus, grycap, trailscraper };
}

/** PUTs the objects into `bucket` with the s3rver key, 16 at a time. */
export async function upload(endpoint: string, bucket: string, objects: readonly FixtureObject[]): Promise<void> {
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  let next = 0;
  const lane = async () => {
    while (next < objects.length) {
      const o = objects[next++]!;
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: o.key, Body: o.body() }));
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  client.destroy();
}
