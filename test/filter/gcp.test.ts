/**
 * Filters on the GCP audit-log table the gcp source builds from
 * cloud-custodian's 46 LogEntries. Expected counts from jq over the files,
 * e.g. jq -s 'map(select(.protoPayload.serviceName=="compute.googleapis.com"))|length' *.json
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/filter/index.js';
import type { Table } from '../../src/frames/table.js';
import { loadGcpFiles } from '../../src/sources/gcp-audit/read-files.js';
import { needSharedData, sharedData, skip } from '../helpers.js';

const DIR = 'gcp/cloud-custodian_c7n_gcp';

const COUNTS: [expr: string, count: number][] = [
  ['gcpaudit', 46],
  ['cloudtrail', 0],
  ['gcp.methodName contains "create"', 7],
  ['gcp.methodName icontains insert', 8],
  ['gcp.methodName matches "insert"', 8],
  ['gcp.serviceName == "compute.googleapis.com"', 22],
  ['gcp.serviceName = compute.googleapis.com', 22],
  ['gcp.serviceName in ("bigquery.googleapis.com", "cloudkms.googleapis.com", "dns.googleapis.com")', 9],
  ['gcp.serviceName != "compute.googleapis.com"', 24],
  ['gcp.user endswith "@gmail.com"', 24],
  ['gcp.user startswith "system:"', 2],
  ['gcp.user == "yauhen_shaliou@comelfo.com" && gcp.serviceName == "compute.googleapis.com"', 18],
  ['gcp.callerIP == 86.57.255.0/24', 11],
  ['gcp.callerIP in {86.57.255.0/24 1.1.1.1}', 13],
];

describe.skipIf(skip(needSharedData(DIR)))('filters on the loaded GCP audit logs', () => {
  let table: Table;
  beforeAll(async () => {
    table = (await loadGcpFiles([sharedData(DIR)])).table;
  });

  it('loads all 46 entries', () => expect(table.numRows()).toBe(46));

  it.each(COUNTS)('%s selects %i rows', (expr, count) => {
    expect(compile(expr).count(table)).toBe(count);
  });
});
