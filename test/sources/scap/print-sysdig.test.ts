/**
 * formatEventLine against `sysdig -r F` (and `-D`): the default text output,
 * line for line, for every capture.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatEventLine } from '../../../src/sources/scap/print.js';
import { loadScap } from '../../../src/sources/scap/load.js';
import { needSharedData, needTool, sharedData, skip } from '../../helpers.js';
import { ourEvents, scapCaptures } from './state-oracle.js';

function sysdigLines(file: string, debug: boolean): string[] {
  const out = execFileSync('sysdig', [...(debug ? ['-D'] : []), '-r', file], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
  // -D also logs diagnostics ("MM-DD hh:mm:ss.uuuuuu ...") on stdout; events start with their number
  const lines = out.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return debug ? lines.filter((l) => !/^\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} /.test(l) && l !== '') : lines;
}

function diff(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < 5; i++) if (a[i] !== b[i]) out.push(`line ${i}\n  sysdig: ${a[i]}\n  ours:   ${b[i]}`);
  return out;
}

describe.skipIf(skip(needSharedData('scap'), needTool('sysdig')))('default text line vs sysdig 0.29.3', () => {
  // the container event of psp_privileged prints a JSON payload that ends with a newline
  const join = (lines: string[]) => (lines.length ? lines.join('\n').split('\n') : []);
  let total = 0;
  for (const name of scapCaptures()) {
    const file = sharedData(`scap/${name}`);
    it(`${name}: every line of \`sysdig -r\``, () => {
      const sys = sysdigLines(file, false);
      const ours = join(ourEvents(file, formatEventLine));
      expect(diff(sys, ours)).toEqual([]);
      expect(ours.length).toBe(sys.length);
      total += sys.length;
    });
    it(`${name}: every line of \`sysdig -D -r\` (internal events shown)`, () => {
      const sys = sysdigLines(file, true);
      const ours = join(ourEvents(file, formatEventLine, { showInternal: true }));
      expect(diff(sys, ours)).toEqual([]);
    });
  }
  it('covers all 5,732 default lines of the corpus', () => expect(total).toBe(5732));

  it('concatenated captures (sections): numbering goes on, later initial container events get no number', () => {
    const plain = (n: string) => {
      const b = readFileSync(sharedData(`scap/${n}.scap`));
      return b[0] === 0x1f ? gunzipSync(b) : b;
    };
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'scapcat-')), 'cat.scap');
    const a = plain('psp_run_as_user_0_container');
    const b = plain('test_ipv6_client');
    writeFileSync(file, Buffer.concat([a, b, a, a, b]));
    for (const debug of [false, true]) {
      const sys = sysdigLines(file, debug);
      const ours = join(ourEvents(file, formatEventLine, { showInternal: debug }));
      expect(diff(sys, ours)).toEqual([]);
      expect(ours.length).toBe(sys.length);
    }
  });

  it('renders rows of a loaded table the same (arguments snapshotted at event time)', async () => {
    const file = sharedData('scap/test_ipv6_client.scap');
    const { table } = await loadScap([file]);
    const raw = table.column('raw')!;
    const lines: string[] = [];
    for (let i = 0; i < table.numRows(); i++) lines.push(formatEventLine(raw.at(i) as any));
    expect(diff(sysdigLines(file, false), lines)).toEqual([]);
  });
});
