/**
 * Cloud activity (CloudTrail and GCP audit logs): who called what, when,
 * what failed, and from where. Aggregated here, so specs stay small even
 * for hundreds of thousands of events.
 */
import type { Table } from '../frames/table.js';
import type { Value } from '../fields/types.js';
import { CONFIG, type ChartOptions, emptyChart, intervalLabel, niceInterval, titleOf, truncate, VL_SCHEMA, type VegaLiteSpec, WIDTH } from './spec.js';
import { firstOf, getter, rowIndices, timeGetter } from './rows.js';

const PRINCIPAL = ['ct.user', 'ct.user.arn', 'ct.user.principalid', 'gcp.user'];
const CALL = ['ct.name', 'gcp.methodName'];
const SOURCE_IP = ['ct.srcip', 'gcp.callerIP'];

export interface ActivityOptions extends ChartOptions {
  /** which panel: calls per principal over time, top calls per principal, errors over time, source IPs; default all four */
  panel?: 'heatmap' | 'calls' | 'errors' | 'sourceips' | 'all';
  /** how many principals / calls / IPs to show before folding the rest into "other" */
  top?: number;
  /** bucket width in ms; chosen from the time span when absent */
  intervalMs?: number;
}

/** The error code of a row: ct.error for CloudTrail, the status code of a GCP AuditLog. */
function errorGetter(table: Table): (row: number) => string | null {
  const ct = table.column('ct.error') ? getter(table, 'ct.error') : null;
  const raw = table.column('raw');
  const source = table.column('source') ? getter(table, 'source') : null;
  return (row) => {
    const e = ct?.(row);
    if (e !== null && e !== undefined && e !== '') return String(e);
    if (raw && source?.(row) === 'gcp_auditlog') {
      const r = raw.at(row) as { protoPayload?: { status?: { code?: number; message?: string } } } | null;
      const code = r?.protoPayload?.status?.code;
      if (typeof code === 'number' && code !== 0) return grpcCodeName(code);
    }
    return null;
  };
}

const GRPC_CODES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];
function grpcCodeName(code: number): string {
  return GRPC_CODES[code] ?? `code ${code}`;
}

function text(v: Value): string | null {
  if (v === null || v === undefined || v === '') return null;
  return String(v);
}

/** Counts by key, the top N kept and the rest folded into "other (N more)". */
function topKeys(counts: Map<string, number>, top: number): Set<string> {
  return new Set([...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top).map(([k]) => k));
}

interface Agg {
  rows: ArrayLike<number> & Iterable<number>;
  time: (row: number) => number;
  principal: (row: number) => string;
  call: (row: number) => string;
  span: [number, number];
}

function prepare(table: Table): Agg | null {
  const rows = rowIndices(table);
  if (rows.length === 0) return null;
  const time = timeGetter(table);
  const p = firstOf(table, PRINCIPAL);
  const c = firstOf(table, CALL);
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    const t = time(r);
    if (Number.isFinite(t)) {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
  }
  if (!Number.isFinite(lo)) lo = hi = 0;
  return {
    rows,
    time,
    principal: (r) => text(p(r)) ?? '(unknown principal)',
    call: (r) => text(c(r)) ?? '(no call name)',
    span: [lo, hi],
  };
}

/** Calls per principal over time, as a heatmap (principal x time bucket, color = calls). */
function heatmap(a: Agg, o: ActivityOptions): VegaLiteSpec {
  const interval = o.intervalMs ?? niceInterval(a.span[1] - a.span[0] || 1, 48);
  const top = o.top ?? 20;
  const byP = new Map<string, number>();
  for (const r of a.rows) byP.set(a.principal(r), (byP.get(a.principal(r)) ?? 0) + 1);
  const keep = topKeys(byP, top);
  const other = byP.size - keep.size;
  const cells = new Map<string, number>();
  for (const r of a.rows) {
    const t = a.time(r);
    if (!Number.isFinite(t)) continue;
    const p0 = a.principal(r);
    const p = keep.has(p0) ? p0 : `other (${other} principals)`;
    const k = `${p}\u0000${Math.floor(t / interval) * interval}`;
    cells.set(k, (cells.get(k) ?? 0) + 1);
  }
  const values = [...cells.entries()].map(([k, n]) => {
    const [p, t] = k.split('\u0000');
    return { principal: truncate(p!, 60), start: new Date(Number(t)).toISOString(), end: new Date(Number(t) + interval).toISOString(), calls: n };
  });
  return {
    $schema: VL_SCHEMA,
    title: titleOf(o.title ?? 'API calls per principal over time', o.subtitle ?? `${a.rows.length} events, ${intervalLabel(interval)} buckets`),
    width: o.width ?? WIDTH,
    config: CONFIG,
    data: { values },
    mark: { type: 'rect', tooltip: true },
    encoding: {
      x: { field: 'start', type: 'temporal', title: `Time (UTC, ${intervalLabel(interval)} buckets)`, axis: { format: '%m-%d %H:%M' } },
      x2: { field: 'end' },
      y: { field: 'principal', type: 'nominal', title: 'Principal', sort: '-color' },
      color: { field: 'calls', type: 'quantitative', title: 'Calls (log)', scale: { type: 'log', scheme: 'orangered' } },
      tooltip: [
        { field: 'principal', title: 'Principal' },
        { field: 'start', type: 'temporal', title: 'From', format: '%Y-%m-%d %H:%M:%S' },
        { field: 'calls', title: 'Calls' },
      ],
    },
  };
}

