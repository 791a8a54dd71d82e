/**
 * The incident fixture (fixtures/cloudtrail, made by scripts/gen-cloudtrail-fixture.ts)
 * read back through the loader and the filter engine: the findings of
 * fixtures/cloudtrail/README.md, against the ground truth the generator
 * counted while writing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../src/filter/index.js';
import { fieldAccessor, type Table } from '../../../src/frames/table.js';
import { loadCloudTrail } from '../../../src/sources/cloudtrail/index.js';
import { repoRoot } from '../../helpers.js';

const DIR = path.join(repoRoot, 'fixtures/cloudtrail');
const truth = JSON.parse(readFileSync(path.join(repoRoot, 'fixtures/cloudtrail-ground-truth.json'), 'utf8'));

describe('CloudTrail incident fixture', () => {
  let t: Table;
  const where = (expr: string) => compile(expr).filter(t);
  const values = (v: Table, f: string) => {
    const m = /^([^[]+)(?:\[(.*)\])?$/.exec(f)!;
    const get = fieldAccessor(v, m[1]!, m[2])!;
    const out: unknown[] = [];
    v.scan((row?: number) => void out.push(get(row!)), true);
    return out;
  };

  beforeAll(async () => {
    const r = await loadCloudTrail(DIR);
    expect(r.failed).toEqual([]);
    expect(r.warnings).toEqual([]);
    t = r.table;
  });

  it('the delivery layout: every file under AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/', async () => {
    const r = await loadCloudTrail(DIR);
    expect(r.stats.objectsListed).toBe(246);
    expect(t.numRows()).toBe(truth.total);
    expect(new Set(values(t, 'ct.recipientaccountid'))).toEqual(new Set([truth.account]));
  });

  it('the leaked key: first use, attacker addresses, failures', () => {
    const leaked = where(`json.value[/userIdentity/accessKeyId] == "${truth.leakedAccessKeyId}" && ct.srcip != 192.0.2.15`);
    const first = values(leaked, 'ct.id')[0];
    expect(first).toBe(truth.firstMaliciousEvent);
    expect((leaked.array('time') as Date[])[0]!.toISOString()).toBe('2024-03-12T14:02:11.000Z');
    expect(new Set(values(leaked, 'ct.srcip'))).toEqual(new Set([truth.attackerIps[0]]));
    expect(where('ct.srcip in {203.0.113.77 203.0.113.78}').numRows()).toBe(truth.attackerEvents);
    expect(where('ct.srcip.v4 == 203.0.113.0/24').numRows()).toBe(truth.attackerEvents); // Stratoshark's generated address field
    expect(where('ct.error && ct.srcip == 203.0.113.77').numRows()).toBe(truth.accessDeniedFromAttacker);
  });

  it('persistence: the created user, its admin policy and access key', () => {
    const p = where('ct.name in {"CreateUser" "CreateAccessKey" "AttachUserPolicy" "CreateLoginProfile"}');
    expect(values(p, 'ct.name')).toEqual(['CreateUser', 'AttachUserPolicy', 'CreateAccessKey', 'CreateLoginProfile']);
    expect(new Set(values(p, 'ct.request.username'))).toEqual(new Set([truth.createdUser]));
    expect(values(where('ct.name == "AttachUserPolicy"'), 'json.value[/requestParameters/policyArn]')).toEqual([truth.attachedPolicy]);
    expect(values(where('ct.name == "CreateAccessKey" && ct.srcip == 203.0.113.77'), 'json.value[/responseElements/accessKey/accessKeyId]')).toEqual([
      truth.persistenceAccessKeyId,
    ]);
  });

  it("Falco's console-login-without-MFA condition finds exactly the attacker's login", () => {
    const v = where(
      'ct.name="ConsoleLogin" and not ct.error exists and ct.user.identitytype!="AssumedRole" and json.value[/responseElements/ConsoleLogin]="Success" and json.value[/additionalEventData/MFAUsed]="No"',
    );
    expect(values(v, 'ct.id')).toEqual([truth.consoleLoginWithoutMfa.eventId]);
    expect(values(v, 'ct.user')).toEqual([truth.consoleLoginWithoutMfa.user]);
    expect(values(v, 'ct.srcip')).toEqual([truth.consoleLoginWithoutMfa.ip]);
  });

  it('the assumed-role chain from the attacker address', () => {
    const v = where('ct.name == "AssumeRole" && ct.srcip == 203.0.113.78');
    expect(values(v, 'ct.user')).toEqual(truth.roleChain.slice(0, 2));
    expect(values(v, 'json.value[/requestParameters/roleArn]')).toEqual(truth.roleChain.slice(1).map((r: string) => `arn:aws:iam::${truth.account}:role/${r}`));
    expect(new Set(values(where('ct.user == "DataPipelineRole"'), 'ct.originaluser'))).toEqual(new Set(['backup-sync']));
  });

  it('exfiltration: objects, bytes, first and last', () => {
    const v = where(`s3.bucket == "${truth.exfiltration.bucket}" && ct.name == "GetObject"`);
    expect(v.numRows()).toBe(truth.exfiltration.objects);
    const bytes = values(v, 's3.bytes') as number[];
    expect(bytes.reduce((a, b) => a + b, 0)).toBe(truth.exfiltration.bytes);
    const times = v.array('time') as Date[];
    expect(times[0]!.toISOString().replace('.000', '')).toBe(truth.exfiltration.first);
    expect(times[times.length - 1]!.toISOString().replace('.000', '')).toBe(truth.exfiltration.last);
  });

  it('the one record with an HTML user agent', () => {
    const v = where('ct.useragent contains "<img"');
    expect(values(v, 'ct.id')).toEqual([truth.xssUserAgentEventId]);
    expect(values(v, 'ct.useragent')).toEqual(['<img src=x onerror=alert(1)>']);
  });

  it('containment on day 2', () => {
    const v = where(`ct.name == "UpdateAccessKey" && json.value[/requestParameters/accessKeyId] == "${truth.leakedAccessKeyId}"`);
    expect((v.array('time') as Date[]).map((d) => d.toISOString().replace('.000', ''))).toEqual([truth.containment]);
    expect(values(v, 'ct.user')).toEqual(['OpsAdmin']);
    expect(values(v, 'ct.originaluser')).toEqual([truth.responder]);
  });
});
