/**
 * The filter language by example: each expression with the rows it must
 * select, derived by reading the records (CloudTrail: hand-picked records of
 * ../shared/data, see fixtures.ts for what each row is) or the hand-written
 * syscall rows. Every case runs through the column program on dictionary and
 * plain tables, on a filtered+ordered view, through `.test(row)` and the
 * reference evaluator.
 */
import { describe, expect, it } from 'vitest';
import { compile, evaluate } from '../../src/filter/index.js';
import type { Table } from '../../src/frames/table.js';
import { needSharedData, skip } from '../helpers.js';
import { cloudTrailRecords, cloudTrailTable, SYSCALL_ROWS, syscallTable } from './fixtures.js';

type Case = [expr: string, rows: number[]];
const all = (n: number, except: number[] = []) => [...Array(n).keys()].filter((i) => !except.includes(i));

// R0..R17, see fixtures.ts
const CT: Case[] = [
  ['ct.name == "AssumeRole"', [1, 2, 4, 8]],
  ['ct.name = AssumeRole', [1, 2, 4, 8]],
  ['ct.name eq "AssumeRole"', [1, 2, 4, 8]],
  ['ct.name != "AssumeRole"', all(18, [1, 2, 4, 8])],
  ['ct.name ne AssumeRole', all(18, [1, 2, 4, 8])],
  ['ct.name === "AssumeRole"', [1, 2, 4, 8]],
  ['ct.name !== "AssumeRole"', all(18, [1, 2, 4, 8])],
  ['ct.name in (AssumeRole)', [1, 2, 4, 8]],
  ['any ct.name == "Decrypt"', [5]],
  ['ct.user == "bert-jan"', [0, 1, 2, 5, 6, 7, 9]],
  ['ct.user = bert-jan', [0, 1, 2, 5, 6, 7, 9]],
  ['ct.user != "bert-jan"', [3, 4, 8, 15, 16, 17]],
  ['!(ct.user == "bert-jan")', [3, 4, 8, 10, 11, 12, 13, 14, 15, 16, 17]],
  ['not ct.user = bert-jan', [3, 4, 8, 10, 11, 12, 13, 14, 15, 16, 17]],
  ['ct.user', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17]],
  ['ct.user exists', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17]],
  ['!ct.user', [10, 11, 12, 13, 14]],
  ['not ct.user exists', [10, 11, 12, 13, 14]],
  ['ct.error', [1, 3, 7]],
  ['not ct.error exists', all(18, [1, 3, 7])],
  ['ct.error exists and ct.user = bert-jan', [1, 7]],
  ['ct.error && ct.user.identitytype == "AssumedRole"', [3]],
  ['ct.user.identitytype == "Root"', [12, 13, 14]],
  ['ct.user.identitytype in (Root, AWSService)', [4, 8, 12, 13, 14]],
  ['ct.user.identitytype in {"Root" "AWSService"}', [4, 8, 12, 13, 14]],
  ['ct.user.identitytype not in {"IAMUser"}', [3, 4, 8, 12, 13, 14, 15, 16, 17]],
  ['not ct.user.identitytype in (IAMUser)', [3, 4, 8, 10, 12, 13, 14, 15, 16, 17]],
  ['ct.user.identitytype == "IAMUser" && !ct.user', [11]],
  ['ct.region == "us-west-2"', [13, 16]],
  ['ct.region startswith "us-west"', [13, 14, 16]],
  ['ct.region endswith "-1"', all(18, [11, 13, 16])],
  ['ct.region contains "west"', [11, 13, 14, 16]],
  ['ct.region matches "^US-"', all(18, [11])],
  ['ct.region matches "(?-i)^US-"', []],
  ['ct.region regex "us-.*"', all(18, [11])],
  ['ct.region regex "us"', []],
  ['ct.region ~ "west-[12]$"', [11, 13, 14, 16]],
  ['ct.region glob "us-*-1"', all(18, [11, 13, 16])],
  ['ct.region iglob "US-WEST-?"', [13, 14, 16]],
  ['ct.region in {"us-west-1" "us-west-2"}', [13, 14, 16]],
  ['ct.region in {"us-west-1", "us-west-2"}', [13, 14, 16]],
  ['ct.region intersects (us-west-1, eu-west-2)', [11, 14]],
  ['ct.srcip == 192.168.10.20', [0, 1, 2, 3, 7]],
  ['ct.srcip == "192.168.10.20"', [0, 1, 2, 3, 7]],
  ['ct.srcip in {10.0.0.0/8 192.168.0.0/16}', [0, 1, 2, 3, 7, 9, 17]],
  ['ct.srcip == 192.168.0.0/16', [0, 1, 2, 3, 7, 17]],
  ['ct.srcip = 10.0.0.0/8', [9]],
  ['ct.srcip.v4 == 10.0.0.0/8', [9]],
  ['ct.srcip.v4', [0, 1, 2, 3, 7, 9, 11, 12, 13, 15, 17]],
  ['!ct.srcip.v4', [4, 5, 6, 8, 10, 14, 16]],
  ['ct.srcip contains "amazonaws.com"', [4, 5, 8, 10, 14]],
  ['ct.srcip endswith ".amazonaws.com" and ct.user.identitytype = AWSService', [4, 8]],
  ['ct.srcip == "AWS Internal"', [6, 16]],
  ["ct.srcip = 'AWS Internal'", [6, 16]],
  ['ct.srcip icontains "aws internal"', [6, 16]],
  ['ct.time > "2023-07-10T12:00:00Z"', [7, 8, 9, 10, 11, 12]],
  ['ct.time < "2023-01-01"', [13, 14, 15, 16, 17]],
  ['ct.time >= "2023-07-10T11:54:48Z" && ct.time <= "2023-07-10T11:58:10Z"', [3, 4, 5, 6]],
  ['ct.time in {"2016-01-01T00:00:00Z".."2016-12-31T23:59:59Z"}', [13, 14, 17]],
  ['ct.time == "2023-07-10T11:54:39Z"', [0]],
  ['ct.time == "2023-07-10T13:54:39+02:00"', [0]],
  ['ct.time > 1688990400000000000', [7, 8, 9, 10, 11, 12]],
  ['ct.time ge "2024-01-01T00:00:00.000000001Z"', [12]],
  ['ct.name in (CreateBucket, RunInstances) and ct.region != us-east-1', [13, 14]],
  ['ct.name == "CreateBucket" || ct.name == "RunInstances"', [13, 14, 15]],
  ['ct.name == "CreateBucket" ^^ ct.region == "us-east-1"', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 17]],
  ['ct.name == "CreateBucket" xor ct.region == "us-east-1"', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 17]],
  ['s3.bucket', [7, 13, 15]],
  ['s3.bucket contains "bucket"', [7, 13]],
  ['s3.bucket == cwe-test', [15]],
  ['ec2.imageids', [14]],
  ['ec2.imageids == "ami-06116566"', [14]],
  ['len(ct.user) > 10', [3, 4, 8, 15, 17]],
  ['len(ct.user) == 8', [0, 1, 2, 5, 6, 7, 9]],
  ['lower(ct.user) == "sandbox_dev"', [15]],
  ['upper(ct.name) contains "BUCKET"', [7, 13, 15]],
  ['tolower(ct.name) = createbucket', [13, 15]],
  ['toupper(ct.user) startswith "BERT"', [0, 1, 2, 5, 6, 7, 9]],
  ['ct.name contains "Bucket"', [7, 13, 15]],
  ['ct.name contains "bucket"', []],
  ['ct.name icontains "bucket"', [7, 13, 15]],
  ['ct.name matches "bucket"', [7, 13, 15]],
  ['ct.name[0:6] == "Assume"', [1, 2, 4, 8]],
  ['ct.name[-6:] == "Bucket"', [13, 15]],
  ['ct.shortsrc == "sts"', [1, 2, 4, 8]],
  ['ct.src == sts.amazonaws.com', [1, 2, 4, 8]],
  ['ct.src = sts.amazonaws.com', [1, 2, 4, 8]],
  ['ct.user == ct.srcip', [4, 8]],
  ['ct.user = val(ct.srcip)', [4, 8]],
  ['ct.user != ct.srcip', [0, 1, 2, 3, 5, 6, 7, 9, 15, 16, 17]],
  ['ct.id == "cc66d3e3-6fb2-4e6a-9cb3-8eff6c2c973a"', [0]],
  ['(ct.name == "AssumeRole" or ct.name == "GetUser") and not ct.error exists', [0, 2, 4, 8]],
  ['ct.name == "AssumeRole" and (ct.error or ct.user.identitytype == "AWSService")', [1, 4, 8]],
  ['!(ct.error || ct.user)', [10, 11, 12, 13, 14]],
  ['not (ct.error exists or ct.user exists)', [10, 11, 12, 13, 14]],
  ['ct.user.accountid == "619193117841"', [13, 14]],
  ['ct.user.accountid == 619193117841', [13, 14]],
  ['ct.name == "Decrypt" or ct.name == "Encrypt"', [5, 6]],
  ['ct.name in {"Decrypt" "Encrypt"} && ct.srcip == "AWS Internal"', [6]],
  ['ct.name ~ "^(Create|Delete)"', [11, 12, 13, 15, 16, 17]],
  ['ct.name regex "(Create|Delete).*"', [11, 12, 13, 15, 16, 17]],
  ['ct.name glob "Create*"', [11, 12, 13, 15, 17]],
  ['ct.name glob "*Instance*"', [9, 14, 17]],
  ['ct.name iglob "*instance*"', [9, 14, 17]],
  ['ct.name startswith Get', [0, 3, 7]],
  ['string(ct.name) == "GetUser"', [0]],
  ['count(ct.user) == 0', [10, 11, 12, 13, 14]],
  ['count(ec2.imageids) == 2', [14]],
  ['len(ec2.imageids) == 2', [14]],
  ['ct.region == us-east-1 and ct.user.identitytype = AssumedRole and not ct.name startswith Create', [3]],
  ['ct.user.identitytype == AssumedRole && ct.region != "us-east-1"', [16]],
  ['ct.error in ("AccessDenied", "NoSuchLifecycleConfiguration")', [1, 7]],
  ['ct.error contains "Unauthorized"', [3]],
  ['ct.error != "AccessDenied"', [3, 7]],
  ['not ct.error = AccessDenied', all(18, [1])],
  ['ct.name bcontains 427563', [7, 13, 15]],
  ['ct.name bstartswith 476574', [0, 3, 7]],
  ['ct.name == "AssumeRole" && ct.error == "AccessDenied" || ct.name == "CreateMesh"', [1, 11]],
  ['ct.name == "CreateMesh" || ct.name == "AssumeRole" && ct.error == "AccessDenied"', [1, 11]],
];

