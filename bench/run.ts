/**
 * `npm run bench`: runs every bench/*.ts (cloudtrail, filter, scap, s3...)
 * one after the other in its own process, and collects their outputs into
 * BENCHMARKS.md with the date and the machine (CPU model, cores, memory).
 *
 *   npm run bench                    # all benchmarks
 *   npm run bench -- filter scap     # some of them
 *   BENCH_TIMEOUT=600 npm run bench  # seconds per benchmark (default 1800)
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = path.join(ROOT, 'bench');
const OUT = path.join(ROOT, 'BENCHMARKS.md');
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT ?? 1800);

interface Run {
  name: string;
  code: number | null;
  signal: string | null;
  seconds: number;
  output: string;
}

/** The machine, as one would quote it next to numbers. */
export function machine(): Record<string, string> {
  const cpu = os.cpus();
  let model = cpu[0]?.model?.trim() ?? 'unknown';
  if (model === 'unknown' && existsSync('/proc/cpuinfo')) {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1]!.trim();
  }
  return {
    CPU: model,
    cores: String(os.availableParallelism?.() ?? cpu.length),
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    OS: `${os.type()} ${os.release()} (${os.arch()})`,
    Node: process.version,
  };
}

function runOne(file: string): Promise<Run> {
  const name = path.basename(file, '.ts');
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    const take = (chunk: Buffer, stream: NodeJS.WriteStream) => {
      stream.write(chunk);
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', (c: Buffer) => take(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => take(c, process.stderr));
    const timer = setTimeout(() => child.kill('SIGTERM'), TIMEOUT_S * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ name, code, signal, seconds: (performance.now() - started) / 1000, output });
    });
  });
}

/** Code lines of a file (comment lines left out). */
function codeLines(file: string): string {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l))
    .join('\n');
}

/**
 * The benchmarks: every bench/*.ts but this runner and the helpers other
 * benchmarks start themselves (a file another bench's code names, like
 * bench/scap-stream.ts started by bench/scap.ts, or one whose doc says "Child of").
 */
export function benchmarks(): string[] {
  const files = readdirSync(BENCH)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
    .sort();
  const code = new Map(files.map((f) => [f, codeLines(path.join(BENCH, f))]));
  return files.filter((f) => {
    if (/^\s*\*\s*Child of\b/m.test(readFileSync(path.join(BENCH, f), 'utf8'))) return false;
    return !files.some((other) => other !== f && code.get(other)!.includes(`bench/${f}`));
  });
}

function markdown(runs: Run[], when: Date): string {
  const m = machine();
  const parts = [
    '# Benchmarks',
    '',
    `Run ${when.toISOString().replace(/\.\d+Z$/, 'Z')} with \`npm run bench\` (bench/run.ts runs each bench/*.ts in its own process).`,
    '',
    '| machine | |',
    '|---|---|',
    ...Object.entries(m).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '| benchmark | status | wall time |',
    '|---|---|---|',
    ...runs.map((r) => `| ${r.name} | ${r.code === 0 ? 'ok' : r.signal ? `killed (${r.signal}, timeout ${TIMEOUT_S} s?)` : `failed (exit ${r.code})`} | ${r.seconds.toFixed(1)} s |`),
    '',
  ];
  for (const r of runs) {
    // strip terminal control sequences (progress bars)
    const text = r.output.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r(?!\n)/g, '\n').trimEnd();
    parts.push(`## ${r.name}`, '', `\`node --import tsx bench/${r.name}.ts\``, '', '```', text || '(no output)', '```', '');
  }
  return parts.join('\n');
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const all = benchmarks();
  const unknown = wanted.filter((w) => !all.includes(`${w}.ts`) && !all.includes(w));
  if (unknown.length) {
    console.error(`bench: no such benchmark: ${unknown.join(', ')} (have: ${all.map((f) => f.replace(/\.ts$/, '')).join(', ')})`);
    process.exit(2);
  }
  const files = wanted.length ? all.filter((f) => wanted.includes(f) || wanted.includes(f.replace(/\.ts$/, ''))) : all;
  const when = new Date();
  const runs: Run[] = [];
  for (const f of files) {
    console.error(`\n=== bench/${f} ===`);
    runs.push(await runOne(path.join(BENCH, f)));
  }
  writeFileSync(OUT, markdown(runs, when));
  console.error(`\nwrote ${path.relative(process.cwd(), OUT)} (${runs.filter((r) => r.code === 0).length}/${runs.length} ok)`);
  process.exitCode = runs.every((r) => r.code === 0) ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
