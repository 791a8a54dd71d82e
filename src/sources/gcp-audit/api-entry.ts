/**
 * Cloud Logging API entries → the LogEntry JSON files hold (what
 * `gcloud logging read --format=json` prints): the gRPC client delivers
 * protobuf-shaped objects (every default present, Timestamps as
 * {seconds, nanos}, protoPayload as a raw Any); this applies the proto3 JSON
 * mapping, decoding the AuditLog payload with the bundled protos.
 */
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import { isObject } from './json.js';
import { messageToJson } from './proto-json.js';
import { auditRoot } from './protos.js';
import type { LogEntry } from './unwrap.js';

let logEntryType: protobuf.Type | null = null;

/** google.logging.v2.LogEntry from the descriptors @google-cloud/logging ships (no .proto parsing). */
export function loggingEntryType(): protobuf.Type {
  if (logEntryType) return logEntryType;
  const req = createRequire(import.meta.url);
  let json: protobuf.INamespace;
  try {
    json = req('@google-cloud/logging-api/build/protos/protos.json');
  } catch {
    // not hoisted: resolve it next to @google-cloud/logging
    const fromLogging = createRequire(req.resolve('@google-cloud/logging'));
    json = fromLogging('@google-cloud/logging-api/build/protos/protos.json');
  }
  const root = protobuf.Root.fromJSON(json);
  root.resolveAll();
  logEntryType = root.lookupType('google.logging.v2.LogEntry');
  return logEntryType;
}

/** The LogEntry JSON of one entry as the API client returns it; null when it is not an object. */
export function apiEntryToJson(entry: unknown): LogEntry | null {
  if (!isObject(entry)) return null;
  const json = messageToJson(loggingEntryType(), entry, auditRoot());
  return isObject(json) ? json : null;
}