/** Top API calls per principal: horizontal bars, stacked by call. */
function calls(a: Agg, o: ActivityOptions): VegaLiteSpec {
  const top = o.top ?? 15;
  const byP = new Map<string, number>();
  const byC = new Map<string, number>();
  for (const r of a.rows) {
    byP.set(a.principal(r), (byP.get(a.principal(r)) ?? 0) + 1);
    byC.set(a.call(r), (byC.get(a.call(r)) ?? 0) + 1);
  }
  const keepP = topKeys(byP, top);
  const keepC = topKeys(byC, 10);
  const cells = new Map<string, number>();
  for (const r of a.rows) {
    const p = a.principal(r);
    if (!keepP.has(p)) continue;
    const c = keepC.has(a.call(r)) ? a.call(r) : 'other calls';
    const k = `${p}\u0000${c}`;
    cells.set(k, (cells.get(k) ?? 0) + 1);
  }
  const values = [...cells.entries()].map(([k, n]) => {
    const [p, c] = k.split('\u0000');
    return { principal: truncate(p!, 60), call: c, calls: n };
  });
  return {
    $schema: VL_SCHEMA,
    title: titleOf(o.title ?? 'Top API calls per principal', o.subtitle ?? `top ${keepP.size} principals of ${byP.size}, top 10 calls of ${byC.size}`),
    width: o.width ?? WIDTH,
    config: CONFIG,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'principal', type: 'nominal', title: 'Principal', sort: '-x' },
      x: { aggregate: 'sum', field: 'calls', type: 'quantitative', title: 'Calls (count)' },
      color: { field: 'call', type: 'nominal', title: 'API call', scale: { scheme: 'tableau20' } },
      tooltip: [
        { field: 'principal', title: 'Principal' },
        { field: 'call', title: 'API call' },
        { field: 'calls', title: 'Calls' },
      ],
    },
  };
}

/** Errors (AccessDenied, PERMISSION_DENIED, ...) over time, stacked by error code. */
function errors(table: Table, a: Agg, o: ActivityOptions): VegaLiteSpec {
  const err = errorGetter(table);
  const interval = o.intervalMs ?? niceInterval(a.span[1] - a.span[0] || 1, 60);
  const byErr = new Map<string, number>();
  for (const r of a.rows) {
    const e = err(r);
    if (e) byErr.set(e, (byErr.get(e) ?? 0) + 1);
  }
  const keep = topKeys(byErr, 9);
  const cells = new Map<string, number>();
  let total = 0;
  for (const r of a.rows) {
    const e0 = err(r);
    const e = e0 && !keep.has(e0) ? `other (${byErr.size - keep.size} codes)` : e0;
    const t = a.time(r);
    if (!e || !Number.isFinite(t)) continue;
    total++;
    const k = `${e}\u0000${Math.floor(t / interval) * interval}`;
    cells.set(k, (cells.get(k) ?? 0) + 1);
  }
  const title = o.title ?? 'Errors over time';
  if (total === 0) return emptyChart(title, 'no errors', o);
  const values = [...cells.entries()].map(([k, n]) => {
    const [e, t] = k.split('\u0000');
    return { error: e, start: new Date(Number(t)).toISOString(), end: new Date(Number(t) + interval).toISOString(), count: n };
  });
  return {
    $schema: VL_SCHEMA,
    title: titleOf(title, o.subtitle ?? `${total} failed calls of ${a.rows.length}, ${intervalLabel(interval)} buckets`),
    width: o.width ?? WIDTH,
    height: o.height ?? 220,
    config: CONFIG,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: {
        field: 'start',
        type: 'temporal',
        title: `Time (UTC, ${intervalLabel(interval)} buckets)`,
        // the whole table's time range, so errors are seen against the activity around them
        scale: { domain: [new Date(a.span[0]).toISOString(), new Date(a.span[1] + interval).toISOString()] },
      },
      x2: { field: 'end' },
      y: { aggregate: 'sum', field: 'count', type: 'quantitative', title: `Failed calls per ${intervalLabel(interval)}` },
      color: { field: 'error', type: 'nominal', title: 'Error code', scale: { scheme: 'tableau10' } },
      tooltip: [
        { field: 'error', title: 'Error' },
        { field: 'start', type: 'temporal', title: 'From', format: '%Y-%m-%d %H:%M:%S' },
        { field: 'count', title: 'Count' },
      ],
    },
  };
}

