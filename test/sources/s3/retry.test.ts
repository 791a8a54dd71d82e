import { describe, expect, it } from 'vitest';
import { isTransient, withRetry } from '../../../src/sources/s3/retry.js';
import { describeError, listingError } from '../../../src/sources/s3/errors.js';
import { runPool, limiter } from '../../../src/sources/s3/pool.js';
import { parseSize, s3LoadOptions } from '../../../src/sources/s3/cli-options.js';

const s3Error = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('retry on throttling and transient errors', () => {
  it('classifies', () => {
    expect(isTransient(s3Error('SlowDown', 503))).toBe(true);
    expect(isTransient(s3Error('InternalError', 500))).toBe(true);
    expect(isTransient(s3Error('Whatever', 502))).toBe(true);
    expect(isTransient(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(new Error('socket hang up'))).toBe(true);
    expect(isTransient(s3Error('AccessDenied', 403))).toBe(false);
    expect(isTransient(s3Error('NoSuchKey', 404))).toBe(false);
    expect(isTransient(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe(false);
    expect(isTransient(null)).toBe(false);
  });

  it('retries transient errors, not others', async () => {
    let n = 0;
    const v = await withRetry(
      async () => {
        if (n++ < 2) throw s3Error('SlowDown', 503);
        return 'ok';
      },
      { baseMs: 1 },
    );
    expect(v).toBe('ok');
    expect(n).toBe(3);
    n = 0;
    await expect(withRetry(async () => (n++, Promise.reject(s3Error('AccessDenied', 403))), { baseMs: 1 })).rejects.toThrow('AccessDenied');
    expect(n).toBe(1);
    n = 0;
    await expect(withRetry(async () => (n++, Promise.reject(s3Error('SlowDown', 503))), { baseMs: 1, retries: 2 })).rejects.toThrow('SlowDown');
    expect(n).toBe(3);
  });

  it('stops waiting when aborted', async () => {
    const ac = new AbortController();
    const p = withRetry(() => Promise.reject(s3Error('SlowDown', 503)), { baseMs: 60_000, signal: ac.signal });
    setTimeout(() => ac.abort(), 10);
    await expect(p).rejects.toThrow(/interrupted/);
  });
});

describe('error descriptions', () => {
  it('code, status and message in one line', () => {
    expect(describeError(s3Error('AccessDenied', 403))).toMatch(/^AccessDenied \(HTTP 403\): access denied: the identity lacks s3:ListBucket/);
    expect(describeError(new Error('boom'))).toBe('boom');
    const e = listingError(Object.assign(new Error('The AWS Access Key Id you provided does not exist in our records.'), { name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } }), 's3://b/p', 'ir');
    expect(e.message).toMatch(/^cannot list s3:\/\/b\/p \(profile "ir"\): InvalidAccessKeyId \(HTTP 403\)/);
    expect(e.message).toMatch(/check AWS_PROFILE/);
  });
});

describe('bounded concurrency', () => {
  it('never runs more than the limit, and runs everything', async () => {
    let active = 0;
    let peak = 0;
    const done: number[] = [];
    await runPool([...Array(50).keys()], 4, async (i) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 1));
      active--;
      done.push(i);
    });
    expect(peak).toBe(4);
    expect(done.sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
  });
  it('a worker that throws: no new item starts, and the error comes only after the running ones finished', async () => {
    const started: number[] = [];
    let running = 0;
    let finishedLate = false;
    const err = await runPool([...Array(20).keys()], 3, async (i) => {
      started.push(i);
      running++;
      try {
        if (i === 1) throw new Error('boom');
        await new Promise((r) => setTimeout(r, 30));
        if (i === 2) finishedLate = true;
      } finally {
        running--;
      }
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('boom');
    expect(running).toBe(0);
    expect(finishedLate).toBe(true);
    expect(started.sort((a, b) => a - b)).toEqual([0, 1, 2]);
  });
  it('limiter', async () => {
    const run = limiter(2);
    let active = 0;
    let peak = 0;
    await Promise.all(
      [...Array(10)].map(() =>
        run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 1));
          active--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });
});

describe('s3 command-line options', () => {
  it('parse to S3LoadOptions', () => {
    expect(
      s3LoadOptions({ region: ['us-east-1,eu-west-1', 'sa-east-1'], account: '111122223333', 'no-cache': true, 'cache-max': '2G', concurrency: '32', interval: '2w-1w' }),
    ).toEqual({ region: ['us-east-1', 'eu-west-1', 'sa-east-1'], account: ['111122223333'], noCache: true, cacheMaxBytes: 2 * 1024 ** 3, concurrency: 32, interval: '2w-1w' });
    expect(s3LoadOptions({})).toEqual({});
  });
  it('reject bad values with the option named', () => {
    expect(() => s3LoadOptions({ account: '1234' })).toThrow(/--account 1234/);
    expect(() => s3LoadOptions({ concurrency: '0' })).toThrow(/--concurrency/);
    expect(() => s3LoadOptions({ interval: 'soon' })).toThrow(/bad time interval/);
    expect(() => parseSize('lots')).toThrow(/bad size/);
    expect(parseSize('500M')).toBe(500 * 1024 ** 2);
    expect(parseSize('1.5k')).toBe(1536);
  });
});
