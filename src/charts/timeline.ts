/**
 * The multi-source timeline: CloudTrail, GCP and syscall events on one time
 * axis, one lane per source (or per value of a chosen field), msticpy-style.
 * Beyond `maxPoints` events a lane is drawn as counts per interval.
 */
import type { Table } from '../frames/table.js';
import { CONFIG, type ChartOptions, emptyChart, intervalLabel, niceInterval, timeFormatFor, titleOf, truncate, VL_SCHEMA, type VegaLiteSpec, WIDTH } from './spec.js';
import { getter, rowIndices, timeGetter } from './rows.js';

export interface TimelineOptions extends ChartOptions {
  /** split lanes by this field instead of by source */
  groupBy?: string;
  /** most individual points before switching to per-interval counts; default 3000 */
  maxPoints?: number;
  /** reference markers: vertical rules with a label */
  refs?: readonly { time: Date | string; label: string }[];
}

const SOURCE_LABEL: Record<string, string> = {
  aws_cloudtrail: 'AWS CloudTrail',
  gcp_auditlog: 'GCP audit',
  syscall: 'syscalls',
};

/** A one-line description of an event of any source. */
function describer(table: Table): (row: number) => string {
  const g = (f: string) => getter(table, f);
  const ctName = g('ct.name');
  const ctUser = g('ct.user');
  const ctErr = g('ct.error');
  const gm = g('gcp.methodName');
  const gu = g('gcp.user');
  const et = g('evt.type');
  const pn = g('proc.name');
  const fd = g('fd.name');
  return (r) => {
    const c = ctName(r);
    if (c !== null) return `${c} by ${ctUser(r) ?? '?'}${ctErr(r) ? ` (${ctErr(r)})` : ''}`;
    const m = gm(r);
    if (m !== null) return `${m} by ${gu(r) ?? '?'}`;
    const t = et(r);
    if (t !== null) return `${pn(r) ?? '?'} ${t}${fd(r) ? ` ${fd(r)}` : ''}`;
    return '';
  };
}

type Input = Table | readonly Table[] | Readonly<Record<string, Table>>;

function isTable(x: unknown): x is Table {
  return typeof x === 'object' && x !== null && typeof (x as Table).numRows === 'function';
}

/** Events of one or several tables on one time axis, one lane per source or group. */
export function timeline(input: Input, opts: TimelineOptions = {}): VegaLiteSpec {
  const title = opts.title ?? 'Timeline';
  const named: [string | null, Table][] = isTable(input)
    ? [[null, input]]
    : Array.isArray(input)
      ? (input as readonly Table[]).map((t) => [null, t] as [null, Table])
      : Object.entries(input as Record<string, Table>);
  const events: { lane: string; ms: number; what: string }[] = [];
  for (const [name, table] of named) {
    const time = timeGetter(table);
    const lane = opts.groupBy ? getter(table, opts.groupBy) : getter(table, 'source');
    const what = describer(table);
    for (const r of rowIndices(table)) {
      const ms = time(r);
      if (!Number.isFinite(ms)) continue;
      const l = opts.groupBy ? lane(r) : (name ?? lane(r));
      const label = l === null ? '(none)' : String(l);
      events.push({ lane: truncate(SOURCE_LABEL[label] ?? label, 40), ms, what: what(r) });
    }
  }
  if (events.length === 0) return emptyChart(title, 'no events', opts);
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of events) {
    if (e.ms < lo) lo = e.ms;
    if (e.ms > hi) hi = e.ms;
  }
  const lanes = [...new Set(events.map((e) => e.lane))];
  // a lane with few events shows each one; a dense lane is counted per interval
  const maxPoints = opts.maxPoints ?? 1500;
  const perLane = new Map<string, number>();
  for (const e of events) perLane.set(e.lane, (perLane.get(e.lane) ?? 0) + 1);
  const dense = new Set([...perLane.entries()].filter(([, n]) => n > maxPoints).map(([l]) => l));
  const interval = niceInterval(hi - lo || 1, 150);
  const layers: Record<string, unknown>[] = [];
  const y = { field: 'lane', type: 'nominal', title: null, sort: lanes };
  const color = { field: 'lane', type: 'nominal', legend: null, scale: { scheme: 'tableau10', domain: lanes } };
  const x = { field: 'time', type: 'temporal', title: 'Time (UTC)', scale: { padding: 12 }, axis: { format: timeFormatFor(hi - lo < 60_000 ? 100 : hi - lo < 3_600_000 ? 1000 : 60_000), labelOverlap: true } };
  const sparse = events.filter((e) => !dense.has(e.lane));
  if (sparse.length) {
    layers.push({
      data: { values: sparse.map((e) => ({ lane: e.lane, time: new Date(e.ms).toISOString(), what: truncate(e.what, 120) })) },
      mark: { type: 'point', shape: 'diamond', filled: true, size: 70, opacity: 0.8, tooltip: true },
      encoding: {
        x,
        y,
        color,
        tooltip: [
          { field: 'time', type: 'temporal', title: 'Time', format: '%Y-%m-%d %H:%M:%S.%L' },
          { field: 'lane', title: 'Lane' },
          { field: 'what', title: 'Event' },
        ],
      },
    });
  }
  if (dense.size) {
    const cells = new Map<string, number>();
    for (const e of events) {
      if (!dense.has(e.lane)) continue;
      const k = `${e.lane}\u0000${Math.floor(e.ms / interval) * interval}`;
      cells.set(k, (cells.get(k) ?? 0) + 1);
    }
    layers.push({
      data: {
        values: [...cells.entries()].map(([k, n]) => {
          const [lane, t] = k.split('\u0000');
          return { lane, time: new Date(Number(t)).toISOString(), events: n };
        }),
      },
      mark: { type: 'circle', opacity: 0.75, tooltip: true },
      encoding: {
        x,
        y,
        size: { field: 'events', type: 'quantitative', title: `Events per ${intervalLabel(interval)}`, scale: { type: 'sqrt', range: [30, 900] } },
        color,
        tooltip: [
          { field: 'lane', title: 'Lane' },
          { field: 'time', type: 'temporal', title: 'From', format: '%Y-%m-%d %H:%M:%S' },
          { field: 'events', title: 'Events' },
        ],
      },
    });
  }
  const subtitle = `${events.length} events in ${lanes.length} lanes${dense.size ? `; dense lanes counted per ${intervalLabel(interval)}` : ''}`;
  if (opts.refs?.length) {
    const refs = opts.refs.map((r) => ({ time: (r.time instanceof Date ? r.time : new Date(r.time)).toISOString(), label: r.label }));
    layers.push({ data: { values: refs }, mark: { type: 'rule', color: '#d62728', strokeDash: [4, 3] }, encoding: { x: { field: 'time', type: 'temporal' } } });
    layers.push({
      data: { values: refs },
      mark: { type: 'text', color: '#d62728', align: 'left', dx: 4, y: 0, baseline: 'top' },
      encoding: { x: { field: 'time', type: 'temporal' }, text: { field: 'label' } },
    });
  }
  return {
    $schema: VL_SCHEMA,
    title: titleOf(title, opts.subtitle ?? subtitle),
    width: opts.width ?? WIDTH,
    height: opts.height ?? Math.max(120, lanes.length * 30),
    config: CONFIG,
    layer: layers,
  };
}
