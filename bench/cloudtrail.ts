/**
 * CloudTrail benchmark: stratolab's CLI against jq on the same ~200,000 real
 * events (the grycap and invictus sets of ../shared/data copied ten times, as
 * .json.gz in bench/data/cloudtrail/, gitignored), same question, same answer.
 *
 *   node --import tsx bench/cloudtrail.ts            # prepare data if needed, run, write doc/bench-cloudtrail.md
 *   BENCH_RUNS=1 node --import tsx bench/cloudtrail.ts
 *
 * Measures wall time (median of BENCH_RUNS, default 3) and peak RSS
 * (/usr/bin/time -v when installed), plus the decompression floor
 * (`zcat | wc -c`). Outputs are compared as multisets of lines (stratolab
 * prints in time order, jq in file order).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(ROOT, '../shared/data/cloudtrail');
const DATA = path.join(ROOT, 'bench/data/cloudtrail');
const COPIES = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FILTER = 'ct.user.identitytype == "AssumedRole" && ct.name contains "Describe"';
const JQ = '.Records[] | select(.userIdentity.type=="AssumedRole" and (.eventName|contains("Describe"))) | .eventName';

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (/\.json(\.gz)?$/.test(e.name)) out.push(p);
  }
  return out;
}

/** bench/data/cloudtrail/copy-N/<set>/<file>.json.gz, gzipping the plain .json files. */
function prepare(): { files: string[]; bytes: number } {
  const marker = path.join(DATA, '.complete');
  if (!existsSync(marker)) {
    rmSync(DATA, { recursive: true, force: true });
    const sources = [...walk(path.join(SHARED, 'grycap_cloudtrail-tracker')), ...walk(path.join(SHARED, 'invictus-ir_aws_dataset'))];
    for (let c = 0; c < COPIES; c++) {
      for (const src of sources) {
        const rel = path.relative(SHARED, src).split(path.sep).join('_');
        const dest = path.join(DATA, `copy-${c}`, rel.endsWith('.gz') ? rel : `${rel}.gz`);
        mkdirSync(path.dirname(dest), { recursive: true });
        if (src.endsWith('.gz')) copyFileSync(src, dest);
        else writeFileSync(dest, gzipSync(readFileSync(src)));
      }
    }
    writeFileSync(marker, new Date().toISOString());
  }
  const files = walk(DATA).filter((f) => f.endsWith('.json.gz'));
  return { files, bytes: files.reduce((s, f) => s + statSync(f).size, 0) };
}

interface Run {
  seconds: number;
  /** user + system CPU seconds of the command and its children (from /usr/bin/time) */
  cpu: number | null;
  maxRssKB: number | null;
  stdout: string;
}

const HAVE_TIME = existsSync('/usr/bin/time');

/** Runs `sh -c script`, timing it (and its peak RSS through /usr/bin/time -v when available). */
function run(script: string): Run {
  const argv = HAVE_TIME ? ['/usr/bin/time', '-v', 'sh', '-c', script] : ['sh', '-c', script];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: ROOT, maxBuffer: 1 << 30, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`failed (${r.status}): ${script}\n${r.stderr}`);
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const u = /User time \(seconds\): ([\d.]+)/.exec(r.stderr ?? '');
  const sy = /System time \(seconds\): ([\d.]+)/.exec(r.stderr ?? '');
  return { seconds, cpu: u && sy ? Number(u[1]) + Number(sy[1]) : null, maxRssKB: m ? Number(m[1]) : null, stdout: r.stdout };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function bench(name: string, script: string) {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(run(script));
  const rss = runs.map((r) => r.maxRssKB).filter((x): x is number => x !== null);
  const cpus = runs.map((r) => r.cpu).filter((x): x is number => x !== null);
  const res = {
    name,
    script,
    seconds: median(runs.map((r) => r.seconds)),
    all: runs.map((r) => r.seconds),
    cpu: cpus.length ? median(cpus) : null,
    maxRssMB: rss.length ? Math.max(...rss) / 1024 : null,
    stdout: runs[0]!.stdout,
  };
  console.log(
    `${name}: median ${res.seconds.toFixed(2)} s [${res.all.map((s) => s.toFixed(2)).join(', ')}]${res.cpu !== null ? `, CPU ${res.cpu.toFixed(2)} s` : ''}${res.maxRssMB ? `, peak RSS ${res.maxRssMB.toFixed(0)} MB` : ''}`,
  );
  return res;
}

const sortedLines = (s: string) => s.split('\n').filter((l) => l !== '').sort();

