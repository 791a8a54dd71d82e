/**
 * Shared pieces of every chart spec: the Vega-Lite schema, a readable
 * default configuration at 800 px, the "no events" chart, and value
 * conversion from table values to JSON-safe chart data.
 */
import type { Value } from '../fields/types.js';

/** A Vega-Lite (v5 schema) specification, as plain JSON. */
export type VegaLiteSpec = Record<string, unknown> & { $schema: string };

export const VL_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Default width of every chart, in pixels. */
export const WIDTH = 760;

/** Fonts and sizes readable at 800 px, in SVG, PNG and notebooks alike. */
export const CONFIG = {
  font: 'DejaVu Sans',
  title: { fontSize: 16, anchor: 'start', subtitleFontSize: 12, subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  view: { stroke: '#ddd' },
} as const;

/** Common options of every chart builder. */
export interface ChartOptions {
  title?: string;
  subtitle?: string;
  width?: number;
  height?: number;
}

/** The title object of a spec. */
export function titleOf(title: string, subtitle?: string): Record<string, unknown> {
  return subtitle ? { text: title, subtitle } : { text: title };
}

/** The chart shown for an empty table: a title and a "no events" message, never an exception. */
export function emptyChart(title: string, message = 'no events', opts: ChartOptions = {}): VegaLiteSpec {
  return {
    $schema: VL_SCHEMA,
    title: titleOf(title, opts.subtitle),
    width: opts.width ?? WIDTH,
    height: opts.height ?? 120,
    config: CONFIG,
    data: { values: [{ message }] },
    mark: { type: 'text', fontSize: 18, color: '#888' },
    encoding: { text: { field: 'message', type: 'nominal' } },
  };
}

/** A JSON-safe form of a table value: Date -> ISO string, bigint -> number, list -> joined text. */
export function chartValue(v: Value | undefined): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.join(', ');
  return v as string | number | boolean;
}

/** Shortens text for labels: keeps the start, marks the cut with an ellipsis. */
export function truncate(s: string, max = 80): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Picks a "nice" bucket width in ms for a time span, aiming at about `target` buckets. */
export function niceInterval(spanMs: number, target = 60): number {
  const steps = [
    1, 10, 100, 1000, 5000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 10_800_000,
    21_600_000, 43_200_000, 86_400_000, 604_800_000,
  ];
  const raw = Math.max(1, spanMs / target);
  return steps.find((s) => s >= raw) ?? 604_800_000;
}

/** A human label for an interval in ms: "1 s", "5 min", "1 h", "1 d". */
export function intervalLabel(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  if (ms < 86_400_000) return `${ms / 3_600_000} h`;
  return `${ms / 86_400_000} d`;
}

/** A d3 time format suited to buckets of `ms` (sub-second buckets show milliseconds). */
export function timeFormatFor(ms: number): string {
  if (ms < 1000) return '%H:%M:%S.%L';
  if (ms < 60_000) return '%H:%M:%S';
  if (ms < 86_400_000) return '%m-%d %H:%M';
  return '%Y-%m-%d';
}
