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

/** A typed array of any element kind. */
export type TypedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/**
 * `a` when index `i` fits in it, else a copy at least twice as long (and at
 * least `min`): the growth step of the append-only typed-array builders.
 * New elements are 0, or `fill` when given (number arrays).
 */
export function grown<A extends TypedArray>(a: A, i: number, fill?: number, min = 1024): A {
  if (i < a.length) return a;
  const b = new (a.constructor as new (n: number) => A)(Math.max(a.length * 2, i + 1, min));
  (b as unknown as { set(x: A): void }).set(a);
  if (fill !== undefined) (b as unknown as { fill(v: number, from: number): void }).fill(fill, a.length);
  return b;
}

/** Dense codes for distinct values (0, 1, ... in order of first sight; -1 for null), the last value checked first. */
export class Interner<T> {
  private readonly index = new Map<T, number>();
  /** the values by code */
  readonly values: T[] = [];
  private last: T | undefined = undefined;
  private lastCode = -1;
  code(v: T | null | undefined): number {
    if (v === null || v === undefined) return -1;
    // consecutive rows often repeat a value: skip the hash lookup
    if (v === this.last) return this.lastCode;
    let c = this.index.get(v);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(v);
      this.index.set(v, c);
    }
    this.last = v;
    this.lastCode = c;
    return c;
  }
  /** the value of a code (null for -1) */
  get(code: number): T | null {
    return code < 0 ? null : this.values[code]!;
  }
}

/** Builds a DictColumn by appending values (null = absent). */
export class DictBuilder<T extends Value = string> {
  private codes = new Int32Array(1024);
  private n = 0;
  private readonly interner = new Interner<T>();
  push(v: T | null | undefined): void {
    this.codes = grown(this.codes, this.n);
    this.codes[this.n++] = this.interner.code(v);
  }
  /** The code of `v` (added to the dictionary if new; -1 for null), without appending a row. */
  code(v: T | null | undefined): number {
    return this.interner.code(v);
  }
  /** The dictionary so far (codes index it). */
  values(): readonly T[] {
    return this.interner.values;
  }
  get length(): number {
    return this.n;
  }
  finish(): DictColumn<T> {
    return new DictColumn<T>(this.codes.subarray(0, this.n), this.interner.values, this.n);
  }
  /** A column of the rows `order[0..n)` so far (a snapshot: later pushes do not change it). */
  gather(order: Int32Array, n: number): DictColumn<T> {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.codes[order[i]!]!;
    return new DictColumn<T>(out, this.interner.values.slice(), n);
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
