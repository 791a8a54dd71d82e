/**
 * The .scap format layer alone (no state engine) on ~1.9 million synthetic events, against
 * `sysdig -r` on the same file: block walk, walk + param slices, full param decoding, and the
 * streaming reader, for a plain and a gzip capture.
 *
 *   node --import tsx bench/scap-format.ts [EVENTS]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { paramsOf } from '../src/sources/scap/params.js';
import { forEachScapBlock, readScapBatches } from '../src/sources/scap/reader.js';
import { synthesize } from '../src/sources/scap/synth.js';
import { ScapWriter } from '../src/sources/scap/writer.js';

const EVENTS = Number(process.argv[2] ?? 1_900_000);
const dir = path.join(tmpdir(), 'stratolab-bench');
mkdirSync(dir, { recursive: true });

async function capture(gzip: boolean): Promise<string> {
  const file = path.join(dir, `synth-${EVENTS}${gzip ? '.gz' : ''}.scap`);
  if (existsSync(file)) return file;
  const w = new ScapWriter(`${file}.tmp`, { gzip });
  for (const b of synthesize({ events: EVENTS, seed: 3 })) {
    w.block(b);
    await w.maybeFlush();
  }
  await w.close();
  execFileSync('mv', [`${file}.tmp`, file]);
  return file;
}

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, (performance.now() - t) / 1000];
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, (performance.now() - t) / 1000];
}

function hasSysdig(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v sysdig'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const rows: string[][] = [];
for (const gzip of [false, true]) {
  const file = await capture(gzip);
  const size = `${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`;
  const label = gzip ? 'gzip' : 'plain';
  if (hasSysdig()) {
    const [, s] = time(() => execFileSync('sh', ['-c', 'sysdig -r "$1" > /dev/null 2>&1; true', 'sh', file]));
    rows.push([label, size, 'sysdig -r FILE > /dev/null (oracle)', s.toFixed(2)]);
  }
  const [bytes, tRead] = time(() => readFileSync(file));
  let n = 0;
  const [, tWalk] = time(() =>
    forEachScapBlock(bytes, (b) => {
      if (b.kind === 'event') n++;
    }),
  );
  rows.push([label, size, `readFileSync + forEachScapBlock (${n} events)`, (tRead + tWalk).toFixed(2)]);
  let p = 0;
  const [, tParams] = time(() =>
    forEachScapBlock(bytes, (b) => {
      if (b.kind === 'event') p += b.event.params.length;
    }),
  );
  rows.push([label, size, `walk + param slices (${p} params)`, tParams.toFixed(2)]);
  const [, tDecode] = time(() =>
    forEachScapBlock(bytes, (b) => {
      if (b.kind === 'event') for (const v of paramsOf(b.event)) void v.value;
    }),
  );
  rows.push([label, size, 'walk + paramsOf (every param decoded)', tDecode.toFixed(2)]);
  const [, tStream] = await timeAsync(async () => {
    let k = 0;
    for await (const batch of readScapBatches(file)) for (const b of batch) if (b.kind === 'event') k++;
    return k;
  });
  rows.push([label, size, 'readScapBatches(path) (streaming)', tStream.toFixed(2)]);
}

console.log(`## scap format layer (${EVENTS} synthetic events, seed 3)\n`);
console.log('| capture | size | what | seconds |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
