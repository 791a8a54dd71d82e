/**
 * The gcp.* fields: every field of Falco's gcpaudit plugin (v0.8.1,
 * pkg/gcpaudit/extract.go) with its exact LogEntry mapping, plus a few
 * stratolab additions (severity, log name and kind, insertId, status) that
 * incident responders filter on and Cloud Logging can filter server-side.
 *
 * Value rules (the plugin's): a missing JSON key or JSON null is absent
 * (null, as the cloudtrail source reads fastjson); a string is itself; any
 * other JSON value is "" — except the
 * object/array fields (authorizationInfo, request, policyDelta), which are
 * compact JSON text here (the plugin yields "" since 2023-09, a regression;
 * see doc/gcp.md), so `gcp.policyDelta contains "allUsers"` works as Falco's
 * rules intend.
 */
import { registerFields } from '../../fields/registry.js';
import type { FieldDef, FieldType, Value } from '../../fields/types.js';
import { compactJson, isObject, pathGetter, strGetter } from './json.js';

export const GCP_SOURCE = 'gcp_auditlog';

type Extract = (entry: unknown) => Value;

interface Spec {
  name: string;
  display: string;
  description: string;
  extract: Extract;
  type?: FieldType;
  /** not in Falco's plugin */
  extension?: boolean;
}

/** The plugin's JSON-path string field. */
const str = (...path: string[]): Extract => strGetter(path);

/** Compact JSON text of an object/array field; absent when the key is missing or JSON null. */
const json = (...path: string[]): Extract => {
  const get = pathGetter(path);
  return (e) => {
    const v = get(e);
    return v === undefined || v === null ? null : compactJson(v);
  };
};

const labelLocation = strGetter(['resource', 'labels', 'location']);
const labelRegion = strGetter(['resource', 'labels', 'region']);
const labelZone = strGetter(['resource', 'labels', 'zone']);
const resourceType = pathGetter(['resource', 'type']);
const bucketDelta = json('protoPayload', 'serviceData', 'policyDelta', 'bindingDeltas');
const datasetDelta = json('protoPayload', 'metadata', 'datasetChange', 'bindingDeltas');
const sinkName = strGetter(['resource', 'labels', 'name']);
const statusCodeRaw = pathGetter(['protoPayload', 'status', 'code']);
const logNameOf = strGetter(['logName']);

/** gcp.location: labels.location, else labels.region, else labels.zone minus its last 2 chars (us-central1-a → us-central1). */
export function gcpLocation(e: unknown): string | null {
  const loc = labelLocation(e);
  if (loc !== null) return loc;
  const region = labelRegion(e);
  if (region !== null) return region;
  const zone = labelZone(e);
  if (zone === null) return null;
  return zone.length > 2 ? zone.slice(0, -2) : zone;
}

/** gcp.policyDelta: the bucket IAM delta for gcs_bucket, else BigQuery's datasetChange delta. */
export function gcpPolicyDelta(e: unknown): string | null {
  return (resourceType(e) === 'gcs_bucket' ? bucketDelta(e) : datasetDelta(e)) as string | null;
}

/**
 * A top-level LogEntry key, exactly as spelled by the API (Panther's
 * lower-cased `logname`/`insertid` are not LogEntry fields: Cloud Logging
 * could not filter on them, so they are not read either).
 */
function topStr(key: string): Extract {
  return strGetter([key]);
}

const logTypeCache = new Map<string, string>();

/** The audit log kind from logName: activity, data_access, system_event, policy (or the log's own name). */
export function gcpLogType(e: unknown): string | null {
  const name = logNameOf(e);
  if (typeof name !== 'string' || name === '') return null;
  let kind = logTypeCache.get(name);
  if (kind === undefined) {
    kind = logTypeOf(name);
    if (logTypeCache.size > 4096) logTypeCache.clear();
    logTypeCache.set(name, kind);
  }
  return kind;
}

