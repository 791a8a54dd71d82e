/**
 * writeScap against sysdig: load a capture filtered, write it, and `sysdig -r out.scap` must print
 * for every kept event the line `sysdig -r in.scap FILTER` printed (sysdig renumbers the output,
 * so evt.num is compared only with numbering: 'original'); the output loads back to the same rows;
 * the CLI path; gzip, stdout, empty selections, several sources.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScap } from '../../../src/sources/scap/load.js';
import { writeScap } from '../../../src/sources/scap/write-table.js';
import { needSharedData, needTool, repoRoot, sharedData, skip } from '../../helpers.js';
import { sysdig } from './oracle.js';

const dir = mkdtempSync(path.join(tmpdir(), 'write-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const tmp = (ext = '.scap') => path.join(dir, `out${n++}${ext}`);

const FIXTURE = path.join(repoRoot, 'fixtures/scap/incident.scap');
const CAPTURES = [
  'cat_write.scap', 'connect_localhost.scap', 'curl_google.scap', 'psp_run_as_user_0_container.scap',
  'single_ipv6_conn.scap', 'test_ipv6_client.scap', 'sample.scap',
];
const FILTERS = [
  'evt.type=read and proc.name=dockerd',
  'fd.type=ipv4',
  'proc.name=curl',
  'evt.type in (open, openat)',
  'evt.dir=< and fd.num>=0',
  'evt.num>0', // everything: a full rewrite
];
/** everything the default line shows and the state behind it */
const FORMAT = '*%evt.num %evt.rawtime %evt.cpu %proc.name %thread.tid %proc.pid %proc.ppid %proc.pname %proc.cmdline ' +
  '%proc.exepath %proc.cwd %user.name %group.name %container.id %container.name %fd.num %fd.name %fd.type %fd.sip %fd.cip ' +
  '%evt.dir %evt.type %evt.info';

const lines = (s: string) => s.split('\n').filter(Boolean);
/** sysdig renumbers a written capture: compare lines without their first column */
const unnumbered = (s: string) => lines(s).map((l) => l.slice(l.indexOf(' ') + 1));

async function writeFiltered(file: string, filter: string, opts = {}) {
  const { table } = await loadScap([file], { filter });
  const out = tmp();
  const res = await writeScap(table, out, opts);
  return { table, out, res };
}

