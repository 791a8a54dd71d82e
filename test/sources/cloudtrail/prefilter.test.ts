/**
 * The text prefilter never changes a result: loads with and without it give
 * the same events, on real data of every shape (escaped lookup-events
 * strings, EventBridge, curated records with odd values).
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/filter/index.js';
import { fieldAccessor } from '../../../src/frames/table.js';
import { loadCloudTrail, textPrefilter } from '../../../src/sources/cloudtrail/index.js';
import { needSharedData, sharedData, skip } from '../../helpers.js';

const SETS = ['invictus-ir_aws_dataset', 'plaso', 'awsdocs_cloudtrail-user-guide', 'stratus-red-team_detonation-logs', 'cloud-custodian_cwe_eventbridge', 'panther-analysis', 'otrf_security-datasets/ec2_proxy_s3_exfiltration_2020-09-14011940.json'].map((s) => sharedData(`cloudtrail/${s}`));

const FILTERS = [
  'ct.user.identitytype == "AssumedRole" && ct.name contains "Describe"',
  'ct.name == "ConsoleLogin"',
  'ct.name in {"RunInstances" "TerminateInstances" "CreateUser"}',
  'ct.name = "StopInstances" or ct.name = "StartInstances"',
  'ct.user == "AssumedRole"',
  'ct.shortsrc == "s3" && ct.error',
  'ct.name startswith "Describe" and not ct.error exists',
  'ct.user == "FederatedUser" || ct.user == "AWSAccount"',
  's3.bucket contains "-" && ct.name endswith "Object"',
  'ct.useragent contains "stratus-red-team_"',
  'ct.originaluser == "aws-go-sdk-1688990082523310002"',
  'ct.user.accountid == "012345678901"',
  'ct.name == "DescribeInstances" && ct.user == "fakeusername"',
  'ct.name contains "describe"',
  'not ct.name == "GetObject"',
];

describe('text prefilter', () => {
  it('derives requirements only from sound conditions', () => {
    const has = (e: string) => textPrefilter(compile(e).ast) !== null;
    expect(has('ct.name == "X"')).toBe(true);
    expect(has('ct.name in {"A" "B"}')).toBe(true);
    expect(has('ct.name == "X" || ct.region == "Y"')).toBe(true);
    expect(has('ct.name == "X" || ct.error')).toBe(false);
    expect(has('not ct.name == "X"')).toBe(false);
    expect(has('ct.name icontains "x"')).toBe(false);
    expect(has('ct.name matches "x"')).toBe(false);
    expect(has('ct.name == "a\\"b"')).toBe(false);
    expect(has('ct.srcip == 10.0.0.1')).toBe(false);
    expect(has('ct.info contains "x"')).toBe(false);
    expect(has('lower(ct.name) == "x"')).toBe(false);
    expect(has('json.value[/eventName] == "X"')).toBe(false);
    const p = textPrefilter(compile('ct.name == "ConsoleLogin" && ct.user.identitytype in {"IAMUser" "Root"}').ast)!;
    expect(p('{"eventName":"ConsoleLogin","userIdentity":{"type":"Root"}}')).toBe(true);
    expect(p('{"eventName":"ConsoleLogin","userIdentity":{"type":"AssumedRole"}}')).toBe(false);
    expect(p('{"eventName":"Console\\u004cogin"}')).toBe(true); // escapes: always parsed
  });

  it('the engine compares strings case-sensitively where the prefilter relies on it', () => {
    expect(compile('ct.name contains "describe"').test({ 'ct.name': 'DescribeInstances' })).toBe(false);
    expect(compile('ct.name == "describeinstances"').test({ 'ct.name': 'DescribeInstances' })).toBe(false);
  });

  describe.skipIf(skip(needSharedData('cloudtrail')))('same events with and without it', () => {
    it.each(FILTERS)('%s', async (filter) => {
      const ids = async (prefilter: boolean) => {
        const r = await loadCloudTrail(SETS, { filter, prefilter });
        const get = fieldAccessor(r.table, 'ct.id')!;
        return { ids: Array.from({ length: r.table.numRows() }, (_, i) => get(i)), skipped: r.stats.prefiltered ?? 0 };
      };
      const a = await ids(true);
      const b = await ids(false);
      expect(a.ids).toEqual(b.ids);
      expect(b.skipped).toBe(0);
      if (textPrefilter(compile(filter).ast)) expect(a.skipped).toBeGreaterThan(0);
    });
  });
});
