/**
 * A first look at GCP audit logs: principals, methods, caller IPs and
 * denied calls.
 */
import { countBy } from '../frames/count-by.js';
import { rowIndices } from '../frames/rows.js';
import { fieldAccessor, type Table } from '../frames/table.js';
import { formatTime, toEpochMs } from '../frames/time.js';
import { textValue } from '../frames/format-value.js';
import { pick, type Report, type Section } from './report.js';

export function summarizeGcp(table: Table, opts: { top?: number } = {}): Report {
  const top = opts.top ?? 10;
  const rows = rowIndices(table);
  const time = fieldAccessor(table, 'time');
  const user = fieldAccessor(table, 'gcp.user');
  const method = fieldAccessor(table, 'gcp.methodName');
  const raw = table.column('raw');
  let first = Infinity;
  let last = -Infinity;
  const denied: unknown[][] = [];
  for (const row of rows) {
    const t = toEpochMs(time?.(row) as any);
    if (t < first) first = t;
    if (t > last) last = t;
    const code = pick(raw?.at(row), 'protoPayload', 'status', 'code');
    if (typeof code === 'number' && code !== 0) {
      denied.push([Number.isNaN(t) ? '' : formatTime(new Date(t)), textValue(user?.(row)) || '?', textValue(method?.(row)) || '?', textValue(pick(raw?.at(row), 'protoPayload', 'status', 'message')) || `code ${code}`]);
    }
  }
  const ranked = (f: string, label: string): Section => {
    const t = fieldAccessor(table, f) ? countBy(table, f, { top }) : null;
    return { title: label, columns: [f, 'count'], rows: t ? t.objects().map((o: any) => [o[f], o.count]) : [] };
  };
  return {
    title: 'GCP audit log summary',
    facts: [
      ['events', String(rows.length)],
      ['time span', Number.isFinite(first) ? `${formatTime(new Date(first))} .. ${formatTime(new Date(last))}` : '-'],
    ],
    sections: [
      ranked('gcp.user', 'Top principals'),
      ranked('gcp.methodName', 'Top methods'),
      ranked('gcp.serviceName', 'Services'),
      ranked('gcp.callerIP', 'Caller IPs'),
      { title: 'Failed or denied calls', columns: ['time', 'principal', 'method', 'status'], rows: denied.slice(0, top * 2) },
    ],
  };
}
