/**
 * A real S3 endpoint on loopback for tests and the bench: s3rver started as a
 * child process (port chosen by the OS), behind a small HTTP proxy that
 * counts object GETs and can answer 403 AccessDenied or 503 SlowDown for
 * chosen keys. Requests are forwarded byte for byte (s3rver checks the
 * access key id, not signatures).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../helpers.js';

export interface TestS3 {
  /** the proxy's URL: what clients use as endpoint */
  endpoint: string;
  /** s3rver's own URL (no counting, no faults) */
  direct: string;
  /** object GETs (not listings) seen by the proxy, by key */
  gets: Map<string, number>;
  /** ListObjects requests seen by the proxy */
  lists: { n: number };
  /** delay added to every request, to look like a remote S3 (ms) */
  latency: { ms: number };
  /** keys answered 403 AccessDenied on GET */
  denied: Set<string>;
  /** listings whose Prefix starts with one of these are answered 403 AccessDenied */
  deniedLists: Set<string>;
  /** keys answered 503 SlowDown on their next N GETs */
  slowDown: Map<string, number>;
  /** keys whose next N GETs send the headers and part of the body, then reset the connection */
  cutBody: Map<string, number>;
  totalGets(): number;
  resetCounts(): void;
  stop(): Promise<void>;
}

const DELIMITER_FIX = path.join(path.dirname(fileURLToPath(import.meta.url)), 's3rver-delimiter-fix.cjs');

function startS3rver(dir: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'node_modules/s3rver/bin/s3rver.js'), '-d', dir, '-a', '127.0.0.1', '-p', '0', '--configure-bucket', 'trail'],
      {
        env: { ...process.env, NODE_OPTIONS: `--openssl-legacy-provider --require ${DELIMITER_FIX}` },
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (out.length < 10_000) out += d.toString();
      const m = /listening on [\d.]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
        out = 'started';
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      if (out.length < 10_000) out += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code}: ${out}`));
    });
  });
}

const xmlError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

/** Starts s3rver (bucket `trail`) and the proxy in front of it. */
export async function startTestS3(): Promise<TestS3> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 's3rver-'));
  const { child, port } = await startS3rver(dir);
  const gets = new Map<string, number>();
  const lists = { n: 0 };
  const latency = { ms: 0 };
  const denied = new Set<string>();
  const deniedLists = new Set<string>();
  const slowDown = new Map<string, number>();
  const cutBody = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const proxy = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/');
    const key = decodeURIComponent(parts.slice(2).join('/'));
    const isObjectGet = req.method === 'GET' && key !== '' && !url.searchParams.has('list-type');
    if (req.method === 'GET' && key === '' && parts[1]) {
      lists.n++;
      const prefix = url.searchParams.get('prefix') ?? '';
      if ([...deniedLists].some((d) => prefix.startsWith(d))) {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end(xmlError('AccessDenied', 'Access Denied'));
        req.resume();
        return;
      }
    }
    if (isObjectGet) {
      gets.set(key, (gets.get(key) ?? 0) + 1);
      if (denied.has(key)) {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end(xmlError('AccessDenied', 'Access Denied'));
        req.resume();
        return;
      }
      const slow = slowDown.get(key) ?? 0;
      if (slow > 0) {
        slowDown.set(key, slow - 1);
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end(xmlError('SlowDown', 'Please reduce your request rate.'));
        req.resume();
        return;
      }
    }
    if (latency.ms > 0) {
      req.pause();
      setTimeout(() => forward(req, res, isObjectGet, key), latency.ms);
    } else forward(req, res, isObjectGet, key);
  });

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, isObjectGet: boolean, key: string) => {
    const cut = isObjectGet && (cutBody.get(key) ?? 0) > 0;
    if (cut) cutBody.set(key, cutBody.get(key)! - 1);
    const up = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent },
      (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        if (!cut) {
          ur.pipe(res);
          return;
        }
        // half the body, then a reset: what a dropped connection looks like to the client
        const half = Math.floor(Number(ur.headers['content-length'] ?? 2) / 2);
        let sent = 0;
        ur.on('data', (d: Buffer) => {
          if (sent >= half) return;
          const part = d.subarray(0, half - sent);
          sent += part.length;
          res.write(part);
          if (sent >= half) setTimeout(() => res.socket?.resetAndDestroy(), 20);
        });
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
    req.resume();
  };
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const pport = (proxy.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${pport}`,
    direct: `http://127.0.0.1:${port}`,
    gets,
    lists,
    latency,
    denied,
    deniedLists,
    slowDown,
    cutBody,
    totalGets: () => [...gets.values()].reduce((a, b) => a + b, 0),
    resetCounts() {
      gets.clear();
      lists.n = 0;
    },
    async stop() {
      const closed = new Promise<void>((r) => proxy.close(() => r()));
      proxy.closeAllConnections();
      await closed;
      agent.destroy();
      if (child.pid && child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(child.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
