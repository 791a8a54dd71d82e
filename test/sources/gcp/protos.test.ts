/**
 * AuditLog protos and the proto3 JSON mapping: real payloads survive an
 * encode/decode round trip, API entries become the JSON files hold, hostile
 * bytes never crash; gcp:// URLs and API error messages.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiEntryToJson } from '../../../src/sources/gcp-audit/api-entry.js';
import { describeApiError } from '../../../src/sources/gcp-audit/api-errors.js';
import { endpointFromEnv } from '../../../src/sources/gcp-audit/client.js';
import { parseGcpUrl } from '../../../src/sources/gcp-audit/gcp-url.js';
import { jsonToMessage, messageToJson, timestampToJson } from '../../../src/sources/gcp-audit/proto-json.js';
import { auditLogType, auditRoot, AUDIT_LOG_TYPE_URL } from '../../../src/sources/gcp-audit/protos.js';
import { needSharedData, sharedData, skip } from '../../helpers.js';
import { entryToProto } from './fake-logging-server.js';

const roundTrip = (payload: Record<string, unknown>) => {
  const t = auditLogType();
  return messageToJson(t, t.decode(t.encode(t.fromObject(jsonToMessage(t, payload)!)).finish()));
};

/** What proto3 cannot carry: empty arrays, "" and 0 scalars, invalid timestamps, payloads of unknown Any types. */
const STRUCTS = new Set(['request', 'response', 'metadata', 'resourceOriginalState', 'thirdPartyPrincipal', 'serviceMetadata', 'thirdPartyClaims', 'payload']);
function proto3View(v: unknown, key = ''): unknown {
  if (STRUCTS.has(key)) return v;
  if (Array.isArray(v)) return v.length ? v.map((x) => proto3View(x)) : undefined;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const y = proto3View(x, k);
      if (y !== undefined) out[k] = y;
    }
    return out;
  }
  if (key !== '' && (v === '' || v === 0)) return undefined;
  if (key === 'time' && typeof v === 'string' && v.startsWith('0000')) return undefined;
  return v;
}

describe.skipIf(skip(needSharedData('gcp')))('AuditLog round trip of the native entries', () => {
  const dirs = ['cloud-custodian_c7n_gcp', 'forseti_real-time-enforcer', 'otel-collector-contrib_auditlog', 'google-cloudevents'];
  const files = dirs.flatMap((d) => readdirSync(sharedData(`gcp/${d}`)).map((f) => `${d}/${f}`));
  // serviceData of BigQuery's legacy AuditData: its proto is not bundled (kept as @type + bytes)
  const BIGQUERY_SERVICE_DATA = new Set(['cloud-custodian_c7n_gcp/bq-create.json', 'cloud-custodian_c7n_gcp/bq-dataset-create.json', 'google-cloudevents/LogEntryData-bigqueryjobcompleted.json']);
  it.each(files)('%s', (file) => {
    const entry = JSON.parse(readFileSync(sharedData(`gcp/${file}`), 'utf8'));
    const { '@type': _t, ...payload } = entry.protoPayload;
    if (BIGQUERY_SERVICE_DATA.has(file)) delete payload.serviceData;
    expect(roundTrip(payload)).toEqual(proto3View(payload));
  });
});

