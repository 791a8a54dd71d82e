/** buildCloudTrailTable: materialized columns agree with the registry's extractors; stable time order. */
import { describe, expect, it } from 'vitest';
import { getField } from '../../../src/fields/registry.js';
import { isDictColumn } from '../../../src/frames/columns.js';
import { buildCloudTrailTable, DEFAULT_FIELDS, loadCloudTrail } from '../../../src/sources/cloudtrail/index.js';
import { needSharedData, sharedData, skip } from '../../helpers.js';

describe('buildCloudTrailTable', () => {
  it('sorts by time, stable for equal times, untimed records last, duplicates kept', () => {
    const recs = [
      { eventTime: '2024-01-01T00:00:02Z', eventID: 'c' },
      { eventID: 'untimed' },
      { eventTime: '2024-01-01T00:00:01Z', eventID: 'a' },
      { eventTime: '2024-01-01T00:00:02Z', eventID: 'd' },
      { eventTime: '2024-01-01T00:00:01Z', eventID: 'a' },
      { eventTime: '2024-01-01T00:00:00.500Z', eventID: 'z' },
    ];
    const t = buildCloudTrailTable(recs);
    expect(t.array('ct.id')).toEqual(['z', 'a', 'a', 'c', 'd', 'untimed']);
    expect(isDictColumn(t.column('ct.name'))).toBe(true);
    expect(t.array('source')).toEqual(new Array(6).fill('aws_cloudtrail'));
  });
  it('an empty table has the columns', () => {
    const t = buildCloudTrailTable([]);
    expect(t.numRows()).toBe(0);
    expect(t.columnNames()).toEqual(expect.arrayContaining(['time', 'source', 'raw', ...DEFAULT_FIELDS]));
  });
});

describe.skipIf(skip(needSharedData('cloudtrail')))('materialized columns = registry extractors', () => {
  it.each(['invictus-ir_aws_dataset', 'panther-analysis', 'awsdocs_cloudtrail-user-guide', 'stratus-red-team_detonation-logs', 'zmallen_cloudtrail2sightings'])(
    '%s',
    async (set) => {
      const { table } = await loadCloudTrail(sharedData(`cloudtrail/${set}`));
      const raw = table.array('raw') as object[];
      for (const f of DEFAULT_FIELDS) {
        const col = table.column(f)!;
        const extract = getField(f)!.extract!;
        for (let i = 0; i < raw.length; i++) {
          if (col.at(i) !== extract(raw[i])) expect.fail(`${f} row ${i}: column ${JSON.stringify(col.at(i))} != extract ${JSON.stringify(extract(raw[i]))}`);
        }
      }
    },
  );
});
