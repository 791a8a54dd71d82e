/**
 * Ancestor fields of a LOADED table (lazy extraction from `raw`, after the
 * whole capture was read) must be sysdig's values at the event, not the
 * final thread table's: the table keeps versioned thread snapshots and each
 * row the epoch of its event.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScap } from '../../../src/sources/scap/load.js';
import { fieldAccessor } from '../../../src/frames/table.js';
import { needSharedData, needTool, sharedData, skip } from '../../helpers.js';
import { asSysdigText, sysdigFields } from './state-oracle.js';

const FIELDS: [string, string | undefined][] = [
  ['evt.num', undefined],
  ['proc.aname', '1'], ['proc.aname', '2'], ['proc.aname', '3'],
  ['proc.apid', '1'], ['proc.apid', '2'], ['proc.apid', '3'],
  ['proc.pname', undefined], ['proc.ppid', undefined], ['proc.sname', undefined],
];
const spec = (f: string, a: string | undefined) => (a === undefined ? f : `${f}[${a}]`);

const files = [
  sharedData('scap/curl_google.scap'),
  sharedData('scap/sample.scap'),
  path.resolve(__dirname, '../../../fixtures/scap/incident.scap'),
];

describe.skipIf(skip(needSharedData('scap'), needTool('sysdig')))('loaded table: ancestor fields at event time', () => {
  for (const file of files) {
    it(path.basename(file), async () => {
      const expected = sysdigFields(file, FIELDS.map(([f, a]) => spec(f, a)));
      const { table } = await loadScap([file]);
      expect(table.numRows()).toBe(expected.length);
      const acc = FIELDS.map(([f, a]) => fieldAccessor(table, f, a)!);
      const diffs: string[] = [];
      for (let i = 0; i < table.numRows(); i++) {
        const got = acc.map((g) => asSysdigText(g(i)));
        const want = expected[i]!;
        const gotT = got.join('\t');
        const wantT = want.join('\t');
        if (gotT !== wantT && diffs.length < 5) diffs.push(`got  ${gotT}\nwant ${wantT}`);
      }
      expect(diffs).toEqual([]);
    }, 120_000);
  }
});