// syscall rows 0..9 are evt.num 1..10, see fixtures.ts
const SYS: Case[] = [
  ['evt.type = openat', [0, 5, 6]],
  ['evt.type == "openat"', [0, 5, 6]],
  ['evt.type in (openat, read)', [0, 1, 5, 6]],
  ['evt.type in {"connect" "accept"}', [2, 3, 7]],
  ['evt.dir = >', [1, 8, 9]],
  ['evt.dir = <', [0, 2, 3, 4, 5, 6, 7]],
  ['evt.dir != >', [0, 2, 3, 4, 5, 6, 7]],
  ['proc.name = curl and fd.sport > 40000', [2]],
  ['fd.sport >= 40000', [2, 3]],
  ['fd.sport < 1024', [7]],
  ['fd.sport in {20..25 80 443}', [7]],
  ['fd.dport in {80 443}', [2, 3]],
  ['fd.dport in (80, 443)', [2, 3]],
  ['fd.sport != 22', [2, 3]],
  ['not fd.sport = 22', all(10, [7])],
  ['fd.sip == 10.0.0.0/8', [7]],
  ['fd.sip = 10.0.0.1', [7]],
  ['fd.sip == 2001:db8::/32', [3]],
  ['fd.sip == 2001:db8:0:0::1', [3]],
  ['fd.sip in {10.0.0.0/8 2001:db8::/32}', [3, 7]],
  ['fd.cip == ::1', [3]],
  ['fd.cip in (192.168.0.0/16, 10.0.0.0/8)', [2, 7]],
  ['fd.sip > 10.0.0.0', [2, 3, 7]],
  ['fd.name startswith /etc/', [0, 1, 6]],
  ['fd.name pmatch (/etc)', [0, 1, 6]],
  ['fd.name pmatch (/var/log, /dev)', [5, 8]],
  ['fd.name pmatch (/var/lo)', []],
  ['fd.name glob /etc/*', [0, 1, 6]],
  ['fd.name glob "/etc/[ps]*"', [0, 1, 6]],
  ['fd.name glob "/etc/[!p]*"', [6]],
  ['fd.name endswith .log', [5]],
  ['fd.name contains "->"', [2, 7]],
  ['fd.name = /etc/passwd', [0, 1]],
  ['fd.name == "/etc/passwd"', [0, 1]],
  ['fd.name != /etc/passwd', [2, 5, 6, 7, 8]],
  ['proc.name in (cat, curl) and not fd.name exists', [3]],
  ['evt.failed = true', [3, 6]],
  ['evt.failed == false', [0, 1, 2, 4, 5, 7]],
  ['evt.failed != true', [0, 1, 2, 4, 5, 7]],
  ['evt.failed == True', [3, 6]],
  ['evt.failed', [0, 1, 2, 3, 4, 5, 6, 7]],
  ['!evt.failed', [8, 9]],
  ['evt.res != SUCCESS', [3, 6]],
  ['evt.res exists and evt.res != SUCCESS', [3, 6]],
  ['evt.rawtime > 1688990404000000000', [4, 5, 6, 7, 8, 9]],
  ['evt.rawtime == 1688990404000999999', [4]],
  ['evt.rawtime != 1688990404000999999', all(10, [4])],
  ['evt.rawtime >= 1688990407000000000', [7, 8, 9]],
  ['evt.time >= "2023-07-10T12:00:05Z"', [5, 6, 7, 8, 9]],
  ['evt.time < "2023-07-10T12:00:02Z"', [0, 1]],
  ['evt.time == "2023-07-10T12:00:00Z"', [0]],
  ['evt.time in {"2023-07-10T12:00:01Z".."2023-07-10T12:00:03Z"}', [1, 2, 3]],
  ['evt.time > "Jul 10, 2023 12:00:08"', [9]],
  ['evt.arg.fd = 3', [0, 1]],
  ['evt.arg[fd] == 3', [0, 1]],
  ['evt.arg.fd exists', [0, 1]],
  ['proc.aname[1] = bash', [0, 1]],
  ['proc.aname.1 in (zsh, nginx)', [2, 4]],
  ['proc.aname[1] exists and proc.name != bash', [0, 1, 2, 4]],
  ['test.tags == "b"', [0, 1]],
  ['test.tags != "b"', [5, 7]],
  ['test.tags === "b"', [1]],
  ['test.tags !== "b"', [0, 5, 7]],
  ['test.tags in {"a" "ssh"}', [0, 7]],
  ['test.tags in (a, b)', [0, 1]],
  ['test.tags intersects (a, ssh)', [0, 7]],
  ['test.tags not in {"b"}', [5, 7]],
  ['len(test.tags) == 2', [0, 5]],
  ['count(test.tags) == 0', [2, 3, 4, 6, 8, 9]],
  ['test.tags', [0, 1, 5, 7]],
  ['test.tags contains "o"', [5]],
  ['all fd.sport > 1000', [2, 3]],
  ['proc.pid + 1 == 201', [2, 3]],
  ['{proc.pid * 2} == 400', [2, 3]],
  ['proc.pid % 200 == 0', [2, 3, 5, 7]],
  ['proc.pid == 100 + 100', [2, 3]],
  ['-proc.pid == -100', [0, 1]],
  ['thread.tid != proc.pid', [2, 3, 5]],
  ['thread.tid = val(proc.pid)', [0, 1, 4, 6, 7, 8]],
  ['lower(proc.cmdline) contains "uname"', [4]],
  ['proc.cmdline contains "\\"id;"', [4]],
  ['proc.cmdline == \'sh -c "id; uname -a"\'', [4]],
  ['basename(proc.exepath) = sh', [4]],
  ['len(fd.name) > 20', [2, 5, 7]],
  ['fd.name[0:5] == "/etc/"', [0, 1, 6]],
  ['fd.name[1-3] == "etc"', [0, 1, 6]],
  ['fd.name[:4] == "/etc"', [0, 1, 6]],
  ['proc.name ~ "^C"', [0, 1, 2, 3]],
  ['proc.name regex "c.*"', [0, 1, 2, 3]],
  ['proc.name regex "(?i)C.*"', [0, 1, 2, 3]],
  ['proc.name matches "(?-i)^C"', []],
  ['proc.name matches "\\\\Acu"', [2, 3]],
  ['proc.name matches "(?P<first>s)h\\\\z"', [4, 8]],
  ['proc.name regex "(?P<x>c)\\\\w+"', [0, 1, 2, 3]],
  ['user.name = bert-jan and evt.failed = true', [3, 6]],
  ['not (proc.name = cat or proc.name = curl)', [4, 5, 6, 7, 8, 9]],
  ['proc.name != cat and proc.name != curl', [4, 5, 6, 7, 8]],
  ['!proc.name', [9]],
  ['evt.type = openat and (fd.name startswith /etc or user.name = www-data)', [0, 5, 6]],
  ['fd.num < 4', [0, 1, 8]],
  ['fd.num le 3', [0, 1, 8]],
  ['fd.num ge 6 && fd.num lt 7', [3]],
  ['fd.num in {1..3}', [0, 1, 8]],
  ['fd.num == 0x3', [0, 1]],
  ['proc.pid > 0x1f4', [7, 8]],
  ['evt.num in {1 3 5 7 9}', [0, 2, 4, 6, 8]],
  ['evt.num <= 3 ^^ proc.name = cat', [2]],
  ['evt.type contains open and evt.failed = false', [0, 5]],
  ['not not evt.type = read', [1]],
  ['proc.name startswith anyof (ca, cu)', [0, 1, 2, 3]],
  ['proc.name != allof (cat, curl)', [4, 5, 6, 7, 8]],
  ['fd.name contains oneof (etc, passwd)', [6]],
  ['thread.tid >= proc.pid < 300', [0, 1, 2, 3]],
  ['not(evt.type=read)and(proc.name=cat)', [0]],
];