function main() {
  const { files, bytes } = prepare();
  const list = path.join(ROOT, 'bench/data/cloudtrail-files.txt');
  writeFileSync(list, files.map((f) => path.relative(ROOT, f)).join('\n') + '\n');
  const rel = path.relative(ROOT, DATA);
  console.log(`${files.length} files, ${(bytes / 1048576).toFixed(1)} MiB gzip in ${rel}`);
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

  const floor = bench('decompression floor (zcat into wc -c)', `xargs zcat < ${q(list)} | wc -c`);
  const decompressed = Number(floor.stdout.trim());
  const events = Number(execFileSync('sh', ['-c', `xargs zcat < ${q(list)} | jq '.Records | length' | awk '{s+=$1} END {print s}'`], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 }).trim());
  const jq = bench('jq', `xargs zcat < ${q(list)} | jq -r ${q(JQ)}`);
  const cliPath = path.join(ROOT, 'bin/stratolab.js');
  if (!existsSync(cliPath)) throw new Error('bin/stratolab.js is missing');
  const strato = bench('stratolab CLI', `node bin/stratolab.js read ${q(rel)} -Y ${q(FILTER)} -T fields -e ct.name`);
  const loader = bench('stratolab loader, filter while reading', `node --import tsx bench/cloudtrail-read.ts ${q(rel)} ${q(FILTER)} ct.name`);

  const b = sortedLines(jq.stdout);
  const sameAs = (r: { stdout: string }) => {
    const a = sortedLines(r.stdout);
    return a.length === b.length && a.every((x, i) => x === b[i]);
  };
  const same = sameAs(strato);
  const sameLoader = sameAs(loader);
  const ratio = jq.seconds / strato.seconds;
  const ratioLoader = jq.seconds / loader.seconds;
  const cpuRatio = (r: typeof jq) => (jq.cpu !== null && r.cpu !== null ? `${(jq.cpu / r.cpu).toFixed(2)}x` : 'n/a');
  console.log(`events ${events}, matching ${b.length}, same output: CLI ${same}, loader ${sameLoader}; wall: CLI ${ratio.toFixed(2)}x jq, loader ${ratioLoader.toFixed(2)}x jq; CPU: CLI ${cpuRatio(strato)}, loader ${cpuRatio(loader)}`);

  const cpu = cpus()[0]?.model ?? 'unknown';
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const row = (r: ReturnType<typeof bench>) =>
    `| ${r.name} | ${r.seconds.toFixed(2)} | ${r.all.map((s) => s.toFixed(2)).join(', ')} | ${r.cpu !== null ? r.cpu.toFixed(2) : 'n/a'} | ${r.maxRssMB ? r.maxRssMB.toFixed(0) : 'n/a'} |`;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const fence = '```';
  const md = `# CloudTrail benchmark

Measured ${date} on ${nproc} CPUs (\`nproc\`), ${cpu}, Node ${process.version}, on a machine shared with other
jobs (load average at the end: ${load}), so wall times vary a lot from run to run; CPU time (user + system, the
command and its children, from /usr/bin/time) is the steadier comparison. Produced by
\`node --import tsx bench/cloudtrail.ts\` (runs: ${RUNS}, medians reported).

Data: the grycap and invictus CloudTrail sets of ../shared/data copied ${COPIES} times: **${events.toLocaleString('en-US')} events**
in ${files.length} \`.json.gz\` delivery files, ${(bytes / 1048576).toFixed(1)} MiB compressed, ${(decompressed / 1048576).toFixed(1)} MiB of JSON.

Question: AssumedRole calls whose name contains "Describe" (${b.length.toLocaleString('en-US')} events), printed one name per line.

${fence}
CLI:    node bin/stratolab.js read ${rel} -Y '${FILTER}' -T fields -e ct.name
loader: node --import tsx bench/cloudtrail-read.ts ${rel} '${FILTER}' ct.name
jq:     xargs zcat < FILES | jq -r '${JQ}'
floor:  xargs zcat < FILES | wc -c
${fence}

| command | median wall (s) | runs (s) | median CPU (s) | peak RSS (MB) |
|---|---|---|---|---|
${row(strato)}
${row(loader)}
${row(jq)}
${row(floor)}

- Same output as jq: CLI **${same ? 'yes' : 'NO'}**, loader **${sameLoader ? 'yes' : 'NO'}** (${b.length} lines, compared as sorted lines: stratolab prints in time order, jq in file order).
- Wall-time ratio jq / stratolab: CLI **${ratio.toFixed(2)}x**, loader **${ratioLoader.toFixed(2)}x** (target: at least 2x). CPU-time ratio: CLI ${cpuRatio(strato)}, loader ${cpuRatio(loader)}.
- Both stratolab rows apply the filter while reading (\`loadCloudTrail(dir, {filter})\`; the CLI passes -Y to the
  loader, \`filterMode: 'self'\` in src/sources/registry-entries.ts): records that cannot match are skipped before
  JSON.parse by a text prefilter derived from the filter, and only matching events are kept. The loader row calls
  the loader directly (bench/cloudtrail-read.ts), without the CLI around it.
- Decompression alone (the floor) takes ${floor.seconds.toFixed(2)} s wall.
`;
  writeFileSync(path.join(ROOT, 'doc/bench-cloudtrail.md'), md);
  console.log('wrote doc/bench-cloudtrail.md');
  if (!same || !sameLoader) process.exitCode = 1;
}

main();
