/**
 * Exports read back: CSV (RFC 4180), JSON lines, Arrow IPC (apache-arrow)
 * and Parquet (parquet-wasm), with bigint, Date, list, raw-object and mixed
 * columns; withFields on filtered tables; toDanfo.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as aq from 'arquero';
import { tableFromIPC, type Table as ArrowTable } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { registerFields } from '../../src/fields/registry.js';
import { DictBuilder } from '../../src/frames/columns.js';
import { exportTable } from '../../src/frames/export.js';
import { withFields } from '../../src/frames/table.js';
import { toArrowIPC } from '../../src/frames/to-arrow.js';
import { toCSV } from '../../src/frames/to-csv.js';
import { toJSONLines } from '../../src/frames/to-jsonl.js';
import { toParquet } from '../../src/frames/to-parquet.js';
import { toDanfo } from '../../src/frames/danfo.js';
import { parseCSV } from '../cli/run-cli.js';

registerFields([
  {
    name: 'test.upper',
    type: 'string',
    display: 'Upper',
    description: 'raw.name upper-cased (test field)',
    source: 'common',
    extract: (raw: any) => (typeof raw?.name === 'string' ? raw.name.toUpperCase() : null),
  },
]);

function sample() {
  const dict = new DictBuilder<string>();
  for (const v of ['execve', null, 'open']) dict.push(v);
  return aq.table({
    time: [new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:01.5Z'), null],
    'evt.type': dict.finish(),
    'evt.rawtime': [1_704_067_200_000_000_123n, 2n ** 63n - 1n, null],
    'proc.pid': [1, 22, null],
    ratio: [0.5, null, 2],
    'ok': [true, false, null],
    'proc.aname': [['bash', 'sshd'], [], null],
    note: ['comma, "quote"', 'tab\there\nnewline', null],
    raw: [{ name: 'a', n: 1n }, { name: 'b' }, null],
  });
}

describe('CSV and JSON lines', () => {
  it('CSV: header, quoting, lists joined, times RFC 3339, raw dropped', () => {
    const rows = parseCSV(toCSV(sample()));
    expect(rows[0]).toEqual(['time', 'evt.type', 'evt.rawtime', 'proc.pid', 'ratio', 'ok', 'proc.aname', 'note']);
    expect(rows[1]).toEqual(['2024-01-01T00:00:00Z', 'execve', '1704067200000000123', '1', '0.5', 'true', 'bash,sshd', 'comma, "quote"']);
    expect(rows[2]).toEqual(['2024-01-01T00:00:01.500Z', '', '9223372036854775807', '22', '', 'false', '', 'tab\there\nnewline']);
    expect(rows[3]).toEqual(['', 'open', '', '', '2', '', '', '']);
  });

  it('CSV with fields: lazily extracted fields and unknown ones empty', () => {
    const rows = parseCSV(toCSV(sample(), { fields: ['test.upper', 'proc.pid'] }));
    expect(rows).toEqual([['test.upper', 'proc.pid'], ['A', '1'], ['B', '22'], ['', '']]);
  });

  it('JSON lines: bigint as decimal string, Date as RFC 3339, lists as arrays, raw as JSON on request', () => {
    const objs = toJSONLines(sample(), { raw: 'json' })
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objs).toHaveLength(3);
    expect(objs[0]).toMatchObject({ time: '2024-01-01T00:00:00Z', 'evt.rawtime': '1704067200000000123', 'proc.aname': ['bash', 'sshd'], raw: { name: 'a', n: '1' } });
    expect(objs[2]).toMatchObject({ time: null, 'evt.type': 'open', raw: null });
  });
});

describe('Arrow IPC and Parquet', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'stratolab-frames-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function checkTable(t: ArrowTable, withRaw: boolean) {
    const types = Object.fromEntries(t.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toMatchObject({
      time: expect.stringMatching(/^Timestamp<MILLISECOND/),
      'evt.type': 'Utf8',
      'evt.rawtime': 'Int64',
      'proc.pid': 'Int64',
      ratio: 'Float64',
      ok: 'Bool',
      'proc.aname': 'List<Utf8>',
      note: 'Utf8',
    });
    expect('raw' in types).toBe(withRaw);
    expect(t.numRows).toBe(3);
    expect(t.getChild('evt.rawtime')!.get(1)).toBe(2n ** 63n - 1n);
    expect(t.getChild('evt.rawtime')!.get(2)).toBeNull();
    expect(Number(t.getChild('time')!.get(1))).toBe(Date.parse('2024-01-01T00:00:01.5Z'));
    expect([...t.getChild('proc.aname')!.get(0)!]).toEqual(['bash', 'sshd']);
    expect(t.getChild('proc.aname')!.get(1)!.length).toBe(0);
    expect(t.getChild('evt.type')!.toArray()).toEqual(['execve', null, 'open']);
    expect(t.getChild('note')!.get(1)).toBe('tab\there\nnewline');
    if (withRaw) expect(JSON.parse(t.getChild('raw')!.get(0))).toEqual({ name: 'a', n: '1' });
  }

  it('Arrow IPC reads back with apache-arrow, typed per column', () => {
    checkTable(tableFromIPC(toArrowIPC(sample())), false);
    checkTable(tableFromIPC(toArrowIPC(sample(), { raw: 'json', format: 'file' })), true);
  });

  it('Parquet reads back with parquet-wasm', () => {
    const pq = createRequire(import.meta.url)('parquet-wasm');
    const back = tableFromIPC(pq.readParquet(toParquet(sample(), { raw: 'json' })).intoIPCStream());
    checkTable(back, true);
  });

  it('exportTable picks the format from the extension and writes files', () => {
    const t = sample();
    for (const ext of ['csv', 'jsonl', 'arrow', 'parquet']) {
      expect(exportTable(t, path.join(tmp, `t.${ext}`))).toBe(3);
    }
    expect(tableFromIPC(readFileSync(path.join(tmp, 't.arrow'))).numRows).toBe(3);
    expect(readFileSync(path.join(tmp, 't.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(3);
    expect(() => exportTable(t, path.join(tmp, 't.xlsx'))).toThrow(/format/);
  });

  it('a filtered, ordered view exports only its rows, in order', () => {
    const view = sample()
      .filter((d: any) => d['proc.pid'] !== null)
      .orderby(aq.desc('proc.pid'));
    const back = tableFromIPC(toArrowIPC(view));
    expect(back.getChild('proc.pid')!.toArray()).toEqual(new BigInt64Array([22n, 1n]));
    const pq = createRequire(import.meta.url)('parquet-wasm');
    expect(tableFromIPC(pq.readParquet(toParquet(view)).intoIPCStream()).numRows).toBe(2);
  });

  it('repeated strings are dictionary-encoded and read back as strings', () => {
    const names = ['open', 'read', null, 'read', 'open', 'read'];
    const t = aq.table({ 'evt.type': names });
    const back = tableFromIPC(toArrowIPC(t));
    expect(String(back.schema.fields[0]!.type)).toMatch(/^Dictionary/);
    expect(back.getChild('evt.type')!.toArray()).toEqual(names);
    const pq = createRequire(import.meta.url)('parquet-wasm');
    expect(tableFromIPC(pq.readParquet(toParquet(t)).intoIPCStream()).getChild('evt.type')!.toArray()).toEqual(names);
  });

  it('an empty table exports', () => {
    const empty = sample().filter(() => false);
    expect(tableFromIPC(toArrowIPC(empty)).numRows).toBe(0);
    expect(toCSV(empty).trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('withFields', () => {
  it('adds lazily extracted fields on filtered and ordered tables', () => {
    const view = sample()
      .filter((d: any) => d.raw !== null)
      .orderby(aq.desc('proc.pid'));
    const w = withFields(view, ['test.upper', 'unknown.field']);
    expect(w.numRows()).toBe(2);
    expect(w.array('test.upper')).toEqual(['B', 'A']);
    expect(w.columnNames()).not.toContain('unknown.field');
    expect(w.groupby('test.upper').count().numRows()).toBe(2);
  });
});

describe('toDanfo', () => {
  it('builds a danfo DataFrame (lists joined, bigints as numbers or text)', () => {
    const df = toDanfo(sample(), ['evt.type', 'proc.pid', 'proc.aname', 'evt.rawtime']);
    expect(df.shape).toEqual([3, 4]);
    expect(df.columns).toEqual(['evt.type', 'proc.pid', 'proc.aname', 'evt.rawtime']);
    expect(df['proc.aname'].values[0]).toBe('bash,sshd');
    expect(df['evt.rawtime'].values[0]).toBe('1704067200000000123');
  }, 60_000);
});

describe('raw records', () => {
  it('cycles become "[circular]"; shared objects are written twice', async () => {
    const { jsonValue } = await import('../../src/frames/format-value.js');
    const a: any = { x: 1n };
    a.self = a;
    const shared = { z: 1 };
    expect(jsonValue(a)).toEqual({ x: '1', self: '[circular]' });
    expect(jsonValue({ p: shared, q: shared })).toEqual({ p: { z: 1 }, q: { z: 1 } });
  });

  it('parser state (a capture event context) is never written as a record', () => {
    const host = { threads: new Map([[1, { comm: 'bash' }]]) };
    const t = aq.table({ 'evt.num': [1, 2], raw: [{ ev: { ts: 1n }, host, num: 1 }, { ev: { ts: 2n }, host, num: 2 }] });
    expect(toJSONLines(t, { raw: 'json' })).toBe('{"evt.num":1}\n{"evt.num":2}\n');
  });
});

describe('interoperability', () => {
  it('DuckDB reads the Parquet export: types and values', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const dir = mkdtempSync(path.join(tmpdir(), 'stratolab-duckdb-'));
    try {
      const file = path.join(dir, 't.parquet');
      exportTable(sample(), file);
      const db = await DuckDBInstance.create(':memory:');
      const c = await db.connect();
      const types = Object.fromEntries((await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRows().map((r) => [r[0], r[1]]));
      expect(types).toMatchObject({ time: 'TIMESTAMP WITH TIME ZONE', 'evt.type': 'VARCHAR', 'evt.rawtime': 'BIGINT', 'proc.aname': 'VARCHAR[]', ok: 'BOOLEAN' });
      const rows = (await c.runAndReadAll(`SELECT "evt.rawtime", "proc.pid" FROM read_parquet('${file}') WHERE "evt.type" = 'execve'`)).getRows();
      expect(rows).toEqual([[1_704_067_200_000_000_123n, 1n]]);
      c.closeSync?.();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
