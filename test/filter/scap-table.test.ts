/**
 * The column program on tables from our scap loader (dictionary columns,
 * lazily extracted fields) against sysdig 0.29.3: each Falco filter selects
 * exactly the events `sysdig -r FILE -p '*%evt.num' FILTER` prints. (The scap
 * source's own differential test streams rows through `.test`; this one goes
 * through `.filter(table)`.)
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/filter/index.js';
import type { Table } from '../../src/frames/table.js';
import { loadScap } from '../../src/sources/scap/index.js';
import { needSharedData, needTool, sharedData, skip } from '../helpers.js';

const run = promisify(execFile);
const FILES = ['cat_write.scap', 'curl_google.scap', 'test_ipv6_client.scap'];
const FILTERS = [
  'evt.type = open and evt.dir = <',
  'proc.name = curl and not fd.name exists',
  'fd.name startswith /etc or fd.name pmatch (/lib)',
  'fd.typechar = f and fd.num > 2',
  'evt.failed = true',
  'evt.res != SUCCESS',
  'not evt.res = SUCCESS',
  'fd.sip = ::1 or fd.sip = 2001:4860:4860::8888',
  'fd.sport in (53, 80, 2345)',
  'evt.arg.fd = 3',
  'evt.type in (connect, sendto) and fd.l4proto = udp',
  'fd.name glob "*.so*" and evt.type != mmap',
  'proc.name icontains CAT or proc.name endswith _clien',
  'evt.num > 100 and evt.num <= 200 and evt.dir = >',
  'fd.cip exists and not fd.cip = ::1',
  'user.uid = 0 and fd.typechar != f',
];

async function sysdigNums(file: string, filter: string): Promise<number[]> {
  const { stdout } = await run('sysdig', ['-r', sharedData(`scap/${file}`), '-p', '*%evt.num', filter], { maxBuffer: 64 << 20 });
  return stdout.split('\n').filter(Boolean).map(Number);
}

describe.skipIf(skip(needSharedData('scap'), needTool('sysdig')))('Falco filters on loaded scap tables agree with sysdig', () => {
  const tables = new Map<string, Table>();
  const expected = new Map<string, number[]>();
  beforeAll(async () => {
    for (const f of FILES) tables.set(f, (await loadScap([sharedData(`scap/${f}`)])).table);
    const jobs = FILES.flatMap((f) => FILTERS.map((flt) => [f, flt] as const));
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const [f, flt] = jobs[next++]!;
        expected.set(`${f} ${flt}`, await sysdigNums(f, flt));
      }
    };
    await Promise.all([worker(), worker()]);
  }, 120_000);

  it.each(FILTERS)('%s', (flt) => {
    const f = compile(flt);
    for (const file of FILES) {
      const got = Array.from(f.filter(tables.get(file)!).array('evt.num') as ArrayLike<number>);
      expect({ file, got }).toEqual({ file, got: expected.get(`${file} ${flt}`) });
    }
  });

  it('is not vacuous', () => {
    const nonEmpty = FILTERS.filter((flt) => FILES.some((file) => expected.get(`${file} ${flt}`)!.length > 0));
    expect(nonEmpty.length).toBeGreaterThanOrEqual(14);
  });
});