describe('decoding API entries', () => {
  it('turns a gRPC-shaped LogEntry into the JSON gcloud prints', () => {
    const json = {
      logName: 'projects/p/logs/cloudaudit.googleapis.com%2Factivity',
      resource: { type: 'gcs_bucket', labels: { bucket_name: 'b', project_id: 'p' } },
      timestamp: '2024-05-01T10:00:00.123456Z',
      receiveTimestamp: '2024-05-01T10:00:01Z',
      severity: 'NOTICE',
      insertId: 'abc',
      protoPayload: {
        '@type': AUDIT_LOG_TYPE_URL,
        methodName: 'storage.setIamPermissions',
        authenticationInfo: { principalEmail: 'a@b.c' },
        serviceData: {
          '@type': 'type.googleapis.com/google.iam.v1.logging.AuditData',
          policyDelta: { bindingDeltas: [{ action: 'ADD', role: 'roles/storage.objectViewer', member: 'allUsers' }] },
        },
        request: { n: 1.5, ok: false, list: [null, 'x'] },
      },
    };
    // what grpc-js + proto-loader (defaults: true) hand to the client: every field present
    const wire = entryToProto(json) as Record<string, any>;
    const withDefaults = { ...wire, trace: '', spanId: '', traceSampled: false, httpRequest: null, operation: null, labels: {}, payload: 'protoPayload' };
    expect(apiEntryToJson(withDefaults)).toEqual(json);
  });

  it('keeps unknown Any payloads as @type + bytes, and never throws on garbage', () => {
    const any = { type_url: 'type.googleapis.com/example.Unknown', value: Buffer.from([1, 2, 3]) };
    expect(apiEntryToJson({ protoPayload: any, payload: 'protoPayload' })).toEqual({ protoPayload: { '@type': 'type.googleapis.com/example.Unknown', valueBase64: 'AQID' } });
    const bad = { type_url: AUDIT_LOG_TYPE_URL, value: Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x08]) };
    expect(() => apiEntryToJson({ protoPayload: bad, payload: 'protoPayload' })).not.toThrow();
    for (const junk of [null, 1, 'x', [], { timestamp: 'x' }, { timestamp: { seconds: 'abc', nanos: -5 } }, { resource: { labels: 7 } }]) {
      expect(() => apiEntryToJson(junk)).not.toThrow();
    }
    expect(auditRoot().lookupType('google.iam.v1.logging.AuditData')).toBeTruthy();
  });

  it('prints timestamps with 0, 3, 6 or 9 fractional digits', () => {
    expect(timestampToJson({ seconds: '0', nanos: 0 })).toBe('1970-01-01T00:00:00Z');
    expect(timestampToJson({ seconds: '1', nanos: 500_000_000 })).toBe('1970-01-01T00:00:01.500Z');
    expect(timestampToJson({ seconds: '1', nanos: 1000 })).toBe('1970-01-01T00:00:01.000001Z');
    expect(timestampToJson({ seconds: '1', nanos: 1 })).toBe('1970-01-01T00:00:01.000000001Z');
  });
});

describe('gcp:// URLs', () => {
  it.each([
    ['gcp://projects/acme-prod', { parent: 'projects/acme-prod', logName: undefined }],
    ['gcp://acme-prod', { parent: 'projects/acme-prod', logName: undefined }],
    ['gcp://projects/acme-prod/logs/activity', { parent: 'projects/acme-prod', logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity' }],
    ['gcp://projects/acme-prod/logs/cloudaudit.googleapis.com%2Fdata_access', { parent: 'projects/acme-prod', logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Fdata_access' }],
    ['gcp://projects/acme-prod/logs/cloudaudit.googleapis.com/system_event', { parent: 'projects/acme-prod', logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Fsystem_event' }],
    ['gcp://organizations/123456/logs/policy', { parent: 'organizations/123456', logName: 'organizations/123456/logs/cloudaudit.googleapis.com%2Fpolicy' }],
    ['gcp://folders/42', { parent: 'folders/42', logName: undefined }],
  ])('%s', (url, want) => {
    const t = parseGcpUrl(url);
    expect([t.parent, t.logName]).toEqual([want.parent, want.logName]);
  });
  it.each(['gcp://', 'gcp://projects/', 'gcp://projects/a b', 'gcp://projects/p/activity', 'gcp://projects/p/logs/', 'gcp://projects/p/logs/a"b'])('rejects %s', (url) => {
    expect(() => parseGcpUrl(url)).toThrow(/invalid GCP URL/);
  });
  it('reads an endpoint override from the environment', () => {
    expect(endpointFromEnv({ STRATOLAB_GCP_ENDPOINT: '127.0.0.1:8085' })).toMatchObject({ apiEndpoint: '127.0.0.1', port: 8085, universeDomain: 'googleapis.com' });
    expect(endpointFromEnv({ STRATOLAB_GCP_ENDPOINT: 'logging.example.com' })).toEqual({ apiEndpoint: 'logging.example.com', port: 443 });
    expect(endpointFromEnv({})).toEqual({});
  });
});

describe('API errors', () => {
  const ctx = { parent: 'projects/p', query: 'x = "y"', endpoint: 'logging.googleapis.com:443' };
  it.each([
    [{ code: 16, details: 'Request had invalid authentication credentials.' }, /not authenticated to Cloud Logging for projects\/p: set GOOGLE_APPLICATION_CREDENTIALS/],
    [{ code: 3, details: 'Unparseable filter' }, /rejected the query for projects\/p \(INVALID_ARGUMENT\): x = "y" \(server: Unparseable filter\)/],
    [{ code: 5, details: 'Project not found' }, /projects\/p was not found/],
    [{ code: 8, details: 'Quota exceeded' }, /quota exceeded reading projects\/p/],
    [{ code: 14, details: 'No connection established' }, /logging\.googleapis\.com:443 is unreachable/],
    [new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started'), /no Google credentials for projects\/p: set GOOGLE_APPLICATION_CREDENTIALS/],
  ])('%o', (err, msg) => {
    expect(describeApiError(err, ctx).message).toMatch(msg);
  });
});
