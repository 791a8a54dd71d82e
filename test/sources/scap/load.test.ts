/**
 * The scap loader: table columns, lazy fields from `raw`, streaming =
 * loading, filter/limit/since/until, several files in one table, the
 * SourceLoader's sniffing, and files that fail.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadScap, scapLoader, streamScap } from '../../../src/sources/scap/load.js';
import { fieldAccessor } from '../../../src/frames/table.js';
import { fieldValue } from '../../../src/sources/scap/fields.js';
import { needSharedData, sharedData, skip } from '../../helpers.js';
import { asSysdigText, ourEvents, ourFields } from './state-oracle.js';

const F = (n: string) => sharedData(`scap/${n}.scap`);

describe.skipIf(skip(needSharedData('scap')))('loadScap / streamScap / scapLoader', () => {
  it('builds one row per shown event, fields as columns, the rest lazily from raw', async () => {
    const r = await loadScap([F('psp_run_as_user_0_container')]);
    const t = r.table;
    expect(t.numRows()).toBe(3796);
    expect(r.failed).toEqual([]);
    for (const c of ['time', 'source', 'evt.num', 'evt.rawtime', 'evt.type', 'proc.name', 'fd.name', 'container.id', 'raw']) expect(t.column(c)).toBeTruthy();
    expect(t.column('evt.rawtime')!.at(0)).toBe(1562711470509982263n); // sysdig: first shown event, evt.num 3
    expect(t.column('time')!.at(0)).toBeInstanceOf(Date);
    expect(t.column('source')!.at(0)).toBe('syscall');
    const hostname = fieldAccessor(t, 'evt.hostname')!;
    expect(hostname(0)).toBeTruthy();
    // lazy fields on a loaded table equal the values computed while streaming
    const fields = ['evt.args', 'proc.pname', 'fd.cip', 'fd.sport', 'evt.arg', 'proc.aname'];
    const streamed = ourEvents(F('psp_run_as_user_0_container'), (c) => ourFields(c, ['evt.args', 'proc.pname', 'fd.cip', 'fd.sport', 'evt.arg[0]']));
    const acc = fields.slice(0, 4).map((f) => fieldAccessor(t, f)!);
    const arg0 = fieldAccessor(t, 'evt.arg', '0')!;
    let diffs = 0;
    for (let i = 0; i < t.numRows(); i++) {
      const got = [...acc.map((a) => asSysdigText(a(i))), asSysdigText(arg0(i))];
      if (got.join('\u0001') !== streamed[i]!.join('\u0001')) diffs++;
    }
    expect(diffs).toBe(0);
  });

  it('streams the same rows it loads, filtered per event, with limit/since/until', async () => {
    const file = F('psp_run_as_user_0_container');
    const filter = 'evt.type=read and proc.name=dockerd';
    const seen: number[] = [];
    const { stats } = await streamScap(file, { filter, onRow: (row) => void seen.push(row.get('evt.num') as number) });
    const loaded = await loadScap([file], { filter });
    expect(seen).toEqual(loaded.table.array('evt.num'));
    expect(seen.length).toBe(16);
    expect(stats.eventsMatched).toBe(16);
    const limited: number[] = [];
    await streamScap(file, { filter, limit: 3, onRow: (row) => void limited.push(row.get('evt.num') as number) });
    expect(limited).toEqual(seen.slice(0, 3));
    const stop: number[] = [];
    await streamScap(file, { onRow: (row) => (stop.push(1), stop.length < 5) });
    expect(stop.length).toBe(5);
    const all = await loadScap([file]);
    const times = all.table.array('evt.rawtime') as bigint[];
    const mid = new Date(Number(times[2000]! / 1000000n));
    const after = await loadScap([file], { since: mid });
    expect(after.table.numRows()).toBe(times.filter((t) => t >= BigInt(mid.getTime()) * 1000000n).length);
    const before = await loadScap([file], { until: mid, limit: 10 });
    expect(before.table.numRows()).toBe(10);
  });

  it('loads several files into one table, each numbered and named by its own capture', async () => {
    const r = await loadScap([F('cat_write'), F('syscall')]);
    expect(r.table.numRows()).toBe(85 + 12);
    const nums = r.table.array('evt.num') as number[];
    expect(nums[0]).toBe(131);
    expect(nums[85]).toBe(179);
    const progress: number[] = [];
    await loadScap([F('cat_write')], { onProgress: (p) => progress.push(p.events) });
    expect(progress.at(-1)).toBe(85);
  });

  it('sniffs scap files (plain and gzip) and rejects others; reports unreadable files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scapload-'));
    const plain = path.join(dir, 'plain.bin');
    writeFileSync(plain, gunzipSync(readFileSync(F('cat_write'))));
    const other = path.join(dir, 'other.json');
    writeFileSync(other, '{"Records":[]}');
    expect(await scapLoader.matches(F('cat_write'))).toBe(true);
    expect(await scapLoader.matches(plain)).toBe(true);
    expect(await scapLoader.matches(other)).toBe(false);
    expect(await scapLoader.matches(path.join(dir, 'missing.scap'))).toBe(false);
    const r = await scapLoader.load([plain, other], {});
    expect(r.table.numRows()).toBe(85);
    expect(r.failed.map((f) => f.key)).toEqual([other]);
    // a truncated capture: the events before the cut, and a warning
    const cut = path.join(dir, 'cut.scap');
    const whole = gunzipSync(readFileSync(F('psp_run_as_user_0_container')));
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const t = await loadScap([cut]);
    expect(t.table.numRows()).toBeGreaterThan(100);
    expect(t.warnings.length).toBeGreaterThan(0);
    expect(fieldValue(t.table.column('raw')!.at(0) as any, 'evt.num')).toBe(3);
  });
});