/** Source IPs: calls per source IP, split by principal. */
function sourceIps(table: Table, a: Agg, o: ActivityOptions): VegaLiteSpec {
  const ip = firstOf(table, SOURCE_IP);
  const top = o.top ?? 15;
  const byIp = new Map<string, number>();
  for (const r of a.rows) {
    const v = text(ip(r)) ?? '(no source IP)';
    byIp.set(v, (byIp.get(v) ?? 0) + 1);
  }
  const keep = topKeys(byIp, top);
  const cells = new Map<string, number>();
  const principals = new Map<string, number>();
  for (const r of a.rows) {
    const v = text(ip(r)) ?? '(no source IP)';
    if (!keep.has(v)) continue;
    const k = `${truncate(v, 50)}\u0000${truncate(a.principal(r), 50)}`;
    cells.set(k, (cells.get(k) ?? 0) + 1);
    principals.set(a.principal(r), 1);
  }
  const values = [...cells.entries()].map(([k, n]) => {
    const [s, p] = k.split('\u0000');
    return { ip: s, principal: p, calls: n };
  });
  return {
    $schema: VL_SCHEMA,
    title: titleOf(o.title ?? 'Calls by source IP', o.subtitle ?? `top ${keep.size} of ${byIp.size} source IPs`),
    width: o.width ?? WIDTH,
    config: CONFIG,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'ip', type: 'nominal', title: 'Source IP (or service)', sort: '-x' },
      x: { aggregate: 'sum', field: 'calls', type: 'quantitative', title: 'Calls (count)' },
      color: { field: 'principal', type: 'nominal', title: 'Principal', scale: { scheme: 'tableau20' }, legend: principals.size > 20 ? null : {} },
      tooltip: [
        { field: 'ip', title: 'Source IP' },
        { field: 'principal', title: 'Principal' },
        { field: 'calls', title: 'Calls' },
      ],
    },
  };
}

/**
 * Cloud activity of a CloudTrail or GCP audit table: calls per principal
 * over time (heatmap), top API calls per principal, errors over time, and
 * the source-IP breakdown; one panel or all four stacked.
 */
export function activity(table: Table, opts: ActivityOptions = {}): VegaLiteSpec {
  const a = prepare(table);
  const panel = opts.panel ?? 'all';
  if (!a) return emptyChart(opts.title ?? 'Cloud activity', 'no events', opts);
  if (panel === 'heatmap') return heatmap(a, opts);
  if (panel === 'calls') return calls(a, opts);
  if (panel === 'errors') return errors(table, a, opts);
  if (panel === 'sourceips') return sourceIps(table, a, opts);
  const strip = (s: VegaLiteSpec) => {
    const { $schema: _s, config: _c, ...rest } = s;
    return rest;
  };
  return {
    $schema: VL_SCHEMA,
    title: titleOf(opts.title ?? 'Cloud activity', opts.subtitle ?? `${a.rows.length} events from ${new Date(a.span[0]).toISOString()} to ${new Date(a.span[1]).toISOString()}`),
    config: CONFIG,
    vconcat: [
      strip(heatmap(a, { ...opts, title: undefined, subtitle: undefined })),
      strip(calls(a, { ...opts, title: undefined, subtitle: undefined })),
      strip(errors(table, a, { ...opts, title: undefined, subtitle: undefined })),
      strip(sourceIps(table, a, { ...opts, title: undefined, subtitle: undefined })),
    ],
    resolve: { scale: { color: 'independent' } },
  };
}
