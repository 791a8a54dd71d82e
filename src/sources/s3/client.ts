/**
 * An S3 client configured the AWS way: the SDK's default credential chain
 * (environment, ~/.aws/credentials and config with AWS_PROFILE, SSO, web
 * identity, instance/container role), the region from the environment or
 * profile (us-east-1 when none), and an endpoint override for S3-compatible
 * stores (`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, or the profile's
 * `endpoint_url`), which switches to path-style addressing.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export interface ClientOptions {
  /** named profile in ~/.aws/config and credentials (default: AWS_PROFILE, else `default`) */
  profile?: string;
  /** endpoint URL of an S3-compatible store (default: AWS_ENDPOINT_URL_S3 / profile endpoint_url) */
  endpoint?: string;
  /** the S3 API region (default: AWS_REGION / profile region / us-east-1) */
  s3Region?: string;
  /** path-style addressing; default: on when a custom endpoint is configured */
  forcePathStyle?: boolean;
  /** sockets per host (default 64; at least the load's concurrency) */
  maxSockets?: number;
}

/** A stalled connection fails (and is retried) instead of hanging the load. */
const CONNECT_TIMEOUT_MS = 10_000;
const IDLE_SOCKET_TIMEOUT_MS = 120_000;

/** The profile's `endpoint_url` in the shared config file, if any (the SDK applies it; we only need to know). */
function configEndpoint(profile: string): string | undefined {
  if (process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  const file = process.env.AWS_CONFIG_FILE ?? path.join(os.homedir(), '.aws', 'config');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const wanted = profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const sec = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (sec) {
      inSection = wanted.includes(sec[1]!.replace(/\s+/g, ' '));
      continue;
    }
    if (!inSection || /^\s/.test(raw)) continue; // indented lines belong to sub-sections (services)
    const kv = /^endpoint_url\s*=\s*(\S+)/.exec(line);
    if (kv) return kv[1];
  }
  return undefined;
}

/** The custom endpoint in effect, or undefined for AWS itself. */
export function customEndpoint(o: ClientOptions = {}): string | undefined {
  return (
    o.endpoint ??
    process.env.AWS_ENDPOINT_URL_S3 ??
    process.env.AWS_ENDPOINT_URL ??
    configEndpoint(o.profile ?? process.env.AWS_PROFILE ?? 'default')
  );
}

/** A client with retries left to the caller (see retry.ts), which also retries mid-body failures. */
export async function makeS3Client(o: ClientOptions = {}): Promise<S3Client> {
  // Node 20 is supported by the pinned SDK; its "upgrade to Node 22" notice is noise on a CLI's stderr.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = customEndpoint(o);
  const config: S3ClientConfig = {
    maxAttempts: 1,
    followRegionRedirects: true,
    forcePathStyle: o.forcePathStyle ?? endpoint !== undefined,
    requestHandler: {
      connectionTimeout: CONNECT_TIMEOUT_MS,
      requestTimeout: IDLE_SOCKET_TIMEOUT_MS,
      httpAgent: { keepAlive: true, maxSockets: Math.max(64, o.maxSockets ?? 0) },
      httpsAgent: { keepAlive: true, maxSockets: Math.max(64, o.maxSockets ?? 0) },
    },
  };
  // passed explicitly: the SDK reads a profile's endpoint_url only for the AWS_PROFILE profile
  if (endpoint) config.endpoint = endpoint;
  if (o.profile) config.profile = o.profile;
  if (o.s3Region) config.region = o.s3Region;
  let client = new S3Client(config);
  try {
    await client.config.region();
  } catch {
    client.destroy();
    client = new S3Client({ ...config, region: 'us-east-1' });
  }
  return client;
}