describe.skipIf(skip(needSharedData('scap'), needTool('sysdig')))('writeScap: sysdig prints the kept events as in the source', () => {
  for (const name of [...CAPTURES, 'incident.scap']) {
    const file = name === 'incident.scap' ? FIXTURE : sharedData(`scap/${name}`);
    for (const filter of FILTERS) {
      it(`${name} [${filter}]`, async () => {
        const { table, out, res } = await writeFiltered(file, filter);
        expect(res.events).toBe(table.numRows());
        const expected = sysdig(file, filter);
        expect(lines(expected)).toHaveLength(table.numRows());
        expect(unnumbered(sysdig(out))).toEqual(unnumbered(expected));
        expect(unnumbered(sysdig(out, '-p', FORMAT))).toEqual(unnumbered(sysdig(file, '-p', FORMAT, filter)));
      });
    }
  }

  it("numbering: 'original' keeps the source evt.num", async () => {
    for (const [file, filter] of [[FIXTURE, 'proc.name=curl'], [sharedData('scap/curl_google.scap'), 'evt.type in (open, openat)']] as const) {
      const { out, res } = await writeFiltered(file, filter, { numbering: 'original' });
      expect(res.events).toBeGreaterThan(0);
      expect(sysdig(out, '-p', FORMAT)).toBe(sysdig(file, '-p', FORMAT, filter));
      expect(sysdig(out)).toBe(sysdig(file, filter));
    }
  });

  it('a concatenated capture (two sections) keeps its sections', async () => {
    const cat = tmp();
    execFileSync('sh', ['-c', 'cat "$1" "$2" > "$3"', 'sh', sharedData('scap/test_ipv6_client.scap'), sharedData('scap/cat_write.scap'), cat]);
    for (const filter of ['evt.type in (open, openat)', 'evt.dir=< and fd.num>=0', 'evt.num>0']) {
      const { out } = await writeFiltered(cat, filter);
      expect(unnumbered(sysdig(out, '-p', FORMAT)), filter).toEqual(unnumbered(sysdig(cat, '-p', FORMAT, filter)));
    }
  });

  it('a selected container event stays visible when it would start the stream', async () => {
    // psp_privileged shows one line, a container event after 1404 procinfo events: written alone
    // it would be consumed as initial state, so a state-only event goes before it
    const file = sharedData('scap/psp_privileged.scap');
    const { table, out } = await writeFiltered(file, 'evt.type=container');
    expect(table.numRows()).toBe(1);
    expect(unnumbered(sysdig(out))).toEqual(unnumbered(sysdig(file, 'evt.type=container')));
    expect((await loadScap([out])).table.array('evt.type')).toEqual(['container']);
  });

  it('internal events selected with showInternal: sysdig -D shows exactly them', async () => {
    // (sysdig -D ignores a filter argument: compare with the -D lines of the selected numbers)
    const file = sharedData('scap/cat_write.scap');
    const { table } = await loadScap([file], { filter: 'evt.type=procinfo and proc.pid<1000 or proc.name=cat', showInternal: true });
    const out = tmp();
    await writeScap(table, out);
    const numbered = (s: string) => lines(s).filter((l) => /^\d+ \d\d:/.test(l));
    const keep = new Set((table.array('evt.num') as number[]).map(String));
    const expected = numbered(sysdig(file, '-D')).filter((l) => keep.has(l.slice(0, l.indexOf(' '))));
    expect(expected.length).toBe(table.numRows());
    expect(unnumbered(numbered(sysdig(out, '-D')).join('\n'))).toEqual(unnumbered(expected.join('\n')));
  });

  it('writes only the state the selection observes, never shown even with -D', async () => {
    // curl's lines need its process tree (sh <- gunicorn worker), not the worker's 200 requests
    const { out, res, table } = await writeFiltered(FIXTURE, 'proc.name=curl');
    expect(res.stateOnly).toBeGreaterThan(0);
    expect(res.stateOnly).toBeLessThan(30);
    expect(lines(sysdig(out, '-D'))).toHaveLength(table.numRows());
    const execs = await writeFiltered(FIXTURE, 'evt.type=execve');
    expect(execs.res.stateOnly).toBeLessThan(100);
  });

  it('the output loads back with our loader to the same rows (evt.num as sysdig numbers the output)', async () => {
    const { table, out } = await writeFiltered(FIXTURE, 'fd.type=ipv4 or proc.name=curl');
    const back = (await loadScap([out])).table;
    expect(back.numRows()).toBe(table.numRows());
    for (const col of ['evt.rawtime', 'evt.type', 'evt.dir', 'thread.tid', 'proc.name', 'proc.cmdline', 'user.name', 'container.id', 'fd.name', 'evt.res']) {
      expect(back.array(col), col).toEqual(table.array(col));
    }
    const nums = lines(sysdig(out, '-p', '%evt.num')).map(Number);
    expect(back.array('evt.num')).toEqual(nums);
  });

  it('writes gzip for .scap.gz (or opts.gzip) and plain otherwise', async () => {
    const { table } = await loadScap([FIXTURE], { filter: 'proc.name=cat' });
    const gz = tmp('.scap.gz');
    const plain = tmp();
    const forced = tmp();
    await writeScap(table, gz);
    await writeScap(table, plain);
    const r = await writeScap(table, forced, { gzip: true });
    expect([...readFileSync(gz).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect([...readFileSync(forced).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(readFileSync(plain).readUInt32LE(0)).toBe(0x0a0d0d0a);
    expect(r.bytes).toBe(readFileSync(forced).length);
    expect(sysdig(gz)).toBe(sysdig(plain));
    expect(unnumbered(sysdig(gz))).toEqual(unnumbered(sysdig(FIXTURE, 'proc.name=cat')));
  });

  it("'-' writes to stdout", () => {
    const script = `import { loadScap, writeScap } from './src/sources/scap/index.ts';
      const { table } = await loadScap([${JSON.stringify(FIXTURE)}], { filter: 'proc.name=curl' });
      await writeScap(table, '-');`;
    const bytes = execFileSync('node', ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, maxBuffer: 1 << 28 });
    const out = tmp();
    execFileSync('sh', ['-c', 'cat > "$1"', 'sh', out], { input: bytes });
    expect(unnumbered(sysdig(out))).toEqual(unnumbered(sysdig(FIXTURE, 'proc.name=curl')));
  });

  it('an empty selection is a valid capture with no events', async () => {
    for (const { table } of [await loadScap([FIXTURE], { filter: 'proc.name=no-such-process' }), await loadScap([FIXTURE], { limit: 0 })]) {
      const out = tmp();
      const res = await writeScap(table, out);
      expect(res.events).toBe(0);
      const err = execFileSync('sh', ['-c', 'sysdig -r "$1" 2>&1; echo "rc=$?"', 'sh', out]).toString();
      expect(err).toBe('rc=0\n');
      expect(sysdig(out, '-D')).toBe('');
      expect((await loadScap([out])).table.numRows()).toBe(0);
    }
  });

  it('several captures: one section each, in the order of their first row', async () => {
    const a = sharedData('scap/cat_write.scap');
    const b = sharedData('scap/curl_google.scap');
    const ta = (await loadScap([a], { filter: 'evt.type in (open, openat)' })).table;
    const tb = (await loadScap([b], { filter: 'evt.type=connect' })).table;
    const out = tmp();
    const res = await writeScap(tb.concat(ta), out);
    expect(res.sources).toEqual([b, a]);
    const expected = [...unnumbered(sysdig(b, 'evt.type=connect')), ...unnumbered(sysdig(a, 'evt.type in (open, openat)'))];
    expect(unnumbered(sysdig(out))).toEqual(expected);
    const [both] = [(await loadScap([a, b], { filter: 'evt.type in (open, openat) or evt.type=connect' })).table];
    const res2 = await writeScap(both, tmp());
    expect(res2.sources).toEqual([a, b]);
    expect(res2.events).toBe(both.numRows());
  });

  it('stratolab read IN -Y FILTER -w OUT, end to end', () => {
    for (const [file, filter] of [[FIXTURE, 'proc.name=curl or proc.name=cat'], [sharedData('scap/curl_google.scap'), 'fd.type=ipv6']] as const) {
      const out = tmp('.scap.gz');
      execFileSync('node', ['bin/stratolab.js', 'read', file, '-Y', filter, '-w', out], { cwd: repoRoot });
      const expected = sysdig(file, filter);
      expect(lines(expected).length).toBeGreaterThan(0);
      expect(unnumbered(sysdig(out))).toEqual(unnumbered(expected));
      expect(unnumbered(sysdig(out, '-p', FORMAT))).toEqual(unnumbered(sysdig(file, '-p', FORMAT, filter)));
    }
  });
});

describe('writeScap: what it refuses', () => {
  it('a table that is not a loaded capture, naming the output', async () => {
    const aq = await import('arquero');
    await expect(writeScap(aq.table({ x: [1] }), '/tmp/never.scap')).rejects.toThrow(/never\.scap.*raw/);
    await expect(writeScap(aq.table({ raw: [{ eventName: 'x' }] }), '/tmp/never.scap')).rejects.toThrow(/not a syscall event/);
  });

  it.skipIf(skip(needSharedData('scap')))('overwriting its own source', async () => {
    const { table } = await loadScap([FIXTURE], { filter: 'proc.name=curl' });
    await expect(writeScap(table, FIXTURE)).rejects.toThrow(/one of the captures/);
  });
});
