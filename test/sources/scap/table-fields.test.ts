/**
 * A loaded table reads every field as streaming reads it at the event: rows
 * are packed (packed.ts) and the state they refer to is versioned (threads,
 * fd tables, thread counts, memory counters), so values that later events
 * change (proc.nthreads, proc.fdopencount, fd.types, proc.stdout.name,
 * proc.vmsize, poll's fd lists in evt.args, ...) are those of the event's
 * time, not of the end of the load. Every registered syscall field plus some
 * with arguments, on every capture in ../shared/data/scap and on a capture of
 * several sections. (Streaming itself is compared with sysdig elsewhere.)
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fieldAccessor } from '../../../src/frames/table.js';
import { fieldValue, scapFieldDefs } from '../../../src/sources/scap/fields.js';
import { loadScap } from '../../../src/sources/scap/load.js';
import { readScapFileSync } from '../../../src/sources/scap/reader.js';
import { ScapState } from '../../../src/sources/scap/state.js';
import { needSharedData, sharedData, skip } from '../../helpers.js';
import { scapCaptures } from './state-oracle.js';

const text = (v: unknown): string => (v === null || v === undefined ? '<NA>' : Array.isArray(v) ? v.join(',') : String(v));

const SPECS: [string, string | undefined][] = [
  ...scapFieldDefs()
    .map((d) => d.name)
    .filter((n) => n !== 'evt.arg' && n !== 'evt.rawarg')
    .map((n): [string, undefined] => [n, undefined]),
  ['evt.arg', '0'], ['evt.arg', '1'], ['evt.arg', 'fd'], ['evt.arg', 'name'], ['evt.rawarg', 'fd'], ['evt.rawarg', 'res'],
  ['proc.aname', '2'], ['proc.apid', '1'], ['fd.types', '1'], ['proc.env', 'PATH'],
];

/** Per field spec, how many rows of the loaded table differ from streaming (and one example). */
async function differences(file: string): Promise<{ rows: number; diffs: Record<string, string> }> {
  const st = new ScapState({});
  const streamed: string[][] = [];
  for (const b of readScapFileSync(file)) {
    const c = st.block(b);
    if (c && !c.hidden) streamed.push(SPECS.map(([n, a]) => text(fieldValue(c, n, a))));
  }
  const { table } = await loadScap([file]);
  expect(table.numRows()).toBe(streamed.length);
  const diffs: Record<string, string> = {};
  SPECS.forEach(([n, a], k) => {
    const get = fieldAccessor(table, n, a)!;
    for (let i = 0; i < table.numRows(); i++) {
      const got = text(get(i));
      if (got !== streamed[i]![k]) {
        diffs[a === undefined ? n : `${n}[${a}]`] = `row ${i}: table ${got} vs stream ${streamed[i]![k]}`;
        break;
      }
    }
  });
  return { rows: table.numRows(), diffs };
}

describe.skipIf(skip(needSharedData('scap')))('loaded tables read fields as they were at the event', () => {
  it('covers the fields that depend on state later events change', () => {
    const names = new Set(SPECS.map(([n]) => n));
    for (const f of ['proc.nthreads', 'proc.nchilds', 'proc.fdopencount', 'proc.fdusage', 'fd.types', 'proc.stdout.name', 'proc.vmsize', 'thread.vmrss', 'fdlist.names', 'evt.args', 'proc.pname', 'proc.aname']) {
      expect(names.has(f), f).toBe(true);
    }
    expect(SPECS.length).toBeGreaterThan(200);
  });

  it.each(scapCaptures())('%s: every field of every row equals streaming', async (f) => {
    // (falco_empty.scap has no events: its table is empty as its stream)
    const { diffs } = await differences(sharedData(`scap/${f}`));
    expect(diffs).toEqual({});
  });

  it('a capture of 3 sections (state restarts per section) too', async () => {
    const raw = readFileSync(sharedData('scap/psp_run_as_user_0_container.scap'));
    const plain = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sl-sections-')), 'x3.scap');
    writeFileSync(file, Buffer.concat([plain, plain, plain]));
    const { rows, diffs } = await differences(file);
    expect(rows).toBe(3 * 3796);
    expect(diffs).toEqual({});
  });
});
