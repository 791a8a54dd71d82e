/**
 * Filters on the table the CloudTrail loader builds from a whole dataset
 * (2,900 records of invictus-ir_aws_dataset), and as the loader's own
 * record-by-record `filter` option. Expected counts come from jq over the
 * same files, e.g.
 *   jq -s '[.[].Records[]] | map(select(.eventName=="AssumeRole")) | length' *.json
 */
import { beforeAll, describe, expect, it } from 'vitest';
import '../../src/fields/json.js';
import { compile } from '../../src/filter/index.js';
import type { Table } from '../../src/frames/table.js';
import { loadCloudTrail } from '../../src/sources/cloudtrail/index.js';
import { needSharedData, sharedData, skip } from '../helpers.js';

const DIR = 'cloudtrail/invictus-ir_aws_dataset';

const COUNTS: [expr: string, count: number][] = [
  ['ct.name == "AssumeRole"', 49],
  ['ct.error', 300],
  ['ct.error exists', 300],
  ['ct.user.identitytype == "AssumedRole" && ct.error == "Client.UnauthorizedOperation"', 44],
  ['ct.srcip in {10.0.0.0/8 192.168.0.0/16}', 2526],
  ['ct.time >= "2023-07-10T12:00:00Z"', 2102],
  ['ct.src = ssm.amazonaws.com and ct.name startswith Put', 71],
  ['ct.user.identitytype = IAMUser and ct.user != bert-jan', 106],
  ['ct.error in ("ThrottlingException", "AccessDenied")', 118],
  ['ct.error == "ThrottlingException" || ct.error == "AccessDenied"', 118],
  // the table's own columns and Stratoshark protocol names
  ['cloudtrail', 2900],
  ['sysdig || gcpaudit', 0],
  ['time >= "2023-07-10T12:00:00Z"', 2102],
  ['cloudtrail && time < "2023-07-10T12:00:00Z" && ct.error', 77],
  // the condition of Falco's "Console Login Success" rule, and its MFA variant
  ['ct.name="ConsoleLogin" and not ct.error exists and ct.user.identitytype!="AssumedRole"\n  and json.value[/responseElements/ConsoleLogin]="Success"', 2],
  ['ct.name="ConsoleLogin" and json.value[/additionalEventData/MFAUsed]="No"', 1],
];

describe.skipIf(skip(needSharedData(DIR)))('filters on the loaded CloudTrail dataset', () => {
  let table: Table;
  beforeAll(async () => {
    table = (await loadCloudTrail(sharedData(DIR))).table;
  });

  it('loads all 2900 records', () => expect(table.numRows()).toBe(2900));

  it.each(COUNTS)('%s selects %i rows', (expr, count) => {
    expect(compile(expr).count(table)).toBe(count);
    expect(compile(expr).filter(table).numRows()).toBe(count);
  });

  it.each(COUNTS.slice(0, 4))('the loader filter option %s keeps %i records', async (expr, count) => {
    const r = await loadCloudTrail(sharedData(DIR), { filter: expr });
    expect(r.table.numRows()).toBe(count);
  });
});