function rowsOf(t: Table, key: string, ids: unknown[]): number[] {
  return Array.from(t.array(key) as ArrayLike<unknown>, (v) => ids.indexOf(v)).sort((a, b) => a - b);
}

describe.skipIf(skip(needSharedData('cloudtrail')))('CloudTrail records', () => {
  const records = cloudTrailRecords();
  const ids = records.map((r) => r);
  const dictTable = cloudTrailTable(records);
  const lazyTable = cloudTrailTable(records, false);
  it.each(CT)('%s', (expr, expected) => {
    const f = compile(expr);
    expect(rowsOf(f.filter(dictTable), 'raw', ids)).toEqual(expected);
    expect(rowsOf(f.filter(lazyTable), 'raw', ids)).toEqual(expected);
    expect(f.count(dictTable)).toBe(expected.length);
    expect(all(records.length).filter((i) => f.test({ raw: records[i]! }))).toEqual(expected);
    expect(all(records.length).filter((i) => evaluate(expr, { raw: records[i]! }))).toEqual(expected);
  });
  it('has at least 100 CloudTrail cases', () => expect(CT.length).toBeGreaterThanOrEqual(100));

  it('knows the table columns time and source, and protocol names', () => {
    const t = dictTable.assign({
      source: records.map(() => 'aws_cloudtrail'),
      time: records.map((r) => new Date(r.eventTime as string)),
    });
    const rows = (e: string) => rowsOf(compile(e).filter(t), 'raw', ids);
    expect(rows('cloudtrail')).toEqual(all(18));
    expect(rows('sysdig')).toEqual([]);
    expect(rows('!gcpaudit')).toEqual(all(18));
    expect(rows('time >= "2023-07-10T12:00:00Z"')).toEqual([7, 8, 9, 10, 11, 12]);
    expect(rows('time < "2016-03-01"')).toEqual([15, 17]);
    expect(rows('cloudtrail && ct.error')).toEqual([1, 3, 7]);
    expect(rows('source == "aws_cloudtrail" && ct.region == "us-west-1"')).toEqual([14]);
  });

  it('${field} takes the value of the selected row', () => {
    const f = compile('ct.time > ${ct.time}', { selected: { raw: records[9]! } });
    expect(rowsOf(f.filter(dictTable), 'raw', ids)).toEqual([11, 12]);
  });
});