function logTypeOf(name: string): string {
  const i = name.lastIndexOf('/logs/');
  let log = i >= 0 ? name.slice(i + 6) : name;
  try {
    log = decodeURIComponent(log);
  } catch {
    log = log.replace(/%2F/gi, '/');
  }
  const prefix = 'cloudaudit.googleapis.com/';
  return log.startsWith(prefix) ? log.slice(prefix.length) : log;
}

/** protoPayload.status.code as a number (0 = OK is absent, as proto3 omits it). */
function statusCode(e: unknown): number | null {
  const c = statusCodeRaw(e);
  if (typeof c === 'number' && Number.isFinite(c)) return c;
  if (typeof c === 'string' && /^-?\d+$/.test(c)) return Number(c);
  return null;
}

const SPECS: Spec[] = [
  { name: 'gcp.user', display: 'User', description: 'GCP principal email who committed the action (protoPayload.authenticationInfo.principalEmail)', extract: str('protoPayload', 'authenticationInfo', 'principalEmail') },
  { name: 'gcp.callerIP', display: 'Caller IP', description: 'GCP principal caller IP (protoPayload.requestMetadata.callerIp)', extract: str('protoPayload', 'requestMetadata', 'callerIp') },
  { name: 'gcp.userAgent', display: 'User Agent', description: 'GCP principal caller user agent (protoPayload.requestMetadata.callerSuppliedUserAgent)', extract: str('protoPayload', 'requestMetadata', 'callerSuppliedUserAgent') },
  { name: 'gcp.authorizationInfo', display: 'Authorization Info', description: 'GCP authorization information affected resource (protoPayload.authorizationInfo, JSON)', extract: json('protoPayload', 'authorizationInfo'), type: 'json' },
  { name: 'gcp.serviceName', display: 'Service Name', description: 'GCP API service name (protoPayload.serviceName)', extract: str('protoPayload', 'serviceName') },
  { name: 'gcp.policyDelta', display: 'Policy', description: 'GCP service resource access policy: bindingDeltas of serviceData.policyDelta (gcs_bucket) or metadata.datasetChange (BigQuery), JSON', extract: gcpPolicyDelta, type: 'json' },
  { name: 'gcp.request', display: 'Request', description: 'GCP API raw request (protoPayload.request, JSON)', extract: json('protoPayload', 'request'), type: 'json' },
  { name: 'gcp.methodName', display: 'Method', description: 'GCP API service method executed (protoPayload.methodName)', extract: str('protoPayload', 'methodName') },
  { name: 'gcp.cloudfunctions.function', display: 'Function Name', description: 'GCF name (resource.labels.function_name)', extract: str('resource', 'labels', 'function_name') },
  { name: 'gcp.cloudsql.databaseId', display: 'Database ID', description: 'GCP SQL database ID (resource.labels.database_id)', extract: str('resource', 'labels', 'database_id') },
  { name: 'gcp.compute.instanceId', display: 'Instance ID', description: 'GCE instance ID (resource.labels.instance_id)', extract: str('resource', 'labels', 'instance_id') },
  { name: 'gcp.compute.networkId', display: 'Network ID', description: 'GCP network ID (resource.labels.network_id)', extract: str('resource', 'labels', 'network_id') },
  { name: 'gcp.compute.subnetwork', display: 'Subnetwork Name', description: 'GCP subnetwork name (resource.labels.subnetwork_name)', extract: str('resource', 'labels', 'subnetwork_name') },
  { name: 'gcp.compute.subnetworkId', display: 'Subnetwork ID', description: 'GCP subnetwork ID (resource.labels.subnetwork_id)', extract: str('resource', 'labels', 'subnetwork_id') },
  { name: 'gcp.dns.zone', display: 'DNS Zone', description: 'GCP DNS zone (resource.labels.zone_name)', extract: str('resource', 'labels', 'zone_name') },
  { name: 'gcp.iam.serviceAccount', display: 'Service Account', description: 'GCP service account (resource.labels.email_id)', extract: str('resource', 'labels', 'email_id') },
  { name: 'gcp.iam.serviceAccountId', display: 'Service Account ID', description: 'GCP IAM unique ID (resource.labels.unique_id)', extract: str('resource', 'labels', 'unique_id') },
  { name: 'gcp.location', display: 'Location', description: 'GCP region: resource.labels.location, else .region, else .zone without its last 2 characters', extract: gcpLocation },
  { name: 'gcp.logging.sink', display: 'Sink', description: 'GCP logging sink (resource.labels.name when resource.type is logging_sink)', extract: (e) => (resourceType(e) === 'logging_sink' ? sinkName(e) : null) },
  { name: 'gcp.projectId', display: 'Project ID', description: 'GCP project ID (resource.labels.project_id)', extract: str('resource', 'labels', 'project_id') },
  { name: 'gcp.resourceName', display: 'Resource Name', description: 'GCP resource name (protoPayload.resourceName)', extract: str('protoPayload', 'resourceName') },
  { name: 'gcp.resourceType', display: 'Resource Type', description: 'GCP resource type (resource.type)', extract: str('resource', 'type') },
  { name: 'gcp.resourceLabels', display: 'Resource Labels', description: 'GCP resource labels (resource.labels, JSON)', extract: json('resource', 'labels'), type: 'json' },
  { name: 'gcp.storage.bucket', display: 'Bucket Name', description: 'GCP bucket name (resource.labels.bucket_name)', extract: str('resource', 'labels', 'bucket_name') },
  { name: 'gcp.time', display: 'Timestamp of the event', description: "Timestamp of the event as the entry's RFC 3339 text (timestamp)", extract: str('timestamp'), type: 'timestamp' },
  // stratolab additions (not in Falco's plugin; see doc/gcp.md)
  { name: 'gcp.severity', display: 'Severity', description: 'LogEntry severity (NOTICE, INFO, ERROR...)', extract: topStr('severity'), extension: true },
  { name: 'gcp.logName', display: 'Log Name', description: 'LogEntry logName (projects/P/logs/cloudaudit.googleapis.com%2Factivity)', extract: topStr('logName'), extension: true },
  { name: 'gcp.logType', display: 'Audit Log', description: 'Audit log kind from logName: activity, data_access, system_event or policy', extract: gcpLogType, extension: true },
  { name: 'gcp.insertId', display: 'Insert ID', description: 'LogEntry insertId (unique per log and timestamp)', extract: topStr('insertId'), extension: true },
  { name: 'gcp.status.code', display: 'Status Code', description: 'google.rpc.Code of the operation (protoPayload.status.code; 7 = PERMISSION_DENIED); absent when OK', extract: statusCode, type: 'number', extension: true },
  { name: 'gcp.status.message', display: 'Status Message', description: 'Error message of the operation (protoPayload.status.message)', extract: str('protoPayload', 'status', 'message'), extension: true },
];

/** The field definitions, in the plugin's order then stratolab's additions. */
export const gcpFields: readonly FieldDef[] = SPECS.map((s) => ({
  name: s.name,
  type: s.type ?? 'string',
  display: s.display,
  description: s.extension ? `${s.description} [stratolab]` : s.description,
  source: GCP_SOURCE,
  extract: (raw: unknown) => (isObject(raw) ? s.extract(raw) : null),
}));

/** Names of the fields Falco's gcpaudit plugin defines (for docs and tests). */
export const FALCO_GCP_FIELDS: readonly string[] = SPECS.filter((s) => !s.extension).map((s) => s.name);

const byName = new Map(SPECS.map((s) => [s.name, s.extract]));

/** The extractor of a gcp.* field over a LogEntry object; throws for an unknown name (a programming error). */
export function gcpExtractor(name: string): (entry: unknown) => Value {
  const f = byName.get(name);
  if (!f) throw new Error(`unknown gcp field ${name}`);
  return (e) => (isObject(e) ? f(e) : null);
}

registerFields(gcpFields);
