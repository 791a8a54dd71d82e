/**
 * Test rows for the filter suite: hand-picked CloudTrail records from
 * ../shared/data (fields from the cloudtrail source's registration), and
 * syscall-like rows built by hand with the fields a scap loader produces.
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as aq from 'arquero';
import '../../src/sources/cloudtrail/fields.js';
import { getField, registerFields } from '../../src/fields/registry.js';
import type { FieldDef, FieldType, Value } from '../../src/fields/types.js';
import { DictBuilder } from '../../src/frames/columns.js';
import type { Table } from '../../src/frames/table.js';
import { sharedData } from '../helpers.js';

/* ---------- syscall fields (registered only when the scap source has not) ---------- */

function sys(name: string, type: FieldType, arg?: FieldDef['arg']): FieldDef {
  return { name, type, display: name, description: `test registration of ${name}`, source: 'syscall', ...(arg ? { arg } : {}) };
}

export const SYSCALL_TEST_FIELDS: FieldDef[] = [
  sys('evt.num', 'number'), sys('evt.type', 'string'), sys('evt.dir', 'string'), sys('evt.rawtime', 'number'),
  sys('evt.time', 'timestamp'), sys('evt.failed', 'bool'), sys('evt.res', 'string'),
  sys('evt.arg', 'string', { required: true, kind: 'name' }),
  sys('proc.name', 'string'), sys('proc.pid', 'number'), sys('proc.cmdline', 'string'), sys('proc.exepath', 'string'),
  sys('proc.aname', 'string', { required: false, kind: 'index' }),
  sys('fd.name', 'string'), sys('fd.num', 'number'), sys('fd.sport', 'number'), sys('fd.dport', 'number'),
  sys('fd.sip', 'ip'), sys('fd.cip', 'ip'), sys('thread.tid', 'number'), sys('user.name', 'string'),
  sys('fd.typechar', 'string'), sys('fd.cport', 'number'), sys('fd.snet', 'ip'), sys('fd.cnet', 'ip'), sys('fd.l4proto', 'string'), sys('user.uid', 'number'),
  sys('test.tags', 'list'),
];
registerFields(SYSCALL_TEST_FIELDS.filter((d) => !getField(d.name)));

/* ---------- CloudTrail rows ---------- */

/** Row i of the CloudTrail table: invictus-ir records by eventID, then cloud-custodian files (their `detail`). */
export const CT_INVICTUS_IDS = [
  'cc66d3e3-6fb2-4e6a-9cb3-8eff6c2c973a', // R0 GetUser, IAMUser bert-jan, 192.168.10.20
  'e4bad408-6272-4892-bf47-bd41b435ce40', // R1 AssumeRole AccessDenied
  '4bd2a6f6-dddc-49e6-ba7d-08f73e809e64', // R2 AssumeRole
  'fbd91225-39aa-4c00-822c-9f0b96e7758f', // R3 GetPasswordData, AssumedRole, Client.UnauthorizedOperation
  '55e25aa9-7165-446e-aef6-815c7a79a961', // R4 AssumeRole by AWSService ec2.amazonaws.com
  'c6ebc8b7-572c-4123-92bf-9d94933724ca', // R5 Decrypt via secretsmanager.amazonaws.com
  'a8713198-6e16-4b3a-9481-16e6ea225acd', // R6 Encrypt from "AWS Internal"
  '0aba48a0-49f4-4bbd-ab3f-6c75c8efb1ce', // R7 GetBucketLifecycle NoSuchLifecycleConfiguration
  'fc7df72b-2505-4ed9-9f06-384b94f6e7a2', // R8 AssumeRole by AWSService rds.amazonaws.com
  'fc23f631-4c9e-4422-a57f-f4ca8813e70b', // R9 DescribeOrderableDBInstanceOptions from 10.8.8.10
  'd2ba211c-a040-45b6-86d0-33249cc21647', // R10 StartSecretVersionDelete, no userIdentity.type
];
export const CT_CUSTODIAN_FILES = [
  'event-appmesh-create-mesh.json', // R11 IAMUser without userName, eu-west-2
  'event-appmesh-create-virtualnode.json', // R12 Root without userName
  'event-cloud-trail-create-bucket.json', // R13 Root CreateBucket us-west-2
  'event-cloud-trail-run-instances.json', // R14 Root RunInstances us-west-1, 2 image ids
  'event-cloud-trail-s3.json', // R15 AssumedRole Sandbox_Dev CreateBucket cwe-test
  'event-transit-gateway-delete-vpc-attachment.json', // R16 AssumedRole c7nbot
  'event-cloud-trail-create-db.json', // R17 AssumedRole DeveloperRole
];

