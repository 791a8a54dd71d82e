/**
 * A Cloud Logging server on loopback for tests: google.logging.v2.
 * LoggingServiceV2/ListLogEntries over grpc-js + proto-loader (the protos
 * @google-cloud/logging ships), serving LogEntry JSON with protoPayload
 * encoded as an Any of AuditLog, filtered by the Logging query interpreter,
 * ordered and paginated as the real service. Failures can be injected.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { jsonToMessage } from '../../../src/sources/gcp-audit/proto-json.js';
import { auditRoot, AUDIT_LOG_TYPE_URL } from '../../../src/sources/gcp-audit/protos.js';
import { loggingEntryType } from '../../../src/sources/gcp-audit/api-entry.js';
import { compileLoggingQuery } from '../../../src/sources/gcp-audit/logging-query.js';
import { parseTimestamp } from '../../../src/filter/values.js';

const req = createRequire(import.meta.url);
const LOGGING_PROTOS = path.join(path.dirname(req.resolve('@google-cloud/logging-api/package.json')), 'build/protos');
const GAX_PROTOS = path.join(path.dirname(req.resolve('google-gax/package.json')), 'build/protos');

export interface ListRequest {
  resourceNames: string[];
  filter: string;
  orderBy: string;
  pageSize: number;
  pageToken: string;
}

export interface FakeServer {
  port: number;
  /** every ListLogEntries request received, in order */
  requests: ListRequest[];
  /** metadata of each request (authorization header etc.) */
  metadata: grpc.Metadata[];
  /** answer the next `times` calls with this error instead */
  failNext(code: grpc.status, details: string, times?: number): void;
  /** answer the next `times` calls only after `ms` milliseconds */
  delayNext(ms: number, times?: number): void;
  stop(): Promise<void>;
}

/** The entry as the API would store it: an AuditLog payload always carries its @type. */
export function normalizeForApi(entry: Record<string, unknown>): Record<string, unknown> {
  const pp = entry.protoPayload;
  if (typeof pp !== 'object' || pp === null || Array.isArray(pp)) return entry;
  const { at_sign_type: _a, at_type: _b, ...rest } = pp as Record<string, unknown>;
  return { ...entry, protoPayload: { ...rest, '@type': AUDIT_LOG_TYPE_URL } };
}

/** proto-loader object form of a LogEntry JSON (protoPayload packed as Any). */
export function entryToProto(entry: Record<string, unknown>): Record<string, unknown> {
  return jsonToMessage(loggingEntryType(), normalizeForApi(entry), auditRoot()) ?? {};
}

export async function startFakeLogging(
  entries: readonly Record<string, unknown>[],
  opts: { tls?: { key: Buffer; cert: Buffer } } = {},
): Promise<FakeServer> {
  const def = protoLoader.loadSync('google/logging/v2/logging.proto', {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
    includeDirs: [LOGGING_PROTOS, GAX_PROTOS],
  });
  const pkg = grpc.loadPackageDefinition(def) as any;
  const service = pkg.google.logging.v2.LoggingServiceV2.service;
  const stored = entries.map((e) => ({ json: normalizeForApi(e), proto: entryToProto(e) }));
  const requests: ListRequest[] = [];
  const metadata: grpc.Metadata[] = [];
  let failures: { code: grpc.status; details: string; times: number } | null = null;
  let delays: { ms: number; times: number } | null = null;

  const server = new grpc.Server();
  server.addService(service, {
    listLogEntries(call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) {
      const r = call.request;
      const request: ListRequest = {
        resourceNames: r.resourceNames ?? [],
        filter: r.filter ?? '',
        orderBy: r.orderBy ?? '',
        pageSize: r.pageSize ?? 0,
        pageToken: r.pageToken ?? '',
      };
      requests.push(request);
      metadata.push(call.metadata);
      if (failures && failures.times > 0) {
        failures.times--;
        cb({ code: failures.code, details: failures.details });
        return;
      }
      if (delays && delays.times > 0) {
        delays.times--;
        const ms = delays.ms;
        setTimeout(() => answer(request, cb), ms);
        return;
      }
      answer(request, cb);
    },
  });

  function answer(request: ListRequest, cb: grpc.sendUnaryData<any>): void {
    let match: (e: unknown) => boolean;
    try {
      match = compileLoggingQuery(request.filter);
    } catch (err: any) {
      cb({ code: grpc.status.INVALID_ARGUMENT, details: `invalid filter: ${err.message}` });
      return;
    }
    const projects = request.resourceNames.map((n) => n.replace(/^projects\//, ''));
    const ns = (e: { json: Record<string, unknown> }) => {
      const t = e.json.timestamp ?? e.json.receiveTimestamp;
      return (typeof t === 'string' ? parseTimestamp(t) : null) ?? 0n;
    };
    let hits = stored.filter((e) => {
      const logName = e.json.logName;
      const inProject = typeof logName === 'string' && projects.some((p) => logName.startsWith(`projects/${p}/`));
      return inProject && match(e.json);
    });
    hits = hits
      .map((e, i) => ({ e, i }))
      .sort((a, b) => {
        const d = ns(a.e) - ns(b.e);
        const c = d < 0n ? -1 : d > 0n ? 1 : a.i - b.i;
        return request.orderBy.includes('desc') ? -c : c;
      })
      .map((x) => x.e);
    const size = request.pageSize > 0 ? request.pageSize : 50;
    const start = request.pageToken ? Number(request.pageToken.replace(/^page-/, '')) : 0;
    const page = hits.slice(start, start + size);
    const next = start + size < hits.length ? `page-${start + size}` : '';
    cb(null, { entries: page.map((e) => e.proto), nextPageToken: next });
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      '127.0.0.1:0',
      opts.tls ? grpc.ServerCredentials.createSsl(null, [{ private_key: opts.tls.key, cert_chain: opts.tls.cert }]) : grpc.ServerCredentials.createInsecure(),
      (err, p) => (err ? reject(err) : resolve(p)),
    ),
  );
  return {
    port,
    requests,
    metadata,
    failNext(code, details, times = 1) {
      failures = { code, details, times };
    },
    delayNext(ms, times = 1) {
      delays = { ms, times };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000).unref();
      }),
  };
}
