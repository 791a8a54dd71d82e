/**
 * Bad input never crashes a load: a malformed file among good ones, an empty
 * file, a truncated .json.gz, a non-JSON file, a missing path. Good files load,
 * bad ones are named in `failed` / warnings with the reason, and every record
 * read before a fault is kept.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldAccessor } from '../../../src/frames/table.js';
import { loadCloudTrail } from '../../../src/sources/cloudtrail/index.js';
import { needSharedData, sharedData, skip } from '../../helpers.js';

const INV = sharedData('cloudtrail/invictus-ir_aws_dataset');
const GOOD1 = '218007301253_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json'; // 29 records
const GOOD2 = '218007301253_CloudTrail_us-east-1_20230710T1200Z_iLj9fb7yyUG9X4Bf.json'; // 394 records

describe.skipIf(skip(needSharedData('cloudtrail')))('bad CloudTrail input', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ct-bad-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a directory with one malformed file among good ones: good ones load, the bad one is in `failed`', async () => {
    const d = path.join(dir, 'mixed', 'AWSLogs', '123837392027', 'CloudTrail', 'us-east-1', '2023', '07', '10');
    mkdirSync(d, { recursive: true });
    copyFileSync(path.join(INV, GOOD1), path.join(d, GOOD1));
    writeFileSync(path.join(d, 'good2.json.gz'), gzipSync(readFileSync(path.join(INV, GOOD2))));
    writeFileSync(path.join(d, 'broken.json'), 'this is not json at all\n');
    const root = path.join(dir, 'mixed');
    const r = await loadCloudTrail(root);
    expect(r.table.numRows()).toBe(29 + 394);
    expect(r.failed.length).toBe(1);
    expect(r.failed[0]!.key).toBe(path.join(d, 'broken.json'));
    expect(r.failed[0]!.reason).toMatch(/not JSON/);
    expect(r.warnings.some((w) => w.where === path.join(d, 'broken.json'))).toBe(true);
  });

  it('an empty file: a warning, no rows, no crash', async () => {
    const p = path.join(dir, 'empty.json');
    writeFileSync(p, '');
    const r = await loadCloudTrail(p);
    expect(r.table.numRows()).toBe(0);
    expect(r.failed).toEqual([]);
    expect(r.warnings).toEqual([{ where: p, message: 'empty file: no records' }]);
    // the empty table still has the standard columns
    expect(r.table.columnNames()).toEqual(expect.arrayContaining(['time', 'source', 'raw', 'ct.name', 'ct.user']));
  });

  it('a truncated .json.gz keeps the records before the cut and reports the file', async () => {
    const full = gzipSync(readFileSync(path.join(INV, GOOD2)));
    const p = path.join(dir, 'truncated.json.gz');
    writeFileSync(p, full.subarray(0, Math.floor(full.length * 0.6)));
    const r = await loadCloudTrail(p);
    expect(r.table.numRows()).toBeGreaterThan(100);
    expect(r.table.numRows()).toBeLessThan(394);
    expect(r.failed.length).toBe(1);
    expect(r.failed[0]!.key).toBe(p);
    expect(r.failed[0]!.reason).toMatch(/truncated/);
    // the kept records are intact records of the file, in time order
    const ids = new Set((JSON.parse(readFileSync(path.join(INV, GOOD2), 'utf8')).Records as { eventID: string }[]).map((x) => x.eventID));
    const get = fieldAccessor(r.table, 'ct.id')!;
    for (let i = 0; i < r.table.numRows(); i++) expect(ids.has(get(i) as string)).toBe(true);
  });

  it('plain JSON cut in the middle of a record keeps the complete ones', async () => {
    const text = readFileSync(path.join(INV, GOOD1), 'utf8');
    const p = path.join(dir, 'cut.json');
    writeFileSync(p, text.slice(0, Math.floor(text.length / 2)));
    const r = await loadCloudTrail(p);
    expect(r.table.numRows()).toBeGreaterThan(0);
    expect(r.table.numRows()).toBeLessThan(29);
    expect(r.failed[0]!.reason).toMatch(/ends inside a JSON value .* offset \d+/);
    expect(r.warnings[0]!.offset).toBeGreaterThan(0);
  });

  it('a corrupt gzip body is reported, not thrown', async () => {
    const full = gzipSync(readFileSync(path.join(INV, GOOD1)));
    const bad = Buffer.from(full);
    for (let i = 20; i < 60; i++) bad[i] = 0xff;
    const p = path.join(dir, 'corrupt.json.gz');
    writeFileSync(p, bad);
    const r = await loadCloudTrail(p);
    expect(r.failed.length).toBe(1);
    expect(r.failed[0]!.reason).toMatch(/gzip|invalid|corrupt/i);
  });

  it('a non-JSON file given explicitly (the honey-bucket CSV)', async () => {
    const p = sharedData('cloudtrail/otrf_security-datasets/AWS_S3_HoneyBucketLogs.csv');
    const r = await loadCloudTrail(p);
    expect(r.table.numRows()).toBe(0);
    expect(r.failed).toEqual([{ key: p, reason: expect.stringMatching(/^not JSON: starts with/) }]);
  });

  it('malformed records inside a good file are skipped with their offset, the rest kept', async () => {
    const p = path.join(dir, 'records-with-junk.jsonl');
    const lines = (JSON.parse(readFileSync(path.join(INV, GOOD1), 'utf8')).Records as unknown[]).map((x) => JSON.stringify(x));
    lines.splice(3, 0, '{"eventName": "Bad", oops}');
    lines.splice(7, 0, 'garbage line');
    writeFileSync(p, lines.join('\n'));
    const r = await loadCloudTrail(p);
    expect(r.table.numRows()).toBe(29);
    expect(r.failed).toEqual([]);
    expect(r.warnings.length).toBe(2);
    expect(r.warnings[0]!.message).toMatch(/malformed JSON record at offset \d+/);
    expect(r.warnings[1]!.message).toMatch(/unexpected text/);
  });

  it('JSON that is not CloudTrail: a warning, no rows', async () => {
    const p = path.join(dir, 'package.json');
    writeFileSync(p, JSON.stringify({ name: 'x', version: '1.0.0' }));
    const r = await loadCloudTrail(p);
    expect(r.table.numRows()).toBe(0);
    expect(r.warnings[0]!.message).toMatch(/no CloudTrail records/);
  });

  it('a missing path is reported; other paths still load', async () => {
    const missing = path.join(dir, 'nope');
    const r = await loadCloudTrail([missing, path.join(INV, GOOD1)]);
    expect(r.table.numRows()).toBe(29);
    expect(r.failed).toEqual([{ key: missing, reason: 'not found: ENOENT' }]);
  });

  it('attacker-controlled strings stay data', async () => {
    const p = path.join(dir, 'hostile.json');
    const rec = {
      eventTime: '2023-07-10T11:00:00Z',
      eventName: '__proto__',
      userIdentity: { type: 'IAMUser', userName: '<img src=x onerror=alert(1)>' },
      sourceIPAddress: '"; DROP TABLE',
      requestParameters: { constructor: { prototype: { x: 1 } } },
    };
    const text = JSON.stringify(rec).replace('"userIdentity":{', '"userIdentity":{"__proto__":{"polluted":true},');
    expect(text).toContain('"__proto__":{"polluted"');
    writeFileSync(p, `{"Records":[${text},{"eventTime":"2023-07-10T11:00:01Z","eventName":"\\u0000\\ud800"}]}`);
    const r = await loadCloudTrail(p);
    expect(r.table.numRows()).toBe(2);
    expect(fieldAccessor(r.table, 'ct.user')!(0)).toBe('<img src=x onerror=alert(1)>');
    expect(fieldAccessor(r.table, 'ct.name')!(0)).toBe('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('nesting too deep for JSON.stringify does not crash field extraction', async () => {
    const p = path.join(dir, 'deep.json');
    const d = 20000;
    writeFileSync(p, `{"Records":[{"eventTime":"2024-01-01T00:00:00Z","eventName":"X","requestParameters":${'['.repeat(d)}${']'.repeat(d)}}]}`);
    const r = await loadCloudTrail(p);
    expect(r.table.numRows()).toBe(1);
    expect(fieldAccessor(r.table, 'ct.request')!(0)).toBe('"<too deeply nested to serialize>"');
    expect(fieldAccessor(r.table, 'json.obj')!(0)).toBe('"<too deeply nested to serialize>"');
    expect(fieldAccessor(r.table, 'ct.name')!(0)).toBe('X');
  });

  it('symlinked directories are followed, a symlink loop is walked once', async () => {
    const d = path.join(dir, 'loop');
    const other = path.join(dir, 'elsewhere');
    mkdirSync(d, { recursive: true });
    mkdirSync(other, { recursive: true });
    copyFileSync(path.join(INV, GOOD1), path.join(d, GOOD1));
    copyFileSync(path.join(INV, GOOD2), path.join(other, GOOD2));
    symlinkSync(d, path.join(d, 'again'));
    symlinkSync(other, path.join(d, 'linked'));
    const r = await loadCloudTrail(d);
    expect(r.table.numRows()).toBe(29 + 394);
    expect(r.failed).toEqual([]);
  });

  it('a synced AWSLogs tree: digest files skipped, other JSON summarized in one warning', async () => {
    const root = path.join(dir, 'synced', 'AWSLogs', '123837392027');
    const ct = path.join(root, 'CloudTrail', 'us-east-1', '2023', '07', '10');
    const digest = path.join(root, 'CloudTrail-Digest', 'us-east-1', '2023', '07', '10');
    const config = path.join(root, 'Config', 'us-east-1', '2023', '7', '10', 'ConfigHistory');
    for (const d of [ct, digest, config]) mkdirSync(d, { recursive: true });
    copyFileSync(path.join(INV, GOOD1), path.join(ct, GOOD1));
    writeFileSync(path.join(digest, '123837392027_CloudTrail-Digest_us-east-1_trail_us-east-1_20230710T120000Z.json.gz'), gzipSync('{"awsAccountId":"123837392027","digestStartTime":"2023-07-10T11:00:00Z","logFiles":[]}'));
    for (const n of ['a', 'b']) writeFileSync(path.join(config, `123837392027_Config_us-east-1_ConfigHistory_${n}.json.gz`), gzipSync('{"fileVersion":"1.0","configurationItems":[]}'));
    const r = await loadCloudTrail(path.join(dir, 'synced'));
    expect(r.table.numRows()).toBe(29);
    expect(r.failed).toEqual([]);
    expect(r.stats.filesSkipped).toBe(1);
    expect(r.stats.filesNotCloudTrail).toBe(2);
    expect(r.warnings.length).toBe(1);
    expect(r.warnings[0]!.message).toMatch(/^2 JSON file\(s\) hold no CloudTrail records, skipped: /);
  });
});
