/**
 * The @google-cloud/logging client for a gcp:// target. Credentials the
 * Google way: Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS,
 * gcloud's application-default login, the metadata server), or explicit
 * `keyFilename` / `credentials` / `authClient`. An emulator or test server
 * is reached with `apiEndpoint` + `port` (+ `sslCreds`), or the environment
 * variable STRATOLAB_GCP_ENDPOINT=host:port (plaintext for loopback hosts).
 */
import { Logging } from '@google-cloud/logging';
import * as grpc from '@grpc/grpc-js';
import type { GcpTarget } from './gcp-url.js';

/** Options of the live source: `sl.load('gcp://...', {gcp: {...}})`. */
export interface GcpLiveOptions {
  /** project for the client's own bookkeeping (default: the URL's project) */
  projectId?: string;
  /** service host (default logging.googleapis.com) */
  apiEndpoint?: string;
  port?: number;
  /** grpc ChannelCredentials, e.g. grpc.credentials.createInsecure() for a loopback server */
  sslCreds?: unknown;
  keyFilename?: string;
  credentials?: Record<string, unknown>;
  /** a google-auth-library AuthClient */
  authClient?: unknown;
  universeDomain?: string;
  /** entries per page (1..1000, default 1000) */
  pageSize?: number;
  /** retries of a page refused for quota (RESOURCE_EXHAUSTED), default 5, backoff doubling from `quotaBackoffMs` (2000) */
  quotaRetries?: number;
  quotaBackoffMs?: number;
  /** retry of failed pages (DEADLINE_EXCEEDED, UNAVAILABLE, INTERNAL); default: the client library's */
  retry?: {
    retryCodes?: number[];
    initialDelayMs?: number;
    delayMultiplier?: number;
    maxDelayMs?: number;
    /** per-attempt deadline */
    rpcTimeoutMs?: number;
    /** all attempts together */
    totalTimeoutMs?: number;
  };
}

export interface LoggingClient {
  logging: Logging;
  /** host:port, for messages */
  endpoint: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Endpoint options from STRATOLAB_GCP_ENDPOINT (host:port), when set. */
export function endpointFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<GcpLiveOptions> {
  const v = env.STRATOLAB_GCP_ENDPOINT?.trim();
  if (!v) return {};
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(v);
  if (!m) return {};
  const host = m[1]!;
  const out: Partial<GcpLiveOptions> = { apiEndpoint: host.replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : 443 };
  if (LOOPBACK.has(host)) {
    out.sslCreds = grpc.credentials.createInsecure();
    out.universeDomain = 'googleapis.com';
  }
  return out;
}

/** A client for `target`; the caller closes it. */
export function makeLoggingClient(target: GcpTarget, given: GcpLiveOptions = {}): LoggingClient {
  const o = { ...endpointFromEnv(), ...given };
  const config: Record<string, unknown> = {
    projectId: o.projectId ?? (target.kind === 'projects' ? target.id : undefined),
  };
  for (const k of ['apiEndpoint', 'port', 'sslCreds', 'keyFilename', 'credentials', 'authClient', 'universeDomain'] as const) {
    if (o[k] !== undefined) config[k] = o[k];
  }
  if (o.sslCreds !== undefined && o.universeDomain === undefined) config.universeDomain = 'googleapis.com';
  const logging = new Logging(config as any);
  const endpoint = `${o.apiEndpoint ?? 'logging.googleapis.com'}:${o.port ?? 443}`;
  return {
    logging,
    endpoint,
    async close() {
      try {
        await (logging as any).loggingService?.close?.();
      } catch {
        // already closed
      }
    },
  };
}

/** gax call options for the retry settings, or undefined for the library's defaults. */
export function gaxOptions(o: GcpLiveOptions): Record<string, unknown> | undefined {
  const r = o.retry;
  if (!r) return undefined;
  const rpc = r.rpcTimeoutMs ?? 60_000;
  return {
    timeout: rpc,
    retry: {
      retryCodes: r.retryCodes ?? [grpc.status.DEADLINE_EXCEEDED, grpc.status.UNAVAILABLE, grpc.status.INTERNAL],
      backoffSettings: {
        initialRetryDelayMillis: r.initialDelayMs ?? 100,
        retryDelayMultiplier: r.delayMultiplier ?? 1.3,
        maxRetryDelayMillis: r.maxDelayMs ?? 60_000,
        initialRpcTimeoutMillis: rpc,
        rpcTimeoutMultiplier: 1,
        maxRpcTimeoutMillis: rpc,
        totalTimeoutMillis: r.totalTimeoutMs ?? 60_000,
      },
    },
  };
}
