/**
 * Credentials the Google way over TLS on loopback: no sslCreds override, so
 * the client builds its channel as in production (TLS + call credentials
 * from the auth client) and the server sees the bearer token. The loopback
 * server's self-signed certificate is trusted through grpc-js's
 * GRPC_DEFAULT_SSL_ROOTS_FILE_PATH, set before grpc-js loads.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { needTool, repoRoot, skip } from '../../helpers.js';

const noOpenssl = skip(needTool('openssl'));
const dir = mkdtempSync(path.join(tmpdir(), 'stratolab-gcp-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
if (!noOpenssl) {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  process.env.GRPC_DEFAULT_SSL_ROOTS_FILE_PATH = path.join(dir, 'cert.pem');
}

describe.skipIf(noOpenssl)('gcp:// with an auth client over TLS', () => {
  it('sends the auth client\'s bearer token and reads the entries', async () => {
    const { startFakeLogging } = await import('./fake-logging-server.js');
    const { gcpLoader, loadGcpFiles } = await import('../../../src/sources/gcp-audit/index.js');
    const { OAuth2Client } = await import('google-auth-library');
    const fixture = await loadGcpFiles([path.join(repoRoot, 'fixtures/gcp')]);
    const server = await startFakeLogging(fixture.table.array('raw') as Record<string, unknown>[], {
      tls: { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) },
    });
    try {
      const authClient = new OAuth2Client();
      authClient.setCredentials({ access_token: 'test-token-123', expiry_date: Date.now() + 3_600_000 });
      const r = await gcpLoader.load(['gcp://projects/acme-prod/logs/data_access'], {
        since: '2026-03-14T00:00:00Z',
        until: '2026-03-15T00:00:00Z',
        gcp: { apiEndpoint: '127.0.0.1', port: server.port, authClient },
      });
      expect(r.table.numRows()).toBe((fixture.table.array('gcp.logType') as string[]).filter((t) => t === 'data_access').length);
      expect(server.metadata[0]!.get('authorization')).toEqual(['Bearer test-token-123']);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
