/**
 * `stratolab read s3://... -Y FILTER`: the filter reaches the S3 loader as a
 * record predicate (only matching events are kept while reading), with the
 * same answer as a hand count; -c counts matching events.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needSharedData, repoRoot, skip } from '../helpers.js';
import { buildFixture, upload, INVICTUS } from '../sources/s3/fixture.js';
import { startTestS3, type TestS3 } from '../sources/s3/s3rver.js';
import { invictusRecords, lines } from './run-cli.js';

const run = promisify(execFile);

describe.skipIf(skip(needSharedData('cloudtrail/invictus-ir_aws_dataset')))('stratolab read s3:// -Y', () => {
  let s3: TestS3;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  const records = invictusRecords();

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'sl-cli-s3-filter-'));
    s3 = await startTestS3();
    await upload(s3.direct, 'trail', buildFixture().objects.filter((o) => o.key.startsWith(`AWSLogs/${INVICTUS}/CloudTrail/`) && o.file !== null));
    await writeFile(path.join(tmp, 'credentials'), '[ir]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n');
    await writeFile(path.join(tmp, 'config'), '[profile ir]\nregion = us-east-1\n');
    env = {
      PATH: process.env.PATH,
      HOME: tmp,
      AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'credentials'),
      AWS_CONFIG_FILE: path.join(tmp, 'config'),
      AWS_PROFILE: 'ir',
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      XDG_CACHE_HOME: path.join(tmp, 'xdg'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  }, 120_000);
  afterAll(async () => {
    await s3?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const read = (...args: string[]) => run(process.execPath, [path.join(repoRoot, 'bin/stratolab.js'), 'read', ...args], { env, cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });

  it('keeps exactly the matching events, and -c counts matches', async () => {
    const expected = records.filter((r) => r.eventName === 'GetUser' && r.userIdentity?.userName === 'bert-jan');
    const r = await read('s3://trail/', '-Y', 'ct.name == "GetUser" && ct.user == "bert-jan"', '-e', 'ct.id', '--stats', '--no-cache');
    expect(lines(r.stdout).sort()).toEqual(expected.map((x) => x.eventID).sort());
    const stats = JSON.parse(lines(r.stderr).filter((l) => l.startsWith('{')).pop()!);
    expect(stats.eventsRead).toBe(records.length);
    expect(stats.eventsMatched).toBe(expected.length);
    const three = await read('s3://trail/', '-Y', 'ct.name == "GetUser"', '-c', '3', '-e', 'ct.name', '--no-cache');
    expect(lines(three.stdout)).toEqual(['GetUser', 'GetUser', 'GetUser']);
  });
});
