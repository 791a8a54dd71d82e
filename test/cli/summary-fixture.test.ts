/**
 * `stratolab summary` (the `npm start` job) on the committed incident
 * fixture: the report must surface what fixtures/cloudtrail-ground-truth.json
 * says happened.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers.js';
import { lines, stratolab } from './run-cli.js';

const truth = JSON.parse(readFileSync(path.join(repoRoot, 'fixtures/cloudtrail-ground-truth.json'), 'utf8'));

describe('stratolab summary fixtures/cloudtrail', () => {
  const r = stratolab(['summary', 'fixtures/cloudtrail']);
  const out = r.stdout;
  const section = (title: string) => {
    const start = out.indexOf(`## ${title}`);
    const end = out.indexOf('\n## ', start + 1);
    return out.slice(start, end < 0 ? undefined : end);
  };

  it('runs and counts every event', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(out).toContain(`events:     ${truth.total}`);
  });

  it('shows the leaked key user’s AccessDenied burst from the attacker IP', () => {
    const burst = lines(section('AccessDenied bursts')).find((l) => l.trimStart().startsWith(truth.leakedKeyUser + ' '));
    expect(burst).toBeDefined();
    expect(burst).toContain(truth.attackerIps[0]);
    const errors = lines(section('Errors by code and principal')).filter((l) => l.includes(truth.leakedKeyUser));
    // the ground truth counts every failed call of the attacker (AccessDenied*, InvalidClientTokenId)
    const failed = errors.reduce((n, l) => n + Number(l.trim().split(/\s+/).pop()), 0);
    expect(failed).toBe(truth.accessDeniedFromAttacker);
  });

  it('lists the persistence steps and the console login without MFA', () => {
    const notable = section('Notable events');
    expect(notable).toContain(`user=${truth.createdUser}`);
    expect(notable).toContain(truth.persistenceAccessKeyId);
    expect(notable).toContain(truth.attachedPolicy);
    const login = lines(notable).find((l) => l.includes('console login without MFA'))!;
    expect(login).toContain(truth.consoleLoginWithoutMfa.user);
    expect(login).toContain(truth.consoleLoginWithoutMfa.ip);
  });

  it('follows the role chain and shows the exfiltration', () => {
    expect(section('AssumeRole chains')).toContain(`${truth.roleChain[0]} (IAMUser) -> ${truth.roleChain.slice(1).join(' -> ')}`);
    const exfil = lines(section('S3 reads by principal and bucket')).find((l) => l.includes(truth.exfiltration.bucket))!;
    expect(exfil).toMatch(new RegExp(`\\s${truth.exfiltration.objects}\\s`));
    expect(exfil).toContain(`${(truth.exfiltration.bytes / 1e9).toFixed(1)} GB`);
    expect(exfil).toContain(truth.exfiltration.first);
    expect(exfil).toContain(truth.exfiltration.last);
  });
});