export function cloudTrailRecords(): Record<string, unknown>[] {
  const dir = sharedData('cloudtrail/invictus-ir_aws_dataset');
  const byId = new Map<string, Record<string, unknown>>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const recs = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')).Records as Record<string, unknown>[];
    for (const r of recs) if (CT_INVICTUS_IDS.includes(r.eventID as string)) byId.set(r.eventID as string, r);
  }
  const out = CT_INVICTUS_IDS.map((id) => {
    const r = byId.get(id);
    if (!r) throw new Error(`record ${id} not found`);
    return r;
  });
  for (const f of CT_CUSTODIAN_FILES) {
    const j = JSON.parse(readFileSync(sharedData(`cloudtrail/cloud-custodian_cwe_eventbridge/${f}`), 'utf8'));
    out.push(j.detail ?? j);
  }
  return out;
}

/** The CloudTrail table: `raw` plus ct.name and ct.region as dictionary columns (the rest is extracted lazily). */
export function cloudTrailTable(records: Record<string, unknown>[], materialize = true): Table {
  const cols: Record<string, unknown> = { raw: records };
  if (materialize) {
    for (const [field, key] of [['ct.name', 'eventName'], ['ct.region', 'awsRegion']] as const) {
      const b = new DictBuilder<string>();
      for (const r of records) b.push((r[key] as string | undefined) ?? null);
      cols[field] = b.finish();
    }
  }
  return aq.table(cols as Record<string, unknown[]>);
}

/* ---------- syscall rows ---------- */

export type SysRow = Record<string, Value>;

const T0 = 1688990400000; // 2023-07-10T12:00:00Z in ms
const ns = (ms: number) => BigInt(ms) * 1000000n;

