/**
 * Summaries per source: the table is split by its `source` column and each
 * part summarized by its own module.
 */
import * as aq from 'arquero';
import type { Table } from '../frames/table.js';
import { summarizeCloudTrail, type CloudTrailSummaryOptions } from './cloudtrail.js';
import { summarizeGcp } from './gcp.js';
import { renderReport, type Report } from './report.js';
import { summarizeSyscalls } from './syscall.js';

export { summarizeCloudTrail, summarizeGcp, summarizeSyscalls, renderReport };
export type { Report, Section } from './report.js';

/** One report per source present in the table. */
export function summarize(table: Table, opts: CloudTrailSummaryOptions = {}): Report[] {
  const col = table.column('source');
  const sources = col ? [...new Set(table.array('source') as unknown[])] : ['aws_cloudtrail'];
  const part = (s: unknown) => (sources.length === 1 || !col ? table : table.filter(aq.escape((d: any) => d.source === s)));
  const reports: Report[] = [];
  for (const s of sources) {
    if (s === 'aws_cloudtrail') reports.push(summarizeCloudTrail(part(s), opts));
    else if (s === 'gcp_auditlog') reports.push(summarizeGcp(part(s), opts));
    else if (s === 'syscall') reports.push(summarizeSyscalls(part(s), opts));
  }
  return reports;
}
