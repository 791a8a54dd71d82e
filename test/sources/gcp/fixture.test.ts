/**
 * The GCP fixture is what its generator writes (deterministic), and it tells
 * the story its README states.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as sl from '../../../src/index.js';
import { repoRoot } from '../../helpers.js';

const fixture = path.join(repoRoot, 'fixtures/gcp');

describe('fixtures/gcp', () => {
  it('regenerates byte for byte', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sl-gcp-fixture-'));
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/gen-gcp-fixture.ts'), dir], { encoding: 'utf8', cwd: repoRoot });
      expect(r.status, r.stderr).toBe(0);
      for (const f of ['activity.json', 'data_access.jsonl']) {
        expect(readFileSync(path.join(dir, f), 'utf8'), f).toBe(readFileSync(path.join(fixture, f), 'utf8'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds the incident of its README', async () => {
    const t = await sl.load(fixture);
    expect(t.numRows()).toBe(197);
    const attacker = sl.filter(t, 'gcp.callerIP == "203.0.113.66"');
    expect(attacker.numRows()).toBe(12);
    expect(sl.filter(attacker, 'gcp.severity == "ERROR"').numRows()).toBe(4);
    const owner = sl.filter(t, 'gcp.methodName == "SetIamPolicy"');
    expect(owner.numRows()).toBe(1);
    expect(JSON.stringify((owner.object(0) as { raw?: unknown }).raw)).toContain('user:attacker.ops@gmail.com');
    const pub = sl.filter(t, 'gcp.policyDelta contains "allUsers"');
    expect(pub.array('gcp.storage.bucket')).toEqual(['acme-prod-backups']);
    expect(sl.filter(t, 'gcp.storage.bucket == "acme-prod-backups" && !gcp.user && gcp.callerIP == "192.0.2.200"').numRows()).toBe(25);
    expect(sl.select(sl.filter(t, 'gcp.methodName contains "DeleteSink"'), ['gcp.logging.sink']).array('gcp.logging.sink')).toEqual(['audit-to-siem']);
  });
});
