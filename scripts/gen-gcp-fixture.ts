/**
 * Writes fixtures/gcp/: a deterministic GCP audit-log incident (LogEntry
 * JSON as `gcloud logging read --format=json` and Cloud Storage sinks write
 * it), in the same window as the scap incident (2026-03-14, UTC).
 *
 *   node --import tsx scripts/gen-gcp-fixture.ts [OUT_DIR]
 *
 * Story (ground truth in fixtures/gcp/README.md): the CI service account's
 * key leaks; from 203.0.113.66 the attacker enumerates buckets and IAM
 * (several PERMISSION_DENIED), creates a key for the backup service account,
 * grants roles/owner on the project to an outside Gmail account, makes the
 * backups bucket public (allUsers objectViewer), deletes the audit log
 * sink, and starts a VM; anonymous downloads from the public bucket follow.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { prng } from '../src/sources/scap/synth.js';

const OUT = process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'gcp');
const PROJECT = 'acme-prod';
const ATTACKER_IP = '203.0.113.66';
const CI_SA = `ci-deployer@${PROJECT}.iam.gserviceaccount.com`;
const BACKUP_SA = `backup-sa@${PROJECT}.iam.gserviceaccount.com`;
const OUTSIDER = 'attacker.ops@gmail.com';
const BUCKET = 'acme-prod-backups';
const START = Date.parse('2026-03-14T07:00:00Z');

// a seeded PRNG (mulberry32, as the other generators), so the fixture is the same on every run
const rand = prng(0x5eed_6c9);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
let n = 0;
const insertId = () => `${(0x1a2b3c + n++).toString(16)}e${Math.floor(rand() * 1e6).toString(36)}`;

interface Entry {
  protoPayload: Record<string, unknown>;
  insertId: string;
  resource: { type: string; labels: Record<string, string> };
  timestamp: string;
  severity: string;
  logName: string;
  receiveTimestamp: string;
}

function entry(o: {
  t: number;
  kind: 'activity' | 'data_access';
  principal?: string;
  ip: string;
  ua: string;
  service: string;
  method: string;
  resourceName: string;
  resource: Entry['resource'];
  permission: string;
  granted?: boolean;
  request?: Record<string, unknown>;
  serviceData?: Record<string, unknown>;
  response?: Record<string, unknown>;
}): Entry {
  const granted = o.granted ?? true;
  const ts = new Date(o.t).toISOString().replace('Z', '') + `${String(Math.floor(rand() * 1000)).padStart(3, '0')}Z`;
  const pp: Record<string, unknown> = {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    status: granted ? {} : { code: 7, message: 'PERMISSION_DENIED' },
    authenticationInfo: o.principal ? { principalEmail: o.principal } : {},
    requestMetadata: { callerIp: o.ip, callerSuppliedUserAgent: o.ua, requestAttributes: {}, destinationAttributes: {} },
    serviceName: o.service,
    methodName: o.method,
    authorizationInfo: [{ resource: o.resourceName, permission: o.permission, granted, resourceAttributes: {} }],
    resourceName: o.resourceName,
  };
  if (o.request) pp.request = o.request;
  if (o.response) pp.response = o.response;
  if (o.serviceData) pp.serviceData = o.serviceData;
  return {
    protoPayload: pp,
    insertId: insertId(),
    resource: o.resource,
    timestamp: ts,
    severity: granted ? (o.kind === 'activity' ? 'NOTICE' : 'INFO') : 'ERROR',
    logName: `projects/${PROJECT}/logs/cloudaudit.googleapis.com%2F${o.kind}`,
    receiveTimestamp: new Date(o.t + 800).toISOString(),
  };
}

const projectRes = { type: 'project', labels: { project_id: PROJECT } };
const bucketRes = (b: string) => ({ type: 'gcs_bucket', labels: { project_id: PROJECT, bucket_name: b, location: 'us-central1' } });
const activity: Entry[] = [];
const dataAccess: Entry[] = [];

// background: people and services going about their day
const people = ['alice@acme.example', 'bob@acme.example', 'carol@acme.example'];
const officeIps = ['198.51.100.10', '198.51.100.11', '198.51.100.12'];
const buckets = ['acme-prod-assets', 'acme-prod-logs', BUCKET];
for (let i = 0; i < 160; i++) {
  const t = START + Math.floor(rand() * 4 * 3600_000);
  const who = pick(people);
  const ip = officeIps[people.indexOf(who)]!;
  const b = pick(buckets);
  const r = rand();
  if (r < 0.5) {
    dataAccess.push(entry({ t, kind: 'data_access', principal: who, ip, ua: 'google-cloud-sdk gcloud/460.0.0 command/gcloud.storage.cp', service: 'storage.googleapis.com', method: 'storage.objects.get', resourceName: `projects/_/buckets/${b}/objects/reports/${Math.floor(rand() * 90)}.csv`, resource: bucketRes(b), permission: 'storage.objects.get' }));
  } else if (r < 0.8) {
    dataAccess.push(entry({ t, kind: 'data_access', principal: who, ip, ua: 'Mozilla/5.0 (console)', service: 'compute.googleapis.com', method: 'v1.compute.instances.list', resourceName: `projects/${PROJECT}/zones/us-central1-a/instances`, resource: { type: 'gce_instance', labels: { project_id: PROJECT, zone: 'us-central1-a', instance_id: '' } }, permission: 'compute.instances.list' }));
  } else {
    activity.push(entry({ t, kind: 'activity', principal: 'service-1234@compute-system.iam.gserviceaccount.com', ip: 'private', ua: 'GCE Managed Instance Group', service: 'compute.googleapis.com', method: 'v1.compute.instances.setMetadata', resourceName: `projects/${PROJECT}/zones/us-central1-a/instances/web-${Math.floor(rand() * 4)}`, resource: { type: 'gce_instance', labels: { project_id: PROJECT, zone: 'us-central1-a', instance_id: String(4000000000000000000n + BigInt(Math.floor(rand() * 1e6))) } }, permission: 'compute.instances.setMetadata' }));
  }
}

// the incident, from 09:31 (after the webapp container compromise of 09:26:54 in fixtures/scap)
let t = Date.parse('2026-03-14T09:31:00Z');
const step = (s: number) => (t += s * 1000);
const atk = { principal: CI_SA, ip: ATTACKER_IP, ua: 'python-requests/2.31.0' };
dataAccess.push(entry({ t: step(0), kind: 'data_access', ...atk, service: 'storage.googleapis.com', method: 'storage.buckets.list', resourceName: `projects/_/buckets`, resource: { type: 'gcs_bucket', labels: { project_id: PROJECT, bucket_name: '', location: 'global' } }, permission: 'storage.buckets.list' }));
for (const b of buckets) {
  dataAccess.push(entry({ t: step(2), kind: 'data_access', ...atk, service: 'storage.googleapis.com', method: 'storage.getIamPermissions', resourceName: `projects/_/buckets/${b}`, resource: bucketRes(b), permission: 'storage.buckets.getIamPolicy', granted: b !== 'acme-prod-logs' }));
}
for (const m of ['GetIamPolicy', 'GetIamPolicy', 'GetIamPolicy']) {
  dataAccess.push(entry({ t: step(3), kind: 'data_access', ...atk, service: 'cloudresourcemanager.googleapis.com', method: m, resourceName: `projects/${PROJECT}`, resource: projectRes, permission: 'resourcemanager.projects.getIamPolicy', granted: false }));
}
activity.push(entry({ t: step(40), kind: 'activity', ...atk, service: 'iam.googleapis.com', method: 'google.iam.admin.v1.CreateServiceAccountKey', resourceName: `projects/-/serviceAccounts/${BACKUP_SA}`, resource: { type: 'service_account', labels: { project_id: PROJECT, email_id: BACKUP_SA, unique_id: '104582114921871233371' } }, permission: 'iam.serviceAccountKeys.create', request: { '@type': 'type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest', name: `projects/-/serviceAccounts/${BACKUP_SA}`, private_key_type: 2 }, response: { '@type': 'type.googleapis.com/google.iam.admin.v1.ServiceAccountKey', name: `projects/${PROJECT}/serviceAccounts/${BACKUP_SA}/keys/7f3e2a1b9c8d`, valid_after_time: { seconds: Math.floor(t / 1000) } } }));
const atk2 = { principal: BACKUP_SA, ip: ATTACKER_IP, ua: 'google-cloud-sdk gcloud/460.0.0 command/gcloud.projects.add-iam-policy-binding' };
activity.push(entry({ t: step(95), kind: 'activity', ...atk2, service: 'cloudresourcemanager.googleapis.com', method: 'SetIamPolicy', resourceName: `projects/${PROJECT}`, resource: projectRes, permission: 'resourcemanager.projects.setIamPolicy', request: { '@type': 'type.googleapis.com/google.iam.v1.SetIamPolicyRequest', resource: PROJECT, policy: { bindings: [{ role: 'roles/owner', members: [`user:${OUTSIDER}`, 'user:alice@acme.example'] }], etag: 'BwX1c2Q=' } }, serviceData: { '@type': 'type.googleapis.com/google.iam.v1.logging.AuditData', policyDelta: { bindingDeltas: [{ action: 'ADD', role: 'roles/owner', member: `user:${OUTSIDER}` }] } } }));
activity.push(entry({ t: step(60), kind: 'activity', ...atk2, ua: 'google-cloud-sdk gcloud/460.0.0 command/gcloud.storage.buckets.add-iam-policy-binding', service: 'storage.googleapis.com', method: 'storage.setIamPermissions', resourceName: `projects/_/buckets/${BUCKET}`, resource: bucketRes(BUCKET), permission: 'storage.buckets.setIamPolicy', serviceData: { '@type': 'type.googleapis.com/google.iam.v1.logging.AuditData', policyDelta: { bindingDeltas: [{ action: 'ADD', role: 'roles/storage.objectViewer', member: 'allUsers' }] } } }));
activity.push(entry({ t: step(30), kind: 'activity', ...atk2, ua: 'google-cloud-sdk gcloud/460.0.0 command/gcloud.logging.sinks.delete', service: 'logging.googleapis.com', method: 'google.logging.v2.ConfigServiceV2.DeleteSink', resourceName: `projects/${PROJECT}/sinks/audit-to-siem`, resource: { type: 'logging_sink', labels: { project_id: PROJECT, name: 'audit-to-siem', destination: '' } }, permission: 'logging.sinks.delete' }));
activity.push(entry({ t: step(45), kind: 'activity', ...atk2, ua: 'google-cloud-sdk gcloud/460.0.0 command/gcloud.compute.instances.create', service: 'compute.googleapis.com', method: 'v1.compute.instances.insert', resourceName: `projects/${PROJECT}/zones/us-central1-a/instances/gpu-worker-7`, resource: { type: 'gce_instance', labels: { project_id: PROJECT, zone: 'us-central1-a', instance_id: '5501266238818373456' } }, permission: 'compute.instances.create', request: { '@type': 'type.googleapis.com/compute.instances.insert', name: 'gpu-worker-7', machineType: 'zones/us-central1-a/machineTypes/a2-highgpu-8g' } }));
// anonymous downloads from the now-public bucket
for (let i = 0; i < 25; i++) {
  dataAccess.push(entry({ t: step(4 + Math.floor(rand() * 20)), kind: 'data_access', ip: '192.0.2.200', ua: 'Wget/1.21.4', service: 'storage.googleapis.com', method: 'storage.objects.get', resourceName: `projects/_/buckets/${BUCKET}/objects/db/prod-${String(i).padStart(3, '0')}.sql.gz`, resource: bucketRes(BUCKET), permission: 'storage.objects.get' }));
}

const byTime = (a: Entry, b: Entry) => a.timestamp.localeCompare(b.timestamp);
activity.sort(byTime);
dataAccess.sort(byTime);
mkdirSync(OUT, { recursive: true });
// activity as `gcloud logging read --format=json` (a JSON array, newest first as gcloud prints)
writeFileSync(path.join(OUT, 'activity.json'), `${JSON.stringify([...activity].reverse(), null, 2)}\n`);
// data access as a Cloud Storage sink export: JSON lines
writeFileSync(path.join(OUT, 'data_access.jsonl'), `${dataAccess.map((e) => JSON.stringify(e)).join('\n')}\n`);
process.stdout.write(`wrote ${activity.length} activity and ${dataAccess.length} data_access entries to ${OUT}\n`);
