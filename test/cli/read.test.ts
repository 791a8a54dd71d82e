/**
 * `stratolab read` end to end on the shared CloudTrail data: every -T
 * format, -e escaping, -c, --since/--until, --stats, exit statuses, and a
 * malformed file among good ones. Expected values come from parsing the
 * files by hand (run-cli.ts), never from stratolab code.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needSharedData, repoRoot, sharedData, skip } from '../helpers.js';
import { INVICTUS, invictusFiles, invictusRecords, handUser, lines, parseCSV, stratolab } from './run-cli.js';

const DIR = sharedData(INVICTUS);

/** A record whose strings need escaping: tab, newline, CR, backslash, comma, quote. */
const TRICKY = {
  eventVersion: '1.08',
  userIdentity: { type: 'IAMUser', userName: 'eve', arn: 'arn:aws:iam::111122223333:user/eve', accountId: '111122223333' },
  eventTime: '2024-05-01T10:00:00Z',
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateUser',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7',
  userAgent: 'a\tb\nc\\d\re, "quoted"',
  requestParameters: { userName: 'mallory' },
  readOnly: false,
  eventType: 'AwsApiCall',
  eventID: 'tricky-1',
};

describe.skipIf(skip(needSharedData(INVICTUS)))('stratolab read (CloudTrail)', () => {
  const records = invictusRecords();
  let tmp: string;

  beforeAll(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'stratolab-read-'));
    writeFileSync(path.join(tmp, 'tricky.json'), JSON.stringify({ Records: [TRICKY] }));
    // two good files and a truncated one
    const mixed = path.join(tmp, 'mixed');
    mkdirSync(mixed);
    for (const f of invictusFiles().slice(0, 2)) copyFileSync(path.join(DIR, f), path.join(mixed, f));
    writeFileSync(path.join(mixed, 'zz_broken.json'), '{"Records": [{"eventTime": "2023-07-10T11:00:00Z", "eventName": "Get');
    writeFileSync(path.join(tmp, 'only-broken.json'), '{"Records": [{"eventTime": ');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints one text line per event: time, then the Info text (ct.info)', () => {
    const r = stratolab(['read', DIR]);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(records.length);
    // earliest event, by hand
    const first = [...records].sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0))[0];
    const arrow = first.readOnly === false ? '→' : '←';
    const user = handUser(first);
    const via = user === first.sourceIPAddress ? '' : ` via ${first.sourceIPAddress}`;
    expect(out[0]).toBe(`${first.eventTime} ${user}${via} ${first.errorCode ? '!' : ''}${arrow} ${first.eventName}`);
    for (const l of out) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \S/);
  });

  it('-T fields prints the -e values tab-separated, absent as empty', () => {
    const r = stratolab(['read', DIR, '-T', 'fields', '-e', 'ct.name', '-e', 'ct.user', '-e', 'ct.error']);
    expect(r.code).toBe(0);
    const out = lines(r.stdout).map((l) => l.split('\t'));
    expect(out).toHaveLength(records.length);
    for (const cols of out) expect(cols).toHaveLength(3);
    const getUser = out.filter((c) => c[0] === 'GetUser').length;
    expect(getUser).toBe(records.filter((x) => x.eventName === 'GetUser').length);
    const noError = out.filter((c) => c[2] === '').length;
    expect(noError).toBe(records.filter((x) => x.errorCode === undefined || x.errorCode === null).length);
    // -e alone implies -T fields
    const implied = stratolab(['read', DIR, '-e', 'ct.name', '-c', '3']);
    expect(implied.code).toBe(0);
    expect(lines(implied.stdout)).toHaveLength(3);
    expect(lines(implied.stdout)[0]).not.toContain('\t');
  });

  it('-T fields escapes backslash, tab, newline and CR', () => {
    const r = stratolab(['read', path.join(tmp, 'tricky.json'), '-T', 'fields', '-e', 'ct.useragent', '-e', 'ct.name']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('a\\tb\\nc\\\\d\\re, "quoted"\tCreateUser\n');
  });

  it('-T csv writes a header and RFC 4180 rows', () => {
    const r = stratolab(['read', path.join(tmp, 'tricky.json'), '-T', 'csv', '-e', 'ct.name', '-e', 'ct.useragent', '-e', 'ct.error']);
    expect(r.code).toBe(0);
    const rows = parseCSV(r.stdout);
    expect(rows).toEqual([
      ['ct.name', 'ct.useragent', 'ct.error'],
      ['CreateUser', TRICKY.userAgent, ''],
    ]);
    expect(r.stdout).toContain('"a\tb\nc\\d\re, ""quoted"""');
    const all = stratolab(['read', DIR, '-T', 'csv', '-e', 'time', '-e', 'ct.srcip']);
    expect(parseCSV(all.stdout)).toHaveLength(records.length + 1);
  });

  it('-T json writes one object per line with RFC 3339 times', () => {
    const r = stratolab(['read', DIR, '-T', 'json', '-e', 'time', '-e', 'ct.name', '-e', 'ct.user', '-e', 'ct.error']);
    expect(r.code).toBe(0);
    const objs = lines(r.stdout).map((l) => JSON.parse(l));
    expect(objs).toHaveLength(records.length);
    expect(Object.keys(objs[0])).toEqual(['time', 'ct.name', 'ct.user', 'ct.error']);
    for (const o of objs) expect(o.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const times = objs.map((o) => o.time);
    expect(times).toEqual([...times].sort());
    // without -e: every column but the raw record
    const all = stratolab(['read', path.join(tmp, 'tricky.json'), '-T', 'json']);
    const o = JSON.parse(all.stdout);
    expect(o['ct.name']).toBe('CreateUser');
    expect(o['ct.useragent']).toBe(TRICKY.userAgent);
    expect(o.raw).toBeUndefined();
  });

  it('-c N prints the first N events in time order', () => {
    const r = stratolab(['read', DIR, '-c', '7', '-e', 'time']);
    expect(r.code).toBe(0);
    const times = records.map((x) => x.eventTime as string).sort();
    expect(lines(r.stdout)).toEqual(times.slice(0, 7));
  });

  it('--since/--until keep [since, until), RFC 3339 or relative', () => {
    const since = '2023-07-10T12:00:00Z';
    const until = '2023-07-10T12:10:00Z';
    const expected = records.filter((x) => x.eventTime >= since && x.eventTime < until).length;
    const r = stratolab(['read', DIR, '--since', since, '--until', until, '-T', 'fields', '-e', 'time']);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(expected);
    for (const t of out) expect(t >= since && t < until).toBe(true);
    // the data is from 2023: nothing in the last 2 days, everything before 1 hour ago
    expect(lines(stratolab(['read', DIR, '--since', '2d']).stdout)).toHaveLength(0);
    expect(lines(stratolab(['read', DIR, '--until', '1h', '-e', 'ct.id']).stdout)).toHaveLength(records.length);
  });

  it('--stats prints one JSON line on stderr with the load counters', () => {
    const r = stratolab(['read', DIR, '-Y', 'ct.name == "GetUser"', '--stats', '-e', 'ct.name']);
    expect(r.code).toBe(0);
    const statLine = lines(r.stderr).find((l) => l.startsWith('{'))!;
    const stats = JSON.parse(statLine);
    for (const k of ['objectsListed', 'objectsFetched', 'bytes', 'eventsRead', 'eventsMatched', 'seconds']) expect(typeof stats[k]).toBe('number');
    expect(stats.objectsFetched).toBe(invictusFiles().length);
    // records skipped by the loader's text prefilter are counted apart
    expect(stats.eventsRead + (stats.prefiltered ?? 0)).toBe(records.length);
    expect(stats.eventsMatched).toBe(records.filter((x) => x.eventName === 'GetUser').length);
    expect(lines(r.stdout)).toHaveLength(stats.eventsMatched);
  });

  it('-Y filters with either syntax', () => {
    const ws = stratolab(['read', DIR, '-Y', 'ct.error == "AccessDenied"', '-e', 'ct.error']);
    const falco = stratolab(['read', DIR, '-Y', 'ct.error = AccessDenied', '-e', 'ct.error']);
    const expected = records.filter((x) => x.errorCode === 'AccessDenied').length;
    expect(lines(ws.stdout)).toHaveLength(expected);
    expect(lines(falco.stdout)).toHaveLength(expected);
  });

  it('a malformed file among good ones: exit 0, a warning naming it, the good events printed', () => {
    const dir = path.join(tmp, 'mixed');
    const r = stratolab(['read', dir, '-e', 'ct.id']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('zz_broken.json');
    expect(r.stderr).toMatch(/warning/);
    const good = invictusFiles()
      .slice(0, 2)
      .reduce((n, f) => n + JSON.parse(readFileSync(path.join(DIR, f), 'utf8')).Records.length, 0);
    expect(lines(r.stdout)).toHaveLength(good);
  });

  it('exit 1 for unreadable input, naming the file and why', () => {
    const missing = stratolab(['read', path.join(tmp, 'no-such-dir')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no-such-dir');
    expect(missing.stderr).toMatch(/no such file/);
    const broken = stratolab(['read', path.join(tmp, 'only-broken.json')]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('only-broken.json');
    expect(broken.stdout).toBe('');
  });

  it('exit 2 for usage and filter errors, with position and caret', () => {
    const bad = stratolab(['read', DIR, '-Y', 'ct.name == "x" &&']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/\^/);
    expect(bad.stdout).toBe('');
    const unknown = stratolab(['read', DIR, '-Y', 'ct.usr == "bob"']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('ct.user');
    expect(unknown.stderr).toMatch(/\n\s*\^~+/);
    expect(stratolab(['read', DIR, '-T', 'yaml']).code).toBe(2);
    expect(stratolab(['read', DIR, '-T', 'fields']).code).toBe(2);
    expect(stratolab(['read', DIR, '--bogus']).code).toBe(2);
    expect(stratolab(['read', DIR, '-c', 'many']).code).toBe(2);
    const since = stratolab(['read', DIR, '--since', 'yesterday']);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('yesterday');
    expect(stratolab(['read']).code).toBe(2);
    expect(stratolab(['frobnicate']).code).toBe(2);
  });

  it('exits quietly when the reader closes the pipe (| head)', () => {
    const r = spawnSync('bash', ['-c', `node bin/stratolab.js read "${sharedData('cloudtrail')}" | head -1; echo "status=\${PIPESTATUS[0]}"`], { encoding: 'utf8', cwd: repoRoot });
    expect(r.stdout).toMatch(/status=0\s*$/);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });
});
