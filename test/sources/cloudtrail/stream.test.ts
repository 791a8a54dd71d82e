/**
 * The streaming splitter/parser: records come out identical whatever the
 * chunking (byte boundaries inside strings, escapes and UTF-8 sequences), in
 * every wrapper shape; a large file is streamed with bounded memory.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCloudTrail, parseCloudTrailStream } from '../../../src/sources/cloudtrail/index.js';
import { needSharedData, sharedData, skip } from '../../helpers.js';

function chunked(buf: Uint8Array, cuts: number[]): AsyncIterable<Uint8Array> {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, buf.length]) {
    if (p > prev) parts.push(buf.subarray(prev, p));
    prev = Math.max(prev, p);
  }
  return Readable.from(parts, { objectMode: true });
}

async function collect(src: AsyncIterable<Uint8Array>) {
  const out: object[] = [];
  const warnings: string[] = [];
  await parseCloudTrailStream(src, 'mem', (r) => void out.push(r), (w) => warnings.push(w.message));
  return { out, warnings };
}

const text = fc.string({ unit: fc.constantFrom('a', 'é', '😀', '"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '\u0001', 'Records') });
const record = fc.record({
  eventTime: fc.constant('2023-07-10T11:42:36Z'),
  eventName: text,
  eventID: fc.uuid(),
  requestParameters: fc.oneof(fc.constant(null), fc.dictionary(text, fc.oneof(text, fc.integer(), fc.array(text, { maxLength: 3 })), { maxKeys: 4 })),
});

describe('streaming record splitter', () => {
  it('yields the same records for every shape and every chunking (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 0, maxLength: 6 }),
        fc.constantFrom('records', 'records-pretty', 'array', 'jsonl', 'events', 'gzip'),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (recs, shape, cuts) => {
          let doc: string;
          if (shape === 'records') doc = JSON.stringify({ Records: recs });
          else if (shape === 'records-pretty') doc = JSON.stringify({ Before: { Records: 1 }, Records: recs, After: [1] }, null, 2);
          else if (shape === 'array') doc = JSON.stringify(recs, null, 1);
          else if (shape === 'events') doc = JSON.stringify({ Events: recs.map((r) => ({ EventId: r.eventID, CloudTrailEvent: JSON.stringify(r) })) });
          else doc = recs.map((r) => JSON.stringify(r)).join('\n');
          let bytes: Uint8Array = Buffer.from(doc, 'utf8');
          if (shape === 'gzip') bytes = gzipSync(bytes);
          const { out, warnings } = await collect(chunked(bytes, cuts));
          expect(out).toEqual(recs);
          if (recs.length > 0) expect(warnings).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a UTF-8 byte-order mark and CRLF line ends are fine', async () => {
    const doc = '\ufeff{"eventTime":"2023-01-01T00:00:00Z","eventName":"A"}\r\n{"eventTime":"2023-01-01T00:00:01Z","eventName":"B"}\r\n';
    const { out } = await collect(chunked(Buffer.from(doc), [1, 2, 3]));
    expect(out.map((r) => (r as { eventName: string }).eventName)).toEqual(['A', 'B']);
  });

  it('concatenated gzip members (as `cat a.gz b.gz` makes) are read in full', async () => {
    const a = gzipSync('{"Records":[{"eventTime":"2023-01-01T00:00:00Z","eventName":"A"}]}');
    const b = gzipSync('{"Records":[{"eventTime":"2023-01-01T00:00:01Z","eventName":"B"}]}');
    const { out } = await collect(chunked(Buffer.concat([a, b]), [7]));
    expect(out.length).toBe(2);
  });
});

describe.skipIf(skip(needSharedData('cloudtrail')))('a large file is streamed, not held', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ct-big-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const targetMB = Number(process.env.STRATOLAB_BIG_CLOUDTRAIL_MB ?? 60);

  it(`peak heap stays far below the size of a ~${targetMB} MB delivery file`, async () => {
    const src = JSON.parse(
      readFileSync(sharedData('cloudtrail/invictus-ir_aws_dataset/218007301253_CloudTrail_us-east-1_20230710T1200Z_iLj9fb7yyUG9X4Bf.json'), 'utf8'),
    ).Records as Record<string, unknown>[];
    const file = path.join(dir, 'big.json');
    const out = createWriteStream(file);
    const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((res) => out.once('drain', () => res())));
    await write('{"Records":[');
    let written = 0;
    let n = 0;
    const base = Date.UTC(2023, 0, 1);
    while (written < targetMB * 1024 * 1024) {
      const batch: string[] = [];
      for (const r of src) {
        batch.push(JSON.stringify({ ...r, eventTime: new Date(base + n * 1000).toISOString().replace('.000', ''), eventID: `big-${n}` }));
        n++;
      }
      const s = (written ? ',' : '') + batch.join(',');
      written += s.length;
      await write(s);
    }
    await write(']}');
    await new Promise<void>((res) => out.end(() => res()));
    const size = statSync(file).size;

    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const r = await loadCloudTrail(file, {
      until: new Date(base + 100_000), // keep the first 100 events
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      },
      predicate: () => {
        if (Math.random() < 0.01) peak = Math.max(peak, process.memoryUsage().heapUsed);
        return true;
      },
    });
    expect(r.stats.eventsRead).toBe(n);
    expect(r.table.numRows()).toBe(100);
    expect(r.failed).toEqual([]);
    console.log(`big file: ${(size / 1048576).toFixed(0)} MB, ${n} events, peak heap growth ${((peak - before) / 1048576).toFixed(1)} MB`);
    expect(peak - before).toBeLessThan(size / 3);
  });
});
