/**
 * Filter benchmark: a 1,000,000-row syscall-like table (dictionary columns
 * for evt.type, proc.name, fd.name as a scap loader builds them; numbers for
 * fd.sport, thread.tid), one 3-clause filter of about 1% selectivity:
 *   ours (compiled column program)  vs  arquero's table.filter  vs  DuckDB.
 * Run: node --import tsx bench/filter.ts [rows]
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as aq from 'arquero';
import { DuckDBInstance } from '@duckdb/node-api';
import { registerFields, getField } from '../src/fields/registry.js';
import type { FieldDef } from '../src/fields/types.js';
import { DictBuilder } from '../src/frames/columns.js';
import { compile } from '../src/filter/index.js';

const N = Number(process.argv[2] ?? 1_000_000);
const EXPR = 'evt.type == "read" && proc.name == "nginx" && fd.sport > 1024';
const FALCO = 'evt.type = read and proc.name = nginx and fd.sport > 1024';
const SQL = `SELECT count(*) AS n FROM t WHERE "evt.type" = 'read' AND "proc.name" = 'nginx' AND "fd.sport" > 1024`;

const fields: FieldDef[] = [
  ['evt.type', 'string'], ['proc.name', 'string'], ['fd.name', 'string'], ['fd.sport', 'number'], ['thread.tid', 'number'],
].map(([name, type]) => ({ name: name!, type: type as FieldDef['type'], display: name!, description: 'bench', source: 'syscall' }));
registerFields(fields.filter((f) => !getField(f.name)));

/* ---------- data (deterministic) ---------- */

let seed = 42;
const rand = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const TYPES = ['read', 'read', 'write', 'openat', 'close', 'mmap', 'fstat', 'futex', 'epoll_wait', 'recvfrom', 'sendto'];
const PROCS = ['nginx', 'bash', 'sshd', 'curl', 'python3', 'node', 'java', 'postgres', 'redis-server', 'systemd'];

const evtType = new DictBuilder<string>();
const procName = new DictBuilder<string>();
const fdName = new DictBuilder<string>();
const sport = new Float64Array(N);
const tid = new Float64Array(N);
const rows: [string, string, string, number, number][] = new Array(N);
for (let i = 0; i < N; i++) {
  const ty = TYPES[Math.floor(rand() * TYPES.length)]!; // read ≈ 18%
  const pn = PROCS[Math.floor(rand() * PROCS.length)]!; // nginx ≈ 10%
  const fn = `/var/lib/app/file${Math.floor(rand() * 2000)}`;
  const sp = Math.floor(rand() * 2048); // > 1024 ≈ 50%
  const td = 1000 + Math.floor(rand() * 500);
  evtType.push(ty); procName.push(pn); fdName.push(fn);
  sport[i] = sp; tid[i] = td;
  rows[i] = [ty, pn, fn, sp, td];
}
const table = aq.table({
  'evt.type': evtType.finish(), 'proc.name': procName.finish(), 'fd.name': fdName.finish(),
  'fd.sport': sport, 'thread.tid': tid,
} as unknown as Record<string, unknown[]>);

/* ---------- timing ---------- */

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function time(fn: () => unknown, runs = 15): { ms: number; result: unknown } {
  let result: unknown;
  for (let i = 0; i < 3; i++) result = fn(); // warm-up
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    ts.push(performance.now() - t0);
  }
  return { ms: median(ts), result };
}
async function timeAsync(fn: () => Promise<unknown>, runs = 15): Promise<{ ms: number; result: unknown }> {
  let result: unknown;
  for (let i = 0; i < 3; i++) result = await fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await fn();
    ts.push(performance.now() - t0);
  }
  return { ms: median(ts), result };
}

// compile time: first compile of a new string (parse + check), then a cached parse
let k = 0;
const compileFresh = time(() => compile(`${EXPR} && thread.tid != ${k++ + 100000}`), 50);
const compileCached = time(() => compile(EXPR), 50);
// a long rule condition (30 clauses, ~3,000 characters), as Falco rule sets write them
const LONG = Array.from({ length: 30 }, (_, i) => `(evt.type in (open, openat, read) and fd.name startswith /etc/x${i} and not proc.name in (a${i}, b, c))`).join(' or ');
const compileLong = time(() => compile(`${LONG} and thread.tid != ${k++ + 100000}`), 21);

const f = compile(EXPR);
const ours = time(() => f.filter(table).numRows());
const oursFalco = time(() => compile(FALCO).filter(table).numRows());
const arq = time(() => table.filter((d: Record<string, any>) => d['evt.type'] === 'read' && d['proc.name'] === 'nginx' && d['fd.sport'] > 1024).numRows(), 7);

const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
await conn.run('CREATE TABLE t ("evt.type" VARCHAR, "proc.name" VARCHAR, "fd.name" VARCHAR, "fd.sport" INTEGER, "thread.tid" INTEGER)');
const app = await conn.createAppender('t');
for (const [a, b, c, d, e] of rows) {
  app.appendVarchar(a); app.appendVarchar(b); app.appendVarchar(c); app.appendInteger(d); app.appendInteger(e); app.endRow();
}
app.closeSync();
const duck = await timeAsync(async () => Number((await conn.runAndReadAll(SQL)).getRows()[0]![0]));

const matched = ours.result as number;
if (arq.result !== matched || duck.result !== matched || oursFalco.result !== matched) {
  throw new Error(`results differ: ours ${matched}, falco ${oursFalco.result}, arquero ${arq.result}, duckdb ${duck.result}`);
}

const cpu = os.cpus()[0]?.model ?? 'unknown';
const lines = [
  `date: ${new Date().toISOString()}`,
  `cpu: ${cpu} x${os.cpus().length}, node ${process.version}`,
  `rows: ${N.toLocaleString('en-US')}, matched: ${matched.toLocaleString('en-US')} (${((100 * matched) / N).toFixed(2)}%)`,
  `filter: ${EXPR}`,
  `compile (new string):   ${(compileFresh.ms * 1000).toFixed(0)} µs`,
  `compile (cached parse): ${(compileCached.ms * 1000).toFixed(0)} µs`,
  `compile (${LONG.length}-char rule, new string): ${compileLong.ms.toFixed(2)} ms`,
  `stratolab filter:       ${ours.ms.toFixed(2)} ms`,
  `stratolab (Falco form): ${oursFalco.ms.toFixed(2)} ms (compile included)`,
  `arquero table.filter:   ${arq.ms.toFixed(2)} ms  (ours ${(arq.ms / ours.ms).toFixed(1)}x faster)`,
  `duckdb count(*):        ${duck.ms.toFixed(2)} ms  (ours / duckdb = ${(ours.ms / duck.ms).toFixed(2)})`,
];
console.log(lines.join('\n'));
conn.closeSync();