/** Hand-written syscall events (absent fields simply missing). */
export const SYSCALL_ROWS: SysRow[] = [
  { 'evt.num': 1, 'evt.type': 'openat', 'evt.dir': '<', 'proc.name': 'cat', 'proc.pid': 100, 'thread.tid': 100, 'fd.name': '/etc/passwd', 'fd.num': 3, 'evt.rawtime': ns(T0), 'evt.time': new Date(T0), 'evt.failed': false, 'evt.res': 'SUCCESS', 'evt.arg[fd]': '3', 'proc.aname[1]': 'bash', 'user.name': 'root', 'test.tags': ['a', 'b'], 'proc.cmdline': 'cat /etc/passwd' },
  { 'evt.num': 2, 'evt.type': 'read', 'evt.dir': '>', 'proc.name': 'cat', 'proc.pid': 100, 'thread.tid': 100, 'fd.name': '/etc/passwd', 'fd.num': 3, 'evt.rawtime': ns(T0 + 1000), 'evt.time': new Date(T0 + 1000), 'evt.failed': false, 'evt.arg[fd]': '3', 'proc.aname[1]': 'bash', 'user.name': 'root', 'test.tags': ['b'], 'proc.cmdline': 'cat /etc/passwd' },
  { 'evt.num': 3, 'evt.type': 'connect', 'evt.dir': '<', 'proc.name': 'curl', 'proc.pid': 200, 'thread.tid': 201, 'fd.name': '10.0.0.5:43210->93.184.216.34:443', 'fd.num': 5, 'fd.sport': 43210, 'fd.dport': 443, 'fd.sip': '93.184.216.34', 'fd.cip': '10.0.0.5', 'evt.rawtime': ns(T0 + 2000), 'evt.time': new Date(T0 + 2000), 'evt.failed': false, 'evt.res': 'SUCCESS', 'user.name': 'bert-jan', 'proc.aname[1]': 'zsh', 'test.tags': [], 'proc.cmdline': 'curl https://example.com' },
  { 'evt.num': 4, 'evt.type': 'connect', 'evt.dir': '<', 'proc.name': 'curl', 'proc.pid': 200, 'thread.tid': 201, 'fd.num': 6, 'fd.sport': 40000, 'fd.dport': 80, 'fd.sip': '2001:db8::1', 'fd.cip': '::1', 'evt.rawtime': ns(T0 + 3000), 'evt.time': new Date(T0 + 3000), 'evt.failed': true, 'evt.res': 'ECONNREFUSED', 'user.name': 'bert-jan', 'proc.cmdline': 'curl http://[2001:db8::1]/' },
  { 'evt.num': 5, 'evt.type': 'execve', 'evt.dir': '<', 'proc.name': 'sh', 'proc.pid': 300, 'thread.tid': 300, 'proc.exepath': '/bin/sh', 'evt.rawtime': ns(T0 + 4000) + 999999n, 'evt.time': new Date(T0 + 4000), 'evt.failed': false, 'evt.res': 'SUCCESS', 'user.name': 'www-data', 'proc.aname[1]': 'nginx', 'proc.cmdline': 'sh -c "id; uname -a"' },
  { 'evt.num': 6, 'evt.type': 'openat', 'evt.dir': '<', 'proc.name': 'nginx', 'proc.pid': 400, 'thread.tid': 401, 'fd.name': '/var/log/nginx/access.log', 'fd.num': 7, 'evt.rawtime': ns(T0 + 5000), 'evt.time': new Date(T0 + 5000), 'evt.failed': false, 'user.name': 'www-data', 'test.tags': ['web', 'log'], 'proc.cmdline': 'nginx: worker process' },
  { 'evt.num': 7, 'evt.type': 'openat', 'evt.dir': '<', 'proc.name': 'python3', 'proc.pid': 500, 'thread.tid': 500, 'fd.name': '/etc/shadow', 'evt.rawtime': ns(T0 + 6000), 'evt.time': new Date(T0 + 6000), 'evt.failed': true, 'evt.res': 'EACCES', 'user.name': 'bert-jan', 'proc.cmdline': 'python3 exploit.py' },
  { 'evt.num': 8, 'evt.type': 'accept', 'evt.dir': '<', 'proc.name': 'sshd', 'proc.pid': 600, 'thread.tid': 600, 'fd.name': '192.168.10.20:51234->10.0.0.1:22', 'fd.num': 4, 'fd.sport': 22, 'fd.dport': 51234, 'fd.sip': '10.0.0.1', 'fd.cip': '192.168.10.20', 'evt.rawtime': ns(T0 + 7000), 'evt.time': new Date(T0 + 7000), 'evt.failed': false, 'user.name': 'root', 'test.tags': ['ssh'] },
  { 'evt.num': 9, 'evt.type': 'write', 'evt.dir': '>', 'proc.name': 'bash', 'proc.pid': 700, 'thread.tid': 700, 'fd.name': '/dev/pts/0', 'fd.num': 1, 'evt.rawtime': ns(T0 + 8000), 'evt.time': new Date(T0 + 8000), 'user.name': 'root', 'proc.cmdline': 'bash' },
  { 'evt.num': 10, 'evt.type': 'procexit', 'evt.dir': '>', 'thread.tid': 800, 'evt.rawtime': ns(T0 + 9000), 'evt.time': new Date(T0 + 9000) },
];

/** Builds a syscall table; low-cardinality strings as DictColumns when `dict`. */
export function syscallTable(rows: SysRow[], dict = true): Table {
  const names = [...new Set(SYSCALL_TEST_FIELDS.flatMap((d) => (d.arg ? [] : [d.name])).concat(['evt.arg[fd]', 'proc.aname[1]']))];
  const cols: Record<string, unknown> = {};
  for (const n of names) {
    const type = getField(n.replace(/\[.*$/, ''))?.type;
    if (dict && type === 'string') {
      const b = new DictBuilder<string>();
      for (const r of rows) b.push((r[n] as string | undefined) ?? null);
      cols[n] = b.finish();
    } else cols[n] = rows.map((r) => (r[n] === undefined ? null : r[n]));
  }
  return aq.table(cols as Record<string, unknown[]>);
}
