/**
 * The protobuf types of Cloud Audit Logs payloads, loaded once from the
 * .proto files bundled under ./protos (AuditLog written from the documented
 * schema; google.rpc and google.iam.v1 copied from google-gax's protos).
 * google/protobuf/*.proto come with protobufjs itself.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export const PROTO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'protos');

/** The payload types a LogEntry's protoPayload / AuditLog.serviceData / Status.details can carry. */
const FILES = [
  'google/cloud/audit/audit_log.proto',
  'google/iam/v1/logging/audit_data.proto',
  'google/iam/admin/v1/audit_data.proto',
  'google/rpc/error_details.proto',
];

export const AUDIT_LOG_TYPE_URL = 'type.googleapis.com/google.cloud.audit.AuditLog';

let cached: protobuf.Root | null = null;

/** The protobufjs root holding AuditLog and the types its Any fields may name. */
export function auditRoot(): protobuf.Root {
  if (cached) return cached;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : path.join(PROTO_DIR, target));
  root.loadSync(FILES, { keepCase: false });
  root.resolveAll();
  cached = root;
  return root;
}

/** The google.cloud.audit.AuditLog message type. */
export function auditLogType(): protobuf.Type {
  return auditRoot().lookupType('google.cloud.audit.AuditLog');
}
