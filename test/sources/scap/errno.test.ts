/**
 * Errno names against sysdig: a capture of close exits with res = -1 .. -139 and -510 .. -534,
 * printed with %evt.arg.res (the name, or the number when sysdig has none).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEvent } from '../../../src/sources/scap/encode.js';
import { errnoName, linuxErrnoName } from '../../../src/sources/scap/errno.js';
import type { ScapBlock } from '../../../src/sources/scap/types.js';
import { encodeScap } from '../../../src/sources/scap/writer.js';
import { needTool, skip } from '../../helpers.js';
import { sysdig } from './oracle.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'scap-errno-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(skip(needTool('sysdig')))('errno names', () => {
  it('errnoName gives exactly the names sysdig 0.29.3 prints', () => {
    const codes = [...Array(139).keys()].map((i) => i + 1).concat([...Array(25).keys()].map((i) => 510 + i));
    const blocks: ScapBlock[] = [{ kind: 'section', offset: 0, major: 1, minor: 2 }];
    codes.forEach((c, i) => {
      const head = (k: number) => ({ ts: BigInt(1000 + 2 * i + k), tid: 5n });
      blocks.push({ kind: 'event', event: { offset: 0, blockType: 0, ...buildEvent(4, { fd: 3 }, head(0)) } });
      blocks.push({ kind: 'event', event: { offset: 0, blockType: 0, ...buildEvent(5, { res: BigInt(-c) }, head(1)) } });
    });
    const file = path.join(tmp, 'errno.scap');
    writeFileSync(file, encodeScap(blocks));
    const printed = sysdig(file, '-p', '%evt.arg.res', 'evt.dir=<').trim().split('\n');
    expect(codes.map((c) => errnoName(c) ?? String(-c))).toEqual(printed);
  });
});

describe('linux errno names', () => {
  it('include the ones newer than sysdig 0.29.3', () => {
    expect([linuxErrnoName(130), errnoName(130), linuxErrnoName(2)]).toEqual(['EOWNERDEAD', undefined, 'ENOENT']);
  });
});
