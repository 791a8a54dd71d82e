/**
 * Differential test of Falco semantics against sysdig 0.29.3, independent of
 * our scap reader: sysdig prints each event's field values (`-p '*%evt.num…'`,
 * `<NA>` = absent), we build a table from that text, and every Falco filter
 * must select exactly the events `sysdig -r FILE -p '*%evt.num' FILTER`
 * prints. Only operators sysdig 0.29.3 knows are used (no regex, bcontains,
 * CIDR on *.ip fields).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as aq from 'arquero';
import { beforeAll, describe, expect, it } from 'vitest';
import { getField } from '../../src/fields/registry.js';
import type { Value } from '../../src/fields/types.js';
import { DictBuilder } from '../../src/frames/columns.js';
import type { Table } from '../../src/frames/table.js';
import { compile } from '../../src/filter/index.js';
import { needSharedData, needTool, sharedData, skip } from '../helpers.js';
import './fixtures.js';

const run = promisify(execFile);
const FILES = ['cat_write.scap', 'curl_google.scap', 'test_ipv6_client.scap'];
const FIELDS = ['evt.num', 'evt.type', 'evt.dir', 'proc.name', 'proc.pid', 'thread.tid', 'fd.name', 'fd.num', 'fd.typechar',
  'fd.sport', 'fd.cport', 'fd.sip', 'fd.cip', 'fd.l4proto', 'evt.failed', 'evt.res', 'user.uid'];
const SEP = '\t';

const FILTERS = [
  'proc.name = curl',
  'proc.name != curl',
  'evt.type = open',
  'evt.type in (open, read, close)',
  'evt.dir = <',
  'evt.dir = >',
  'fd.typechar = f',
  'fd.typechar != f',
  'fd.name exists',
  'not fd.name exists',
  'fd.name contains etc',
  'fd.name startswith /etc',
  'fd.name endswith .so.6',
  'fd.name pmatch (/etc, /dev)',
  'fd.name glob "/lib/*"',
  'fd.name = /etc/ld.so.cache',
  'fd.name != /etc/ld.so.cache',
  'not fd.name = /etc/ld.so.cache',
  'fd.num > 2',
  'fd.num <= 2',
  'fd.num in (0, 1, 2)',
  'evt.failed = true',
  'evt.res = SUCCESS',
  'evt.res != SUCCESS',
  'evt.res exists and evt.res != SUCCESS',
  'proc.name icontains CURL',
  'proc.name glob "c*"',
  'proc.name startswith test_',
  'fd.sport = 2345',
  'fd.sip = ::1',
  'fd.sip = 2001:4860:4860::8888',
  'fd.cip exists',
  'evt.type = connect or evt.type = sendto',
  '(evt.type = open or evt.type = openat) and not fd.name startswith /lib',
  'proc.name = curl and fd.typechar = 6 and fd.sport = 80',
  'not (evt.dir = > or fd.name exists)',
  'evt.num > 1300 and evt.num < 1400',
  'user.uid = 0',
  'fd.l4proto = tcp',
  'fd.cport > 1024 or fd.sport < 100',
];

async function sysdig(file: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('sysdig', ['-r', sharedData(`scap/${file}`), ...args], { maxBuffer: 64 << 20 });
  return stdout;
}

/** A table of the values sysdig prints (strings as dictionary columns, like a scap loader). */
function tableOf(text: string): Table {
  const rows = text.split('\n').filter(Boolean).map((l) => l.split(SEP));
  const cols: Record<string, unknown> = {};
  FIELDS.forEach((f, j) => {
    const type = getField(f)?.type;
    const raw = rows.map((r) => (r[j] === '<NA>' ? null : r[j]!));
    if (type === 'number') cols[f] = raw.map((v) => (v === null ? null : Number(v)));
    else if (type === 'bool') cols[f] = raw.map((v) => (v === null ? null : v === 'true'));
    else {
      const b = new DictBuilder<string>();
      for (const v of raw) b.push(v);
      cols[f] = b.finish();
    }
  });
  return aq.table(cols as Record<string, Value[]>);
}

/** Runs `fn` over items, two at a time (the machine has two cores). */
async function pool<T, R>(items: T[], fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

describe.skipIf(skip(needSharedData('scap'), needTool('sysdig')))('Falco filters agree with sysdig 0.29.3', () => {
  const tables = new Map<string, Table>();
  const expected = new Map<string, number[]>();
  beforeAll(async () => {
    for (const f of FILES) tables.set(f, tableOf(await sysdig(f, '-p', '*' + FIELDS.map((x) => `%${x}`).join(SEP))));
    const jobs = FILES.flatMap((f) => FILTERS.map((flt) => [f, flt] as const));
    const outs = await pool(jobs, ([f, flt]) => sysdig(f, '-p', '*%evt.num', flt));
    jobs.forEach(([f, flt], i) => expected.set(`${f} ${flt}`, outs[i]!.split('\n').filter(Boolean).map(Number)));
  }, 120_000);

  it('builds the tables', () => {
    expect(tables.get('cat_write.scap')!.numRows()).toBe(85);
    expect(tables.get('curl_google.scap')!.numRows()).toBe(1221);
  });

  it.each(FILTERS)('%s', (flt) => {
    const f = compile(flt);
    for (const file of FILES) {
      const got = Array.from(f.filter(tables.get(file)!).array('evt.num') as ArrayLike<number>);
      expect({ file, got }).toEqual({ file, got: expected.get(`${file} ${flt}`) });
    }
  });

  it('selects something for most filters (the comparison is not vacuous)', () => {
    const nonEmpty = FILTERS.filter((flt) => FILES.some((file) => expected.get(`${file} ${flt}`)!.length > 0));
    expect(nonEmpty.length).toBeGreaterThanOrEqual(35);
  });
});
