/**
 * gcp.* fields over the real entries in ../shared/data/gcp, with expected
 * values read from the JSON by hand (Falco gcpaudit's mapping, §2.1 of the
 * reference): present and absent cases, the gcp.location fallback, the
 * logging_sink and gcs_bucket conditions, and JSON text for object fields.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getField } from '../../../src/fields/registry.js';
import { FALCO_GCP_FIELDS, gcpExtractor, gcpFields, gcpInfo } from '../../../src/sources/gcp-audit/index.js';
import { needSharedData, sharedData, skip } from '../../helpers.js';

/** The entry of a one-entry file, or line `line` (1-based) of a JSON lines file, parsed independently of the reader. */
function entry(rel: string, line?: number): unknown {
  const text = readFileSync(sharedData(`gcp/${rel}`), 'utf8');
  return JSON.parse(line === undefined ? text : text.split('\n')[line - 1]!);
}

const CC = 'cloud-custodian_c7n_gcp';
const FS = 'forseti_real-time-enforcer';
const OT = 'otel-collector-contrib_auditlog';
const PA = 'panther-analysis/gcp_audit_rule_test_events.jsonl';
const PL = 'plaso/gcp_logging.jsonl';

type Case = [file: string, line: number | undefined, field: string, expected: string | number | null];

