/**
 * `stratolab read s3://...` end to end: the CLI resolves the s3 loader
 * through the source registry, credentials and endpoint come from the
 * environment the AWS way, a re-run reads from the cache.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needSharedData, repoRoot, skip } from '../../helpers.js';
import { buildFixture, upload, INVICTUS } from './fixture.js';
import { startTestS3, type TestS3 } from './s3rver.js';

const run = promisify(execFile);

describe.skipIf(skip(needSharedData('cloudtrail/invictus-ir_aws_dataset')))('stratolab read s3://', () => {
  let s3: TestS3;
  let tmp: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'sl-s3-cli-'));
    s3 = await startTestS3();
    await upload(s3.direct, 'trail', buildFixture().objects.filter((o) => o.key.startsWith(`AWSLogs/${INVICTUS}/`)));
    await writeFile(path.join(tmp, 'credentials'), '[ir]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n');
    await writeFile(path.join(tmp, 'config'), '[profile ir]\nregion = us-east-1\n');
    env = { PATH: process.env.PATH, HOME: tmp, AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'credentials'), AWS_CONFIG_FILE: path.join(tmp, 'config'), AWS_PROFILE: 'ir', AWS_ENDPOINT_URL_S3: s3.endpoint, XDG_CACHE_HOME: path.join(tmp, 'xdg'), AWS_EC2_METADATA_DISABLED: 'true' };
  });
  afterAll(async () => {
    await s3?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const read = (...args: string[]) => run(process.execPath, [path.join(repoRoot, 'bin/stratolab.js'), 'read', ...args], { env, cwd: repoRoot });

  it('prints the events in range, then re-runs from the cache', async () => {
    const args = ['s3://trail/', '--since', '2023-07-10T12:00:00Z', '--until', '2023-07-10T12:01:00Z', '-T', 'fields', '-e', 'ct.id', '--stats'];
    const first = await read(...args);
    const ids = first.stdout.trim().split('\n');
    expect(ids.length).toBe(50);
    const stats = JSON.parse(first.stderr.trim().split('\n').pop()!);
    expect(stats.objectsFetched).toBeGreaterThan(10);
    expect(first.stderr).toMatch(/not gzip|warning/i);
    s3.resetCounts();
    const second = await read(...args);
    expect(second.stdout.trim().split('\n')).toEqual(ids);
    const stats2 = JSON.parse(second.stderr.trim().split('\n').pop()!);
    expect(stats2.cacheHits).toBe(stats.objectsFetched - 1);
    expect(s3.totalGets()).toBe(1); // the not-gzip object, never cached
  });

  it('bad credentials: exit 1 with a clear message and no secret', async () => {
    await writeFile(path.join(tmp, 'credentials'), '[ir]\naws_access_key_id = AKIAWRONG\naws_secret_access_key = topsecretvalue\n');
    const err = await read('s3://trail/').then(() => null, (e: { code: number; stderr: string }) => e);
    await writeFile(path.join(tmp, 'credentials'), '[ir]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n');
    expect(err?.code).toBe(1);
    expect(err?.stderr).toMatch(/InvalidAccessKeyId/);
    expect(err?.stderr).toMatch(/profile "ir"/);
    expect(err?.stderr).not.toContain('topsecretvalue');
  });
});
