/**
 * `stratolab summary` on the GCP incident fixture (story in
 * fixtures/gcp/README.md): the leaked CI key's denied probing, the owner
 * grant to an outside account, the public bucket, the deleted sink, and
 * the anonymous downloads that followed.
 */
import { describe, expect, it } from 'vitest';
import { needSharedData, sharedData, skip } from '../helpers.js';
import { lines, stratolab } from './run-cli.js';

describe('stratolab summary fixtures/gcp', () => {
  const r = stratolab(['summary', 'fixtures/gcp']);
  const section = (title: string) => {
    const start = r.stdout.indexOf(`## ${title}`);
    const end = r.stdout.indexOf('\n## ', start + 1);
    return start < 0 ? '' : r.stdout.slice(start, end < 0 ? undefined : end);
  };

  it('runs', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('# GCP audit log summary');
  });

  it('shows the denied probing from the attacker IP', () => {
    const row = lines(section('Denied calls by principal and IP')).find((l) => l.includes('ci-deployer@acme-prod.iam.gserviceaccount.com'))!;
    expect(row).toContain('203.0.113.66');
  });

  it('flags the owner grant to an outside account and the public bucket', () => {
    const iam = section('IAM and storage policy changes');
    expect(lines(iam).find((l) => l.includes('roles/owner'))).toMatch(/user:attacker\.ops@gmail\.com PRIVILEGED, OUTSIDE ACCOUNT/);
    expect(lines(iam).find((l) => l.includes('acme-prod-backups'))).toMatch(/allUsers PUBLIC/);
  });

  it('lists the sink deletion and the anonymous downloads', () => {
    expect(section('Notable events')).toMatch(/DeleteSink.*audit-to-siem/s);
    const anon = lines(section('Object reads by principal and bucket')).find((l) => l.trimStart().startsWith('(anonymous)'))!;
    expect(anon).toMatch(/acme-prod-backups\s+25\s+25/);
    expect(anon).toContain('192.0.2.200');
  });
});

describe.skipIf(skip(needSharedData('gcp'), needSharedData('cloudtrail')))('stratolab summary on messy real data', () => {
  it('entries with invalid or missing times (forseti, panther) do not break the report', () => {
    const r = stratolab(['summary', sharedData('gcp'), sharedData('cloudtrail')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('# GCP audit log summary');
    expect(r.stdout).toContain('# CloudTrail summary');
  });
});
