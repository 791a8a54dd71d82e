/**
 * The growing, time-ordered table of a live capture. Rows are appended as
 * they arrive (in per-host order) into append-only columns; the time order
 * across hosts is an index permutation kept up to date incrementally (the
 * new rows are sorted and merged into it), so a snapshot costs one gather
 * per column, not a sort and a rebuild: a notebook can redraw often.
 *
 * Ties in time are broken by host (in the order the hosts were named), then
 * by arrival within the host.
 */
import * as aq from 'arquero';
import { DictBuilder, grown } from '../../frames/columns.js';
import type { Table } from '../../frames/table.js';

export type ColumnKind = 'plain' | 'dict';

/** The column layout: names in table order, each plain (any value) or dictionary-encoded (strings). */
export type ColumnSpec = readonly (readonly [name: string, kind: ColumnKind])[];

/** A growable Float64Array. */
class NumAppender {
  a = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    this.a = grown(this.a, this.n);
    this.a[this.n++] = v;
  }
}

export class LiveTable {
  /** per column of the spec: a plain array or a dictionary appender */
  private readonly cols: (unknown[] | DictBuilder<string>)[];
  /** time as seconds and nanoseconds (numbers compare much faster than bigints) */
  private readonly sec = new NumAppender();
  private readonly nsec = new NumAppender();
  private readonly host = new NumAppender();
  private order = new Int32Array(0);
  private ordered = 0;
  private cached: Table | undefined;

  constructor(private readonly spec: ColumnSpec) {
    this.cols = spec.map(([, kind]) => (kind === 'dict' ? new DictBuilder<string>() : []));
  }

  get length(): number {
    return this.sec.n;
  }

  /** Appends one row: its time (ns since epoch), its host index, and its values in the spec's column order. */
  add(ts: bigint, hostIndex: number, values: readonly unknown[]): void {
    this.sec.push(Number(ts / 1000000000n));
    this.nsec.push(Number(ts % 1000000000n));
    this.host.push(hostIndex);
    for (let c = 0; c < this.cols.length; c++) {
      const col = this.cols[c]!;
      const v = values[c] ?? null;
      if (col instanceof DictBuilder) col.push(v as string | null);
      else col.push(v);
    }
    this.cached = undefined;
  }

  private compare = (a: number, b: number): number => {
    const s = this.sec.a;
    if (s[a] !== s[b]) return s[a]! - s[b]!;
    const ns = this.nsec.a;
    if (ns[a] !== ns[b]) return ns[a]! - ns[b]!;
    const h = this.host.a;
    return h[a] !== h[b] ? h[a]! - h[b]! : a - b;
  };

  /** Merges the rows added since the last call into the time order. */
  private updateOrder(): void {
    const n = this.length;
    const start = this.ordered;
    if (start === n) return;
    const fresh = new Int32Array(n - start);
    let sorted = true;
    for (let i = 0; i < fresh.length; i++) {
      fresh[i] = start + i;
      if (i > 0 && sorted && this.compare(fresh[i - 1]!, fresh[i]!) > 0) sorted = false;
    }
    if (!sorted) fresh.sort(this.compare);
    const old = this.order;
    // old rows before the first new one stay where they are (usually all of them)
    let lo = 0;
    let hi = start;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(old[mid]!, fresh[0]!) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const merged = new Int32Array(n);
    merged.set(old.subarray(0, lo));
    let i = lo;
    let j = 0;
    let k = lo;
    while (i < start && j < fresh.length) merged[k++] = this.compare(old[i]!, fresh[j]!) <= 0 ? old[i++]! : fresh[j++]!;
    while (i < start) merged[k++] = old[i++]!;
    merged.set(fresh.subarray(j), k);
    this.order = merged;
    this.ordered = n;
  }

  /** The rows so far, ordered by time (cached until the next add). */
  snapshot(): Table {
    if (this.cached) return this.cached;
    this.updateOrder();
    const n = this.ordered;
    const order = this.order;
    const out: Record<string, unknown> = {};
    this.spec.forEach(([name], c) => {
      const col = this.cols[c]!;
      if (col instanceof DictBuilder) {
        out[name] = col.gather(order, n);
        return;
      }
      const arr = new Array<unknown>(n);
      for (let i = 0; i < n; i++) arr[i] = col[order[i]!];
      out[name] = arr;
    });
    this.cached = aq.table(out as Record<string, any>);
    return this.cached;
  }
}