describe('syscall rows', () => {
  const dictTable = syscallTable(SYSCALL_ROWS, true);
  const plainTable = syscallTable(SYSCALL_ROWS, false);
  const nums = SYSCALL_ROWS.map((r) => r['evt.num']);
  it.each(SYS)('%s', (expr, expected) => {
    const f = compile(expr);
    expect(rowsOf(f.filter(dictTable), 'evt.num', nums)).toEqual(expected);
    expect(rowsOf(f.filter(plainTable), 'evt.num', nums)).toEqual(expected);
    expect(all(10).filter((i) => f.test(SYSCALL_ROWS[i]!))).toEqual(expected);
    const getRow = (i: number) => ({ get: (field: string, arg?: string) => SYSCALL_ROWS[i]![arg === undefined ? field : `${field}[${arg}]`] });
    expect(all(10).filter((i) => f.test(getRow(i)))).toEqual(expected);
    expect(all(10).filter((i) => evaluate(expr, SYSCALL_ROWS[i]!))).toEqual(expected);
  });
  it('has at least 100 syscall cases', () => expect(SYS.length).toBeGreaterThanOrEqual(100));

  it('keeps an existing filter and order of the input view', () => {
    const view = dictTable.filter((d: Record<string, number>) => d['evt.num']! > 2).orderby((d: Record<string, number>) => -d['evt.num']!);
    const out = compile('evt.type = openat or evt.type = connect').filter(view);
    expect(out.array('evt.num')).toEqual([7, 6, 4, 3]);
    expect(compile('proc.name = cat').count(view)).toBe(0);
  });

  it('${field} takes the value of the selected row', () => {
    const f = compile('proc.pid == ${proc.pid}', { selected: SYSCALL_ROWS[2]! });
    expect(rowsOf(f.filter(dictTable), 'evt.num', nums)).toEqual([2, 3]);
  });
});
