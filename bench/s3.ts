/**
 * S3 read throughput on a loopback s3rver: 2,000 small CloudTrail objects
 * (real invictus records, a few per object, gzipped, in the AWSLogs layout)
 * read with concurrency 1 and 16, no cache; then a cached re-run.
 * Run: node --import tsx bench/s3.ts [--objects N] [--write doc/bench-s3.md]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { loadS3 } from '../src/sources/s3/index.js';
import { sharedData } from '../test/helpers.js';
import { upload, type FixtureObject } from '../test/sources/s3/fixture.js';
import { startTestS3 } from '../test/sources/s3/s3rver.js';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const N = Number(arg('--objects') ?? 2000);
const out = arg('--write');
const ACC = '218007301253';
const LATENCY_MS = 20;

/** N objects of 1-3 real records each, delivered every 5 minutes from 2023-07-01. */
function objects(): FixtureObject[] {
  const dir = sharedData('cloudtrail/invictus-ir_aws_dataset');
  const records: unknown[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.json')) records.push(...(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { Records: unknown[] }).Records);
  }
  const start = Date.UTC(2023, 6, 1);
  const list: FixtureObject[] = [];
  for (let i = 0; i < N; i++) {
    const t = new Date(start + i * 5 * 60_000);
    const p = (n: number) => String(n).padStart(2, '0');
    const day = `${t.getUTCFullYear()}/${p(t.getUTCMonth() + 1)}/${p(t.getUTCDate())}`;
    const stamp = `${t.getUTCFullYear()}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}T${p(t.getUTCHours())}${p(t.getUTCMinutes())}Z`;
    const n = 1 + (i % 3);
    const recs = Array.from({ length: n }, (_, k) => records[(i * 3 + k) % records.length]);
    const body = gzipSync(JSON.stringify({ Records: recs }));
    list.push({ key: `AWSLogs/${ACC}/CloudTrail/us-east-1/${day}/${ACC}_CloudTrail_us-east-1_${stamp}_bench${String(i).padStart(8, '0')}.json.gz`, file: null, body: () => body });
  }
  return list;
}

function cpu(): string {
  const c = os.cpus();
  return `${c[0]?.model.trim() ?? 'unknown CPU'} (${c.length} cores)`;
}

async function main() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const s3 = await startTestS3();
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'sl-bench-cache-'));
  const rows: string[] = [];
  try {
    const objs = objects();
    const bytes = objs.reduce((s, o) => s + o.body().length, 0);
    const t0 = performance.now();
    await upload(s3.direct, 'trail', objs);
    console.log(`uploaded ${objs.length} objects (${(bytes / 1024).toFixed(0)} KB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const run = async (what: string, o: Parameters<typeof loadS3>[1]) => {
      s3.resetCounts();
      const r = await loadS3(['s3://trail/'], { client, ...o });
      const rate = (r.stats.objectsFetched + (r.stats.cacheHits ?? 0)) / r.stats.seconds;
      const line = `| ${what} | ${r.stats.objectsListed} | ${r.stats.objectsFetched} | ${r.stats.cacheHits} | ${r.stats.eventsRead} | ${r.stats.seconds.toFixed(2)} | **${rate.toFixed(0)}** |`;
      console.log(line);
      rows.push(line);
      if (r.failed.length) console.log('failed:', r.failed.slice(0, 3));
      return rate;
    };
    const c1 = await run('concurrency 1, no cache', { concurrency: 1, noCache: true });
    const c16 = await run('concurrency 16, no cache', { concurrency: 16, noCache: true });
    await run('concurrency 16, filling the cache', { concurrency: 16, cacheDir });
    await run('concurrency 16, all from the cache', { concurrency: 16, cacheDir });
    console.log(`speed-up 16 vs 1: ${(c16 / c1).toFixed(1)}x`);
    // like a remote S3: 20 ms added to every request, two days of the range
    s3.latency.ms = LATENCY_MS;
    const days = { since: '2023-07-01T00:00:00Z', until: '2023-07-03T00:00:00Z', noCache: true };
    const l1 = await run(`+${LATENCY_MS} ms per request, 2 days, concurrency 1`, { ...days, concurrency: 1 });
    const l16 = await run(`+${LATENCY_MS} ms per request, 2 days, concurrency 16`, { ...days, concurrency: 16 });
    s3.latency.ms = 0;
    console.log(`speed-up 16 vs 1 with latency: ${(l16 / l1).toFixed(1)}x`);
    client.destroy();
    if (out) {
      const doc = [
        '# S3 read benchmark',
        '',
        `\`node --import tsx bench/s3.ts --write ${out}\` — ${new Date().toISOString().slice(0, 16)}Z, ${cpu()}, Node ${process.version}.`,
        '',
        `${objs.length} small CloudTrail objects (1-3 real invictus records each, gzipped, ${(bytes / objs.length / 1024).toFixed(1)} KB on average) in the AWSLogs layout,`,
        'served by s3rver 3.7.1 on 127.0.0.1 behind the test proxy (both single-threaded Node processes on the same machine),',
        'read with `loadS3("s3://trail/")` (whole-bucket listing; no time range except in the latency rows). Objects/s = objects read / load seconds (listing included).',
        '',
        '| run | listed | fetched | cache hits | events | seconds | objects/s |',
        '|---|---|---|---|---|---|---|',
        ...rows,
        '',
        `On loopback, concurrency 16 reads ${(c16 / c1).toFixed(1)}x as many objects per second as concurrency 1: with no network`,
        'latency both are bound by CPU (s3rver, the proxy and the loader share the machine).',
        `With ${LATENCY_MS} ms added to every request (about what an in-region S3 GET costs), concurrency 16 is ${(l16 / l1).toFixed(1)}x faster`,
        'than concurrency 1: the gain that matters against real S3.',
        `The machine is shared (several engineers; load average ${os.loadavg()[0]!.toFixed(1)} at the end of the run): rerun for fresh numbers.`,
        '',
      ].join('\n');
      writeFileSync(out, doc);
      console.log(`wrote ${out}`);
    }
  } finally {
    await s3.stop();
    await rm(cacheDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