const CASES: Case[] = [
  // protoPayload strings
  [`${CC}/bq-create.json`, undefined, 'gcp.user', 'kapilt@gmail.com'],
  [`${CC}/bq-create.json`, undefined, 'gcp.callerIP', '65.114.164.50'],
  [`${CC}/bq-create.json`, undefined, 'gcp.userAgent', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.0.2 Safari/605.1.15,gzip(gfe)'],
  [`${CC}/bq-create.json`, undefined, 'gcp.serviceName', 'bigquery.googleapis.com'],
  [`${CC}/bq-create.json`, undefined, 'gcp.methodName', 'datasetservice.insert'],
  [`${CC}/bq-create.json`, undefined, 'gcp.resourceName', 'projects/custodian-1291/datasets'],
  [`${CC}/bq-create.json`, undefined, 'gcp.resourceType', 'bigquery_resource'],
  [`${CC}/bq-create.json`, undefined, 'gcp.projectId', 'custodian-1291'],
  [`${CC}/bq-create.json`, undefined, 'gcp.resourceLabels', '{"project_id":"custodian-1291"}'],
  [`${CC}/bq-create.json`, undefined, 'gcp.time', '2018-12-24T07:56:33.708Z'],
  [`${CC}/bq-create.json`, undefined, 'gcp.authorizationInfo', '[{"resource":"projects/custodian-1291","permission":"bigquery.datasets.create","granted":true}]'],
  // absent: no request, no policy delta, no location labels, no bucket
  [`${CC}/bq-create.json`, undefined, 'gcp.request', null],
  [`${CC}/bq-create.json`, undefined, 'gcp.policyDelta', null],
  [`${CC}/bq-create.json`, undefined, 'gcp.location', null],
  [`${CC}/bq-create.json`, undefined, 'gcp.storage.bucket', null],
  [`${CC}/bq-create.json`, undefined, 'gcp.logging.sink', null],
  // VPC-SC policy denial: empty authenticationInfo, no user agent
  [`${OT}/policy.json`, undefined, 'gcp.user', null],
  [`${OT}/policy.json`, undefined, 'gcp.userAgent', null],
  [`${OT}/policy.json`, undefined, 'gcp.callerIP', '192.168.1.1'],
  [`${OT}/policy.json`, undefined, 'gcp.resourceType', 'audited_resource'],
  [`${OT}/policy.json`, undefined, 'gcp.projectId', 'elastic-siem'],
  [`${OT}/policy.json`, undefined, 'gcp.time', '2021-09-13T03:10:14.801613786Z'],
  // gcp.location: labels.location, else region, else zone minus 2 chars
  [`${CC}/autoscaler-insert.json`, undefined, 'gcp.location', 'us-central1-a'],
  [`${CC}/dns-managed-zone-create.json`, undefined, 'gcp.location', 'global'],
  [`${CC}/spanner-instance-get.json`, undefined, 'gcp.location', ''],
  [`${CC}/df-job-create.json`, undefined, 'gcp.location', 'us-central1'],
  [`${FS}/cloudfunctions-set-iam-policy.json`, undefined, 'gcp.location', 'us-central1'],
  [`${CC}/lb-target-instances-get.json`, undefined, 'gcp.location', 'us-central1'],
  [`${FS}/compute-hardened-images.json`, undefined, 'gcp.location', 'us-west1'],
  [PL, 6, 'gcp.location', 'us-central1'],
  // a zone label holding a region is still cut, as the plugin does
  [`${CC}/lb-target-pools-get.json`, undefined, 'gcp.location', 'us-centra'],
  // resource labels
  [`${FS}/cloudfunctions-set-iam-policy.json`, undefined, 'gcp.cloudfunctions.function', 'example_function'],
  [`${CC}/sql-backup-create.json`, undefined, 'gcp.cloudsql.databaseId', 'cloud-custodian:custodian-postgres'],
  [`${FS}/compute-hardened-images.json`, undefined, 'gcp.compute.instanceId', '4224659083998119362'],
  [`${CC}/spanner-instance-get.json`, undefined, 'gcp.compute.instanceId', 'custodian-spanner-1'],
  [PL, 1, 'gcp.compute.networkId', '4881930676783516364'],
  [`${FS}/compute-subnetworks-enable-flow-logs.json`, undefined, 'gcp.compute.subnetwork', 'example'],
  [`${FS}/compute-subnetworks-enable-flow-logs.json`, undefined, 'gcp.compute.subnetworkId', '00000000000000000'],
  [`${FS}/compute-subnetworks-enable-flow-logs.json`, undefined, 'gcp.location', 'us-east1'],
  [`${CC}/dns-managed-zone-create.json`, undefined, 'gcp.dns.zone', 'custodian'],
  [PL, 5, 'gcp.iam.serviceAccount', 'test-1@fake-project.iam.gserviceaccount.com'],
  [PL, 5, 'gcp.iam.serviceAccountId', '103128253349260544953'],
  [PL, 5, 'gcp.methodName', 'google.iam.admin.v1.CreateServiceAccount'],
  [PL, 5, 'gcp.request', '{"@type":"type.googleapis.com/google.iam.admin.v1.CreateServiceAccountRequest","account_id":"test-1","name":"projects/fake-project","service_account":{"display_name":"test"}}'],
  [PL, 1, 'gcp.compute.instanceId', null],
  // gcp.logging.sink only for logging_sink resources
  [`${CC}/log-create-project-sink.json`, undefined, 'gcp.logging.sink', 'testqqqqqqqqqqqqqqqqq'],
  [PA, 11, 'gcp.logging.sink', 'log-sink'],
  [`${CC}/bq-create.json`, undefined, 'gcp.logging.sink', null],
  // gcp.policyDelta: bucket IAM delta for gcs_bucket, as JSON text
  [PA, 43, 'gcp.policyDelta', '[{"action":"ADD","role":"roles/storage.objectViewer","member":"allUsers"}]'],
  [PA, 43, 'gcp.storage.bucket', 'jacks-test-bucket'],
  [PA, 43, 'gcp.methodName', 'storage.setIamPermissions'],
  [PA, 43, 'gcp.callerIP', '136.24.229.58'],
  [PA, 47, 'gcp.policyDelta', null],
  [`${FS}/bigtable-set-iam-policy.json`, undefined, 'gcp.request', '{"resource":"projects/example-project/instances/example-instance","@type":"type.googleapis.com/google.iam.v1.SetIamPolicyRequest","policy":{"bindings":[{"role":"roles/bigtable.viewer","members":["group:allUsers"]}]}}'],
  [`${FS}/bigtable-set-iam-policy.json`, undefined, 'gcp.time', '2000-01-01T00:00:01.333165743Z'],
  // sanitised: invalid timestamp text kept as is; empty request metadata
  [`${FS}/app-engine-debug.json`, undefined, 'gcp.time', '0000-00-00T00:00:00.000Z'],
  [`${FS}/app-engine-debug.json`, undefined, 'gcp.callerIP', null],
  // Panther: resource is a "..." placeholder string; Panther time format kept as text
  [PA, 7, 'gcp.resourceType', null],
  [PA, 7, 'gcp.projectId', null],
  [PA, 7, 'gcp.resourceLabels', null],
  [PA, 7, 'gcp.time', '2024-02-02 09:36:21.212182000'],
  [PA, 7, 'gcp.methodName', 'google.cloud.run.v1.Services.CreateService'],
  // entries without protoPayload: resource fields only
  [PL, 9, 'gcp.methodName', null],
  [PL, 9, 'gcp.user', null],
  [PL, 9, 'gcp.projectId', 'fake-project'],
  [PL, 9, 'gcp.location', ''],
  // stratolab additions
  [`${OT}/policy.json`, undefined, 'gcp.severity', 'ERROR'],
  [`${OT}/policy.json`, undefined, 'gcp.logType', 'policy'],
  [`${OT}/policy.json`, undefined, 'gcp.logName', 'projects/elastic-siem/logs/cloudaudit.googleapis.com%2Fpolicy'],
  [`${OT}/policy.json`, undefined, 'gcp.status.code', 7],
  [`${OT}/policy.json`, undefined, 'gcp.status.message', 'PERMISSION_DENIED'],
  [`${OT}/policy.json`, undefined, 'gcp.insertId', 'd21cmyd7av9'],
  [`${OT}/data_access.json`, undefined, 'gcp.logType', 'data_access'],
  [`${OT}/system_event.json`, undefined, 'gcp.logType', 'system_event'],
  [`${OT}/activity.json`, undefined, 'gcp.logType', 'activity'],
  [`${CC}/bq-create.json`, undefined, 'gcp.status.code', null],
  [PL, 9, 'gcp.logType', 'testlog'],
];

describe.skipIf(skip(needSharedData('gcp')))('gcp.* fields on real entries', () => {
  it.each(CASES)('%s:%s %s = %j', (file, line, field, expected) => {
    const e = entry(file, line);
    expect(gcpExtractor(field)(e)).toEqual(expected);
    // the registered field extracts the same from a table's raw column
    expect(getField(field)!.extract!(e)).toEqual(expected);
  });
});

describe('gcp.* field registry', () => {
  it('defines every field of Falco gcpaudit v0.8.1, in its order', () => {
    expect(FALCO_GCP_FIELDS).toEqual([
      'gcp.user', 'gcp.callerIP', 'gcp.userAgent', 'gcp.authorizationInfo', 'gcp.serviceName', 'gcp.policyDelta',
      'gcp.request', 'gcp.methodName', 'gcp.cloudfunctions.function', 'gcp.cloudsql.databaseId', 'gcp.compute.instanceId',
      'gcp.compute.networkId', 'gcp.compute.subnetwork', 'gcp.compute.subnetworkId', 'gcp.dns.zone', 'gcp.iam.serviceAccount',
      'gcp.iam.serviceAccountId', 'gcp.location', 'gcp.logging.sink', 'gcp.projectId', 'gcp.resourceName', 'gcp.resourceType',
      'gcp.resourceLabels', 'gcp.storage.bucket', 'gcp.time',
    ]);
    for (const f of gcpFields) expect(f.source).toBe('gcp_auditlog');
    expect(getField('gcp.location')!.display).toBe('Location');
    expect(getField('gcp.policyDelta')!.type).toBe('json');
  });

  it('follows the plugin for non-string JSON values: present as "" (JSON null: absent)', () => {
    const e = { protoPayload: { methodName: 42, serviceName: null, request: null, authenticationInfo: { principalEmail: { a: 1 } } } };
    expect(gcpExtractor('gcp.methodName')(e)).toBe('');
    expect(gcpExtractor('gcp.serviceName')(e)).toBe(null);
    expect(gcpExtractor('gcp.request')(e)).toBe(null);
    expect(gcpExtractor('gcp.user')(e)).toBe('');
  });

  it('never throws on hostile shapes', () => {
    for (const bad of [null, 1, 'x', [], { protoPayload: 'x' }, { resource: [] }, { resource: { labels: 'x', type: 5 } }]) {
      for (const f of gcpFields) expect(() => f.extract!(bad)).not.toThrow();
    }
    expect(gcpExtractor('gcp.location')({ resource: { labels: { zone: 'ab' } } })).toBe('ab');
  });
});

describe.skipIf(skip(needSharedData('gcp')))('gcpInfo', () => {
  it('summarises who did what from where, and failures', () => {
    expect(gcpInfo(entry(`${CC}/bq-create.json`))).toBe('kapilt@gmail.com via 65.114.164.50 datasetservice.insert projects/custodian-1291/datasets');
    expect(gcpInfo(entry(`${OT}/policy.json`))).toBe('<unknown principal> via 192.168.1.1 !google.storage.buckets.get projects/elastic-siem (PERMISSION_DENIED)');
    expect(gcpInfo({ raw: entry(PL, 9) })).toBe('[testlog] This is a text payload');
  });
});
