/**
 * Charts: plain functions from a table (a filtered subset included) to a
 * Vega-Lite spec; rendering is separate (render.ts) and loaded lazily.
 */
export type { VegaLiteSpec, ChartOptions } from './spec.js';
export { emptyChart } from './spec.js';
export { activity, type ActivityOptions } from './activity.js';
export { connectTimeline, type ConnectOptions } from './connections.js';
export { ioGraph, type IoGraphOptions, type IoSeries } from './iograph.js';
export {
  processTree,
  buildProcessTree,
  processTreeText,
  foldTree,
  type ProcessInfo,
  type ProcessTreeNode,
  type ProcessTreeOptions,
} from './proctree.js';
export { timeline, type TimelineOptions } from './timeline.js';

/** Renders a spec to SVG (loads vega on first use). */
export async function toSVG(spec: import('./spec.js').VegaLiteSpec): Promise<string> {
  return (await import('./render.js')).toSVG(spec);
}
/** Renders a spec to PNG bytes (loads vega and resvg on first use). */
export async function toPNG(spec: import('./spec.js').VegaLiteSpec, opts?: { scale?: number }): Promise<Uint8Array> {
  return (await import('./render.js')).toPNG(spec, opts);
}
/** Writes a spec to .svg, .png, .vl.json or .html. */
export async function writeChart(spec: import('./spec.js').VegaLiteSpec, out: string): Promise<void> {
  return (await import('./render.js')).writeChart(spec, out);
}
