/**
 * I/O graph (Stratoshark's): events per interval for one or several
 * filters on one chart.
 */
import type { Table } from '../frames/table.js';
import { compile } from '../filter/index.js';
import { CONFIG, type ChartOptions, emptyChart, intervalLabel, niceInterval, timeFormatFor, titleOf, VL_SCHEMA, type VegaLiteSpec, WIDTH } from './spec.js';
import { rowIndices, timeGetter } from './rows.js';

/** One line of the graph: all events, or those a filter selects. */
export interface IoSeries {
  label: string;
  /** a Wireshark- or Falco-syntax filter; absent = every event */
  filter?: string;
}

export interface IoGraphOptions extends ChartOptions {
  /** the lines to draw; a string is a filter labelled by itself; default: all events */
  series?: readonly (string | IoSeries)[];
  /** bucket width in ms; chosen from the time span when absent */
  intervalMs?: number;
}

/** Events per interval for each series, zero-filled so lines drop to 0 where nothing happened. */
export function ioGraph(table: Table, opts: IoGraphOptions = {}): VegaLiteSpec {
  const title = opts.title ?? 'Events over time';
  const series: IoSeries[] = (opts.series ?? [{ label: 'all events' }]).map((s) => (typeof s === 'string' ? { label: s, filter: s } : s));
  const time = timeGetter(table);
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rowIndices(table)) {
    const t = time(r);
    if (Number.isFinite(t)) {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
  }
  if (!Number.isFinite(lo)) return emptyChart(title, 'no events', opts);
  const interval = opts.intervalMs ?? niceInterval(hi - lo || 1, 80);
  const first = Math.floor(lo / interval) * interval;
  const nb = Math.floor((hi - first) / interval) + 1;
  const values: { series: string; start: string; events: number }[] = [];
  for (const s of series) {
    const sub = s.filter ? compile(s.filter).filter(table) : table;
    const counts = new Array<number>(nb).fill(0);
    for (const r of rowIndices(sub)) {
      const t = time(r);
      if (Number.isFinite(t)) counts[Math.floor((t - first) / interval)]!++;
    }
    counts.forEach((n, i) => values.push({ series: s.label, start: new Date(first + i * interval).toISOString(), events: n }));
  }
  return {
    $schema: VL_SCHEMA,
    title: titleOf(title, opts.subtitle ?? `${intervalLabel(interval)} intervals`),
    width: opts.width ?? WIDTH,
    height: opts.height ?? 260,
    config: CONFIG,
    data: { values },
    mark: { type: 'line', point: nb <= 120, interpolate: 'step-after', tooltip: true },
    encoding: {
      x: { field: 'start', type: 'temporal', title: `Time (UTC, ${intervalLabel(interval)} intervals)`, axis: { format: timeFormatFor(interval), labelOverlap: true } },
      y: { field: 'events', type: 'quantitative', title: `Events per ${intervalLabel(interval)}` },
      color: { field: 'series', type: 'nominal', title: 'Filter', scale: { scheme: 'tableau10' } },
      tooltip: [
        { field: 'series', title: 'Filter' },
        { field: 'start', type: 'temporal', title: 'From', format: '%Y-%m-%d %H:%M:%S.%L' },
        { field: 'events', title: 'Events' },
      ],
    },
  };
}
