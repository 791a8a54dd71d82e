/**
 * `-T text`: one line per event, as the source's own tool prints it.
 * CloudTrail: the time, then the plugin's Info text (ct.info). GCP: the
 * time, then its info. Syscalls: sysdig's default line (the scap module's
 * formatEventLine).
 */
import { fieldAccessor, type Table } from '../frames/table.js';
import { textValue } from '../frames/format-value.js';
import { formatTime, toDate } from '../frames/time.js';
import { importSource } from '../sources/registry.js';

export type LineOf = (row: number) => string;

function timeText(v: unknown): string {
  const d = toDate(v as any);
  return d ? formatTime(d) : '-';
}

/** A function giving the text line of a table row, choosing by the row's `source` column. */
export async function textLines(table: Table): Promise<LineOf> {
  const time = fieldAccessor(table, 'time');
  const source = table.column('source');
  const sources = new Set<string>();
  if (source) {
    // the distinct sources present (dictionary columns expose them directly)
    const dict = (source as any).dict as readonly string[] | undefined;
    if (dict) dict.forEach((s) => sources.add(s));
    else for (let i = 0; i < Math.min(table.totalRows(), 100_000); i++) sources.add(String(source.at(i)));
  }
  const per = new Map<string, LineOf>();
  const generic = genericLine(table);
  for (const s of sources) {
    if (s === 'aws_cloudtrail') {
      const info = fieldAccessor(table, 'ct.info');
      if (info) per.set(s, (row) => `${timeText(time?.(row))} ${textValue(info(row))}`);
    } else if (s === 'gcp_auditlog') {
      per.set(s, await gcpLine(table));
    } else if (s === 'syscall') {
      const line = await syscallLine(table);
      // in a timeline mixed with cloud events, lead with the full RFC 3339 time too
      if (line) per.set(s, sources.size > 1 ? (row) => `${timeText(time?.(row))} ${line(row)}` : line);
    }
  }
  if (per.size === 1 && sources.size === 1) return [...per.values()][0]!;
  return (row) => {
    const s = source?.at(row);
    const f = s == null ? undefined : per.get(String(s));
    return f ? f(row) : generic(row);
  };
}

/** GCP: time, then the gcp module's gcpInfo of the entry, else principal, method and resource. */
async function gcpLine(table: Table): Promise<LineOf> {
  const time = fieldAccessor(table, 'time');
  const raw = table.column('raw');
  let gcpInfo: ((entry: unknown) => string) | undefined;
  try {
    const mod = await importSource('gcp');
    if (typeof mod.gcpInfo === 'function') gcpInfo = mod.gcpInfo as (entry: unknown) => string;
  } catch {
    gcpInfo = undefined;
  }
  if (gcpInfo && raw) return (row) => `${timeText(time?.(row))} ${gcpInfo!(raw.at(row))}`;
  const user = fieldAccessor(table, 'gcp.user');
  const method = fieldAccessor(table, 'gcp.methodName');
  const resource = fieldAccessor(table, 'gcp.resourceName');
  const ip = fieldAccessor(table, 'gcp.callerIP');
  return (row) => {
    const u = textValue(user?.(row)) || '-';
    const from = textValue(ip?.(row));
    return `${timeText(time?.(row))} ${u}${from ? ` via ${from}` : ''} ${textValue(method?.(row)) || '-'} ${textValue(resource?.(row))}`.trimEnd();
  };
}

/** Syscalls: the scap module's formatEventLine on a row view, else a sysdig-like line from the columns. */
async function syscallLine(table: Table): Promise<LineOf | null> {
  let format: ((row: any) => string) | undefined;
  try {
    const mod = await importSource('scap');
    if (typeof mod.formatEventLine === 'function') format = mod.formatEventLine as (row: any) => string;
  } catch {
    format = undefined;
  }
  if (format) {
    const view = rowView(table);
    return (row) => format!(view(row));
  }
  const get = (f: string) => fieldAccessor(table, f);
  const [num, time, cpu, proc, tid, dir, type, args] = ['evt.num', 'time', 'evt.cpu', 'proc.name', 'thread.tid', 'evt.dir', 'evt.type', 'evt.args'].map(get);
  return (row) =>
    `${textValue(num?.(row))} ${timeText(time?.(row))} ${textValue(cpu?.(row))} ${textValue(proc?.(row))} (${textValue(tid?.(row))}) ${textValue(dir?.(row))} ${textValue(type?.(row))} ${textValue(args?.(row))}`;
}

/**
 * A row of a table as an object whose properties are field values
 * (columns or lazy fields), plus `get(field)` and `row` (the index), for
 * formatters written against one event.
 */
export function rowView(table: Table): (row: number) => Record<string, unknown> & { get(field: string): unknown; row: number } {
  const cache = new Map<string, ((row: number) => unknown) | null>();
  const acc = (f: string) => {
    let a = cache.get(f);
    if (a === undefined) {
      a = fieldAccessor(table, f);
      cache.set(f, a);
    }
    return a;
  };
  return (row) =>
    new Proxy({ row } as any, {
      get(target, prop) {
        if (prop === 'row') return row;
        if (prop === 'get') return (f: string) => acc(f)?.(row) ?? null;
        if (prop === 'table') return table;
        if (typeof prop !== 'string') return target[prop];
        const a = acc(prop);
        return a ? a(row) : undefined;
      },
      has(_t, prop) {
        return typeof prop === 'string' && acc(prop) !== null;
      },
    });
}

/** Any other source: the time, then every non-raw column as name=value. */
function genericLine(table: Table): LineOf {
  const time = fieldAccessor(table, 'time');
  const names = table.columnNames().filter((n) => n !== 'time' && n !== 'raw' && n !== 'source');
  const cols = names.map((n) => [n, table.column(n)!] as const);
  return (row) =>
    `${timeText(time?.(row))} ` +
    cols
      .map(([n, c]) => [n, c.at(row)] as const)
      .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
      .map(([n, v]) => `${n}=${textValue(v)}`)
      .join(' ');
}
