import { describe, expect, it } from 'vitest';
import { classifyPrefix, dayPath, isLogKey, nameTimestamp } from '../../../src/sources/s3/layout.js';

const ACC = '218007301253';

describe('where a prefix sits in the CloudTrail delivery layout', () => {
  it.each([
    ['', 'above', ''],
    ['cloudtrail/', 'above', 'cloudtrail/'],
    ['AWSLogs', 'awslogs', 'AWSLogs/'],
    ['AWSLogs/', 'awslogs', 'AWSLogs/'],
    ['trails/AWSLogs/', 'awslogs', 'trails/AWSLogs/'],
    ['AWSLogs/o-a1b2c3d4e5/', 'org', 'AWSLogs/o-a1b2c3d4e5/'],
    [`AWSLogs/${ACC}`, 'account', `AWSLogs/${ACC}/`],
    [`AWSLogs/o-a1b2c3d4e5/${ACC}/`, 'account', `AWSLogs/o-a1b2c3d4e5/${ACC}/`],
    [`AWSLogs/${ACC}/CloudTrail/`, 'cloudtrail', `AWSLogs/${ACC}/CloudTrail/`],
    [`AWSLogs/${ACC}/CloudTrail/us-east-1`, 'region', `AWSLogs/${ACC}/CloudTrail/us-east-1/`],
    [`AWSLogs/${ACC}/CloudTrail/us-gov-west-1/2023/`, 'date', `AWSLogs/${ACC}/CloudTrail/us-gov-west-1/2023/`],
    [`AWSLogs/${ACC}/CloudTrail/us-east-1/2023/07/10/`, 'date', `AWSLogs/${ACC}/CloudTrail/us-east-1/2023/07/10/`],
    [`AWSLogs/12345/`, 'unknown', `AWSLogs/12345/`],
    [`AWSLogs/${ACC}/CloudTrail-Digest/`, 'unknown', `AWSLogs/${ACC}/CloudTrail-Digest/`],
    [`AWSLogs/${ACC}/CloudTrail/us-east-1/2023/07/10/${ACC}_CloudTrail`, 'unknown', `AWSLogs/${ACC}/CloudTrail/us-east-1/2023/07/10/${ACC}_CloudTrail`],
  ])('%j is %s', (prefix, level, listed) => {
    const t = classifyPrefix(prefix);
    expect(t.level).toBe(level);
    expect(t.prefix).toBe(listed);
  });

  it('region and date prefixes know their region root, account and org', () => {
    const t = classifyPrefix(`x/AWSLogs/o-a1b2c3d4e5/${ACC}/CloudTrail/eu-west-3/2024/01/`);
    expect(t).toMatchObject({ level: 'date', org: 'o-a1b2c3d4e5', account: ACC, region: 'eu-west-3', regionRoot: `x/AWSLogs/o-a1b2c3d4e5/${ACC}/CloudTrail/eu-west-3/` });
  });
});

describe('log file names', () => {
  it('the delivery timestamp', () => {
    const t = nameTimestamp(`AWSLogs/${ACC}/CloudTrail/us-east-1/2023/07/10/${ACC}_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json.gz`);
    expect(new Date(t!).toISOString()).toBe('2023-07-10T11:45:00.000Z');
    expect(nameTimestamp('random/file.json.gz')).toBeNull();
    expect(nameTimestamp(`${ACC}_CloudTrail_us-east-1_20231310T1145Z_x.json.gz`)).toBeNull();
  });
  it('log keys: .json and .json.gz, never digests nor insights', () => {
    expect(isLogKey(`a/${ACC}_CloudTrail_us-east-1_20230710T1145Z_x.json.gz`)).toBe(true);
    expect(isLogKey('a/b.json')).toBe(true);
    expect(isLogKey('a/b.txt')).toBe(false);
    expect(isLogKey(`AWSLogs/${ACC}/CloudTrail-Insight/us-east-1/2023/07/10/${ACC}_CloudTrail-Insight_us-east-1_20230710T1200Z_x.json.gz`)).toBe(false);
    expect(isLogKey(`AWSLogs/${ACC}/CloudTrail-Digest/us-east-1/2023/07/10/${ACC}_CloudTrail-Digest_us-east-1_t_us-east-1_20230710T1200Z.json.gz`)).toBe(false);
  });
  it('day folders', () => {
    expect(dayPath(Date.UTC(2023, 6, 9, 23, 59))).toBe('2023/07/09');
  });
});
