/**
 * scap benchmark: stratolab vs sysdig 0.29.3 on a real capture repeated as
 * many concatenated sections (~1.9 million events).
 *
 *   node --import tsx bench/scap.ts [--sections 500] [--runs 3] [--no-table] [--write doc/bench-scap.md]
 *
 * 1. streaming: `stratolab read F -Y FILTER -T fields -e evt.num -e fd.name`
 *    vs `sysdig -r F -p '%evt.num %fd.name' FILTER` (identical output required)
 * 2. table: load once, then 5 filters, vs 5 sysdig runs (same evt.num sets required)
 * 3. peak RSS per million events (streaming and table)
 *
 * The machine is shared, so wall times are noisy: every run is repeated and
 * the median is reported, with CPU time (user+sys) next to it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const SECTIONS = Number(opt('sections', '500'));
const RUNS = Number(opt('runs', '3'));
const SOURCE = path.resolve(root, '../shared/data/scap/psp_run_as_user_0_container.scap');
const DATA = path.join(root, 'bench/data');
const FILE = path.join(DATA, `psp_x${SECTIONS}.scap`);
const FILE1 = path.join(DATA, `psp_x${SECTIONS}_one_section.scap`);
const FILTER = 'evt.type=read and proc.name=dockerd';
const TABLE_FILTERS = [
  'evt.type=read and proc.name=dockerd',
  'fd.type=ipv4',
  'evt.failed=true and evt.type=open',
  'proc.name=sshd and evt.is_io_write=true',
  'container.id!=host',
];

interface Timed {
  wall: number;
  cpu: number;
  rssKb: number;
  out: string;
}

/** Runs a command under /usr/bin/time: wall seconds, user+sys seconds, max RSS. */
function timed(cmd: string, argv: string[]): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', '@@TIME %e %U %S %M', cmd, ...argv], { maxBuffer: 1 << 30, cwd: root });
  const err = r.stderr.toString();
  const m = /@@TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(err);
  if (!m) throw new Error(`${cmd} failed: ${err.slice(0, 500)}`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssKb: Number(m[4]), out: r.stdout.toString() };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function repeat(cmd: string, argv: string[]): Timed & { walls: number[] } {
  const runs: Timed[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(timed(cmd, argv));
  const walls = runs.map((r) => r.wall);
  return { wall: median(walls), cpu: median(runs.map((r) => r.cpu)), rssKb: Math.max(...runs.map((r) => r.rssKb)), out: runs[0]!.out, walls };
}

/** Offset of the first event block of a plain capture (after SHB and metadata blocks). */
function firstEventOffset(b: Buffer): number {
  const EVENT_BLOCKS = new Set([0x204, 0x8010abcd, 0x216, 0x221, 0x208, 0x217, 0x222]);
  let p = 0;
  while (p + 12 <= b.length) {
    const type = b.readUInt32LE(p);
    if (EVENT_BLOCKS.has(type)) return p;
    p += b.readUInt32LE(p + 4);
  }
  throw new Error('no event block');
}

/** The same events in ONE section: metadata once, then the event blocks repeated. */
async function buildOneSection(): Promise<void> {
  if (existsSync(FILE1)) return;
  const raw = readFileSync(SOURCE);
  const plain = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const at = firstEventOffset(plain);
  const ws = createWriteStream(FILE1);
  ws.write(plain.subarray(0, at));
  const events = plain.subarray(at);
  for (let i = 0; i < SECTIONS; i++) if (!ws.write(events)) await new Promise<void>((r) => ws.once('drain', () => r()));
  await new Promise<void>((r, j) => ws.end((e?: Error | null) => (e ? j(e) : r())));
}

async function buildCapture(): Promise<void> {
  await buildOneSection();
  if (existsSync(FILE)) return;
  mkdirSync(DATA, { recursive: true });
  const raw = readFileSync(SOURCE);
  const plain = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const ws = createWriteStream(FILE);
  for (let i = 0; i < SECTIONS; i++) if (!ws.write(plain)) await new Promise<void>((r) => ws.once('drain', () => r()));
  await new Promise<void>((r, j) => ws.end((e?: Error | null) => (e ? j(e) : r())));
}

const fmt = (s: number) => s.toFixed(2);

async function main(): Promise<void> {
  await buildCapture();
  const size = statSync(FILE).size;
  const lines: string[] = [];
  const log = (s = '') => {
    lines.push(s);
    console.log(s);
  };
  const cpu = cpus()[0]?.model ?? 'unknown';
  const sysdigVersion = execFileSync('sysdig', ['--version']).toString().trim();
  // sysdig must read the concatenation: count its events (and ours below)
  const sysEvents = Number(execFileSync('sh', ['-c', `sysdig -r "${FILE}" | wc -l`]).toString().trim());

  log(`# scap benchmark: stratolab vs sysdig`);
  log('');
  log(`- date: ${new Date().toISOString()}`);
  log(`- machine: ${cpus().length} x ${cpu}, Node ${process.version}, ${sysdigVersion}; shared with other jobs, so each figure is the median of ${RUNS} runs and CPU time (user+sys) is given next to wall time`);
  log(`- capture: ${path.relative(root, FILE)} = psp_run_as_user_0_container.scap decompressed and concatenated ${SECTIONS} times (${(size / 1e6).toFixed(0)} MB plain, ${SECTIONS} sections); sysdig shows ${sysEvents.toLocaleString('en-US')} events`);
  log('');

  // 1. streaming
  const cli = existsSync(path.join(root, 'bin/stratolab.js'));
  const ours = cli
    ? repeat('node', ['bin/stratolab.js', 'read', FILE, '-Y', FILTER, '-T', 'fields', '-e', 'evt.num', '-e', 'fd.name'])
    : repeat('node', ['--import', 'tsx', 'bench/scap-stream.ts', FILE, FILTER]);
  const sys = repeat('sysdig', ['-r', FILE, '-p', '%evt.num %fd.name', FILTER]);
  const oursOut = ours.out.replace(/\t/g, ' ');
  const identical = oursOut === sys.out;
  const nOut = sys.out.split('\n').filter(Boolean).length;
  log(`## 1. Streaming filter: \`${FILTER}\``);
  log('');
  log(`| | wall (median) | wall runs | CPU | peak RSS |`);
  log(`|---|---|---|---|---|`);
  log(`| \`${cli ? 'stratolab read F -Y … -T fields -e evt.num -e fd.name' : 'streamScap'}\` | ${fmt(ours.wall)} s | ${ours.walls.map(fmt).join(', ')} | ${fmt(ours.cpu)} s | ${(ours.rssKb / 1024).toFixed(0)} MB |`);
  log(`| \`sysdig -r F -p '%evt.num %fd.name' …\` | ${fmt(sys.wall)} s | ${sys.walls.map(fmt).join(', ')} | ${fmt(sys.cpu)} s | ${(sys.rssKb / 1024).toFixed(0)} MB |`);
  log('');
  log(`- output: ${nOut} lines, ${identical ? 'identical to sysdig (tabs read as spaces)' : '**DIFFERENT from sysdig**'}`);
  log(`- ratio stratolab/sysdig: wall ${(ours.wall / sys.wall).toFixed(2)}x, CPU ${(ours.cpu / sys.cpu).toFixed(2)}x (target: wall within 1.5x)`);
  log(`- peak RSS while streaming: ${((ours.rssKb / 1024) / (sysEvents / 1e6)).toFixed(0)} MB per million events (flat: the state, not the events)`);
  log('');

  // 1b. the same events in one section (no process/fd lists to re-read every 4,143 events)
  {
    const ours1 = cli
      ? repeat('node', ['bin/stratolab.js', 'read', FILE1, '-Y', FILTER, '-T', 'fields', '-e', 'evt.num', '-e', 'fd.name'])
      : repeat('node', ['--import', 'tsx', 'bench/scap-stream.ts', FILE1, FILTER]);
    const sys1 = repeat('sysdig', ['-r', FILE1, '-p', '%evt.num %fd.name', FILTER]);
    const same1 = ours1.out.replace(/\t/g, ' ') === sys1.out;
    log(`### 1b. The same events as one section (\`${path.relative(root, FILE1)}\`: metadata once, event blocks x${SECTIONS})`);
    log('');
    log(`| | wall (median) | wall runs | CPU | peak RSS |`);
    log(`|---|---|---|---|---|`);
    log(`| stratolab | ${fmt(ours1.wall)} s | ${ours1.walls.map(fmt).join(', ')} | ${fmt(ours1.cpu)} s | ${(ours1.rssKb / 1024).toFixed(0)} MB |`);
    log(`| sysdig | ${fmt(sys1.wall)} s | ${sys1.walls.map(fmt).join(', ')} | ${fmt(sys1.cpu)} s | ${(sys1.rssKb / 1024).toFixed(0)} MB |`);
    log('');
    log(`- output: ${sys1.out.split('\n').filter(Boolean).length} lines, ${same1 ? 'identical to sysdig' : '**DIFFERENT from sysdig**'}; ratio wall ${(ours1.wall / sys1.wall).toFixed(2)}x, CPU ${(ours1.cpu / sys1.cpu).toFixed(2)}x`);
    log('');
  }

  // 2. table + filters (in a child, to measure its own peak RSS)
  if (!args.includes('--no-table')) {
    // RUNS loads (each in its own process), medians of the load and of each filter
    type TableRun = { rows: number; load: number; filters: { f: string; ms: number; nums: string }[] };
    const runs: { res: TableRun; rssKb: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = timed('node', ['--import', 'tsx', 'bench/scap-table.ts', FILE, JSON.stringify(TABLE_FILTERS)]);
      runs.push({ res: JSON.parse(t.out.trim().split('\n').pop()!) as TableRun, rssKb: t.rssKb });
    }
    const res = runs[0]!.res;
    const load = median(runs.map((r) => r.res.load));
    const rssKb = Math.max(...runs.map((r) => r.rssKb));
    log(`## 2. Load once into a table, then 5 filters`);
    log('');
    log(`- load: ${res.rows.toLocaleString('en-US')} rows in ${fmt(load)} s (median of ${RUNS}: ${runs.map((r) => fmt(r.res.load)).join(', ')}); process peak RSS ${(rssKb / 1024).toFixed(0)} MB = ${((rssKb / 1024) / (res.rows / 1e6)).toFixed(0)} MB per million events`);
    log('');
    log(`| filter | stratolab on the table (median) | sysdig -r F (full read, median) | same evt.num set |`);
    log(`|---|---|---|---|`);
    let tableTotal = 0;
    let sysTotal = 0;
    res.filters.forEach((f, k) => {
      const ms = median(runs.map((r) => r.res.filters[k]!.ms));
      const s = repeat('sysdig', ['-r', FILE, '-p', '%evt.num', f.f]);
      const same = s.out.split('\n').filter(Boolean).join(',') === f.nums && runs.every((r) => r.res.filters[k]!.nums === f.nums);
      tableTotal += ms / 1000;
      sysTotal += s.wall;
      log(`| \`${f.f}\` | ${(ms / 1000).toFixed(3)} s | ${fmt(s.wall)} s | ${same ? 'yes' : '**no**'} (${f.nums ? f.nums.split(',').length : 0} events) |`);
    });
    log(`| **total** | **${fmt(tableTotal)} s** (+ ${fmt(load)} s load = ${fmt(load + tableTotal)} s) | **${fmt(sysTotal)} s** | |`);
    log('');
    log(`- load once + 5 filters vs 5 sysdig runs: ${fmt(load + tableTotal)} s vs ${fmt(sysTotal)} s = ${((load + tableTotal) / sysTotal).toFixed(2)}x (${load + tableTotal < sysTotal ? 'beats' : '**does not beat**'} the 5 sysdig runs)`);
    log('');
  }
  const out = opt('write', '');
  if (out) {
    // hand-written notes from the marker on of the existing file are kept
    const file = path.resolve(root, out);
    const MARK = '<!-- notes: kept by bench/scap.ts --write -->';
    const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const notes = old.includes(MARK) ? old.slice(old.indexOf(MARK)) : '';
    writeFileSync(file, lines.join('\n') + '\n' + notes);
  }
}

await main();
