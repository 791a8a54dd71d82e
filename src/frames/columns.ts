/**
 * Column types our sources build. Arquero accepts any object with
 * `length`, `at(row)` and an iterator, so a dictionary-encoded string column
 * can expose its codes: filters compare codes, not strings, on
 * low-cardinality columns (evt.type, proc.name, ct.name).
 */
import type { Value } from '../fields/types.js';

/** A dictionary-encoded column: `dict[codes[row]]`; code -1 is absent (null). */
export class DictColumn<T extends Value = string> {
  readonly codes: Int32Array;
  readonly dict: readonly T[];
  readonly length: number;
  constructor(codes: Int32Array, dict: readonly T[], length = codes.length) {
    this.codes = codes;
    this.dict = dict;
    this.length = length;
  }
  at(row: number): T | null {
    const c = this.codes[row]!;
    return c < 0 ? null : this.dict[c]!;
  }
  *[Symbol.iterator](): Iterator<T | null> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
  toArray(): (T | null)[] {
    const out = new Array<T | null>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.at(i);
    return out;
  }
  /** The code of `value`, or -1 when no row has it. */
  codeOf(value: T): number {
    return this.dict.indexOf(value);
  }
}

/** Builds a DictColumn by appending values (null = absent). */
export class DictBuilder<T extends Value = string> {
  private codes = new Int32Array(1024);
  private n = 0;
  private readonly index = new Map<T, number>();
  private readonly dict: T[] = [];
  push(v: T | null | undefined): void {
    if (this.n === this.codes.length) {
      const next = new Int32Array(this.codes.length * 2);
      next.set(this.codes);
      this.codes = next;
    }
    if (v === null || v === undefined) {
      this.codes[this.n++] = -1;
      return;
    }
    // consecutive rows often repeat a value: skip the hash lookup
    if (v === this.lastValue) {
      this.codes[this.n++] = this.lastCode;
      return;
    }
    let c = this.index.get(v);
    if (c === undefined) {
      c = this.dict.length;
      this.dict.push(v);
      this.index.set(v, c);
    }
    this.lastValue = v;
    this.lastCode = c;
    this.codes[this.n++] = c;
  }
  private lastValue: T | undefined = undefined;
  private lastCode = -1;
  /** The code of `v` (added to the dictionary if new; -1 for null), without appending a row. */
  code(v: T | null | undefined): number {
    if (v === null || v === undefined) return -1;
    let c = this.index.get(v);
    if (c === undefined) {
      c = this.dict.length;
      this.dict.push(v);
      this.index.set(v, c);
    }
    return c;
  }
  /** The dictionary so far (codes index it). */
  values(): readonly T[] {
    return this.dict;
  }
  get length(): number {
    return this.n;
  }
  finish(): DictColumn<T> {
    return new DictColumn<T>(this.codes.subarray(0, this.n), this.dict, this.n);
  }
}

/** True if `col` is a DictColumn (possibly from another copy of this module). */
export function isDictColumn(col: unknown): col is DictColumn<Value> {
  return col instanceof DictColumn || (typeof col === 'object' && col !== null && 'codes' in col && 'dict' in col);
}

/**
 * A `time` column over nanosecond timestamps (scap's evt.rawtime): each row's
 * Date is made on access, so a table of millions of events keeps no Date objects.
 */
export class NsTimeColumn {
  readonly length: number;
  constructor(private readonly ns: BigUint64Array | BigInt64Array) {
    this.length = ns.length;
  }
  at(row: number): Date | null {
    const v = this.ns[row];
    return v === undefined ? null : new Date(Number(v / 1000000n));
  }
  *[Symbol.iterator](): Iterator<Date | null> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
  toArray(): (Date | null)[] {
    const out = new Array<Date | null>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.at(i);
    return out;
  }
}
