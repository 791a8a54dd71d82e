/**
 * Frames and CLI benchmark: on the shared CloudTrail sets (grycap + invictus,
 * about 20,500 real events, repeated REPEAT times in memory), the time of
 * countBy, bucketTime and each export (CSV, JSON lines, Arrow IPC, Parquet),
 * and the CLI's start-up (`stratolab --version`, `stratolab fields`).
 *   node --import tsx bench/frames.ts [REPEAT]   (default 10)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bucketTime } from '../src/frames/bucket-time.js';
import { countBy } from '../src/frames/count-by.js';
import { exportTable } from '../src/frames/export.js';
import { concatTables } from '../src/sources/merge.js';
import { loadSources } from '../src/sources/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(ROOT, '../shared/data/cloudtrail');
const REPEAT = Number(process.argv[2] ?? 10);

function time<T>(label: string, fn: () => T, rows: number): T {
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(28)} ${ms.toFixed(0).padStart(7)} ms  (${((rows / ms) * 1000).toFixed(0)} rows/s)`);
  return out;
}

const base = (await loadSources([path.join(SHARED, 'grycap_cloudtrail-tracker'), path.join(SHARED, 'invictus-ir_aws_dataset')])).table;
const table = concatTables(Array.from({ length: REPEAT }, () => base));
const n = table.numRows();
console.log(`date: ${new Date().toISOString()}`);
console.log(`cpu: ${os.cpus()[0]?.model} x${os.availableParallelism?.() ?? os.cpus().length}, node ${process.version}`);
console.log(`rows: ${n.toLocaleString('en')} (${base.numRows()} real CloudTrail events x ${REPEAT})\n`);

time('countBy ct.user', () => countBy(table, 'ct.user', { top: 10 }), n);
time('countBy ct.shortsrc+ct.name', () => countBy(table, ['ct.shortsrc', 'ct.name'], { top: 10 }), n);
time('countBy ct.info (lazy field)', () => countBy(table, 'ct.info', { top: 10 }), n);
time('bucketTime 1h', () => bucketTime(table, '1h', { sparse: true }), n);

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-frames-'));
try {
  for (const ext of ['csv', 'jsonl', 'arrow', 'parquet']) {
    const out = path.join(dir, `events.${ext}`);
    time(`export .${ext}`, () => exportTable(table, out), n);
    console.log(`${''.padEnd(28)} ${(statSync(out).size / 2 ** 20).toFixed(1).padStart(7)} MiB`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log('');
for (const args of [['--version'], ['fields', 'ct.'], ['check', 'ct.name == "ConsoleLogin" && !ct.error']]) {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, [path.join(ROOT, 'bin/stratolab.js'), ...args], { stdio: 'ignore' });
    runs.push(performance.now() - t0);
  }
  runs.sort((a, b) => a - b);
  console.log(`stratolab ${args.join(' ').padEnd(44)} median ${runs[2]!.toFixed(0)} ms (5 runs)`);
}
