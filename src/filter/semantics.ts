/**
 * What each operator means on values: element tests (one value against a
 * constant), quantifiers over multi-valued operands, and operand evaluation
 * (fields, slices, functions, arithmetic) on one row. Shared by the column
 * program (compile.ts) and the reference evaluator (evaluate.ts).
 */
import type { FieldType, Value } from '../fields/types.js';
import type { CmpOp, Literal, Operand, SetItem, SliceRange } from './ast.js';
import { falcoRegex, globToRegex, hexBytes, pathPrefixMatch, wiresharkRegex } from './patterns.js';
import { parseAddress, parseNetwork } from './addresses.js';
import { compareScalar, literalScalar, parseNumber, toScalar, valueToString } from './values.js';

/** Reads a field (with optional argument) of the current row; null = absent. */
export type RowGetter = (field: string, arg?: string) => Value;

/**
 * How element results combine over an operand's values (absent = no values):
 * any: some value passes; all: there are values and all pass;
 * none: there are values and none passes (Wireshark `!=`, `not in`);
 * notall: some value fails (Wireshark `!==`).
 */
export type Mode = 'any' | 'all' | 'none' | 'notall';

/** One value against a constant. */
export type ElemTest = (v: Value) => boolean;

/** The values of a row value: a list's elements, a scalar alone, nothing when absent. */
export function elements(v: Value): readonly Value[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v : [v as Value];
}

export function runMode(values: readonly Value[], mode: Mode, test: ElemTest): boolean {
  switch (mode) {
    case 'any': for (const v of values) if (test(v)) return true; return false;
    case 'all': if (!values.length) return false; for (const v of values) if (!test(v)) return false; return true;
    case 'none': if (!values.length) return false; for (const v of values) if (test(v)) return false; return true;
    case 'notall': for (const v of values) if (!test(v)) return true; return false;
  }
}

/** The comparison type when `type` is compared: list elements are strings. */
export function elemType(type: FieldType | undefined): FieldType {
  return type === undefined || type === 'list' || type === 'json' ? 'string' : type;
}

/** The mode and element relation an operator stands for. */
export function modeOf(op: CmpOp, quant: 'any' | 'all' | undefined): { mode: Mode; rel: CmpOp } {
  switch (op) {
    case 'eq': return { mode: 'any', rel: 'eq' };
    case 'ne': return { mode: 'none', rel: 'eq' };
    case 'all_eq': return { mode: 'all', rel: 'eq' };
    case 'any_ne': return { mode: 'notall', rel: 'eq' };
    default: return { mode: quant ?? 'any', rel: op };
  }
}

/** The test of one value against a literal, for relation `rel` (not ne/all_eq/any_ne: see modeOf). */
export function literalTest(rel: CmpOp, type: FieldType, lit: Literal): ElemTest {
  const text = lit.value;
  switch (rel) {
    case 'contains': return (v) => valueToString(v).includes(text);
    case 'icontains': { const t = text.toLowerCase(); return (v) => valueToString(v).toLowerCase().includes(t); }
    case 'startswith': return (v) => valueToString(v).startsWith(text);
    case 'endswith': return (v) => valueToString(v).endsWith(text);
    case 'bcontains': { const b = hexBytes(text)!; return (v) => Buffer.from(valueToString(v), 'utf8').includes(b); }
    case 'bstartswith': { const b = hexBytes(text)!; return (v) => { const x = Buffer.from(valueToString(v), 'utf8'); return x.subarray(0, b.length).equals(b); }; }
    case 'matches': { const re = wiresharkRegex(text); return memoStrings((v) => re.test(valueToString(v))); }
    case 'regex': { const re = falcoRegex(text); return memoStrings((v) => re.test(valueToString(v))); }
    case 'glob': { const re = globToRegex(text); return memoStrings((v) => re.test(valueToString(v))); }
    case 'iglob': { const re = globToRegex(text, true); return memoStrings((v) => re.test(valueToString(v))); }
    default: break;
  }
  const t = literalType(type, lit);
  if (t === 'string' && rel === 'eq') return (v) => (typeof v === 'string' ? v : valueToString(v)) === text;
  if (t === 'number' && typeof (parseNumber(text) ?? '') === 'number' && rel !== 'eq') {
    const k = parseNumber(text) as number;
    const cmp = relation(rel);
    const slow = numberTest(rel, text, lit);
    return (v) => (typeof v === 'number' ? cmp(v < k ? -1 : v > k ? 1 : v === k ? 0 : NaN) : slow(v));
  }
  if (t === 'number' && typeof (parseNumber(text) ?? '') === 'number') {
    const k = parseNumber(text) as number;
    const slow = numberTest(rel, text, lit);
    return (v) => (typeof v === 'number' ? v === k : slow(v));
  }
  const c = literalScalar(t, text, lit.style);
  const cmp = relation(rel);
  const test: ElemTest = (v) => {
    const s = toScalar(t, v);
    return s !== null && cmp(compareScalar(s, c));
  };
  return t === 'timestamp' || t === 'ip' ? memoStrings(test) : test;
}

/** Caches the answer per distinct string value (timestamps and addresses are parsed once, regexes run once). */
function memoStrings(test: ElemTest): ElemTest {
  const cache = new Map<string, boolean>();
  return (v) => {
    if (typeof v !== 'string') return test(v);
    let r = cache.get(v);
    if (r === undefined) {
      r = test(v);
      if (cache.size < 100_000) cache.set(v, r);
    }
    return r;
  };
}

function numberTest(rel: CmpOp, text: string, lit: Literal): ElemTest {
  const c = literalScalar('number', text, lit.style);
  const cmp = relation(rel);
  return (v) => {
    const s = toScalar('number', v);
    return s !== null && cmp(compareScalar(s, c));
  };
}

/**
 * The type a literal is compared as: list and JSON elements are strings, and
 * a bare address or CIDR (`10.0.0.0/8`, `2001:db8::1`) makes a string field
 * compare as addresses (`ct.srcip in {10.0.0.0/8 192.168.0.0/16}`; values that
 * are not addresses, like `AWS Internal`, never equal it).
 */
export function literalType(type: FieldType | undefined, lit: Literal): FieldType {
  const t = elemType(type);
  return t === 'string' && lit.style === 'bare' && isAddressLiteral(lit.value) ? 'ip' : t;
}

function isAddressLiteral(text: string): boolean {
  if (parseAddress(text)) return /[.:]/.test(text);
  try {
    return parseNetwork(text) !== null;
  } catch {
    return false;
  }
}

/** From a three-way comparison result (NaN = incomparable) to the relation's answer. */
export function relation(rel: CmpOp): (c: number) => boolean {
  switch (rel) {
    case 'eq': return (c) => c === 0;
    case 'lt': return (c) => c < 0;
    case 'le': return (c) => c <= 0;
    case 'gt': return (c) => c > 0;
    case 'ge': return (c) => c >= 0;
    default: throw new Error(`no ordering relation for ${rel}`);
  }
}

/** Two values (field-to-field, references, functions) under relation `rel`. */
export function pairTest(rel: CmpOp, type: FieldType): (a: Value, b: Value) => boolean {
  switch (rel) {
    case 'contains': return (a, b) => valueToString(a).includes(valueToString(b));
    case 'icontains': return (a, b) => valueToString(a).toLowerCase().includes(valueToString(b).toLowerCase());
    case 'startswith': return (a, b) => valueToString(a).startsWith(valueToString(b));
    case 'endswith': return (a, b) => valueToString(a).endsWith(valueToString(b));
    default: break;
  }
  const t = elemType(type);
  const cmp = relation(rel);
  return (a, b) => {
    const x = toScalar(t, a);
    const y = toScalar(t, b);
    return x !== null && y !== null && cmp(compareScalar(x, y));
  };
}

/** Membership of one value in a set of literals and ranges (`pmatch`: path prefixes). */
export function setTest(op: 'in' | 'pmatch', type: FieldType, items: readonly SetItem[], refValue: (o: Operand) => readonly Value[]): ElemTest {
  if (op === 'pmatch') {
    const prefixes = items.flatMap((it) => (it.kind === 'literal' ? [it.value] : it.kind === 'range' ? [] : refValue(it).map(valueToString)));
    return (v) => { const s = valueToString(v); return prefixes.some((p) => pathPrefixMatch(s, p)); };
  }
  const t = elemType(type);
  if (t === 'string' && items.every((it) => it.kind === 'literal' && literalType(type, it) === 'string')) {
    const set = new Set(items.map((it) => (it as Literal).value));
    return (v) => set.has(typeof v === 'string' ? v : valueToString(v));
  }
  const tests: ElemTest[] = items.map((it): ElemTest => {
    if (it.kind === 'literal') return literalTest('eq', type, it);
    if (it.kind === 'range') {
      const lo = literalScalar(literalType(type, it.lo), it.lo.value, it.lo.style);
      const hi = literalScalar(literalType(type, it.hi), it.hi.value, it.hi.style);
      const rt = literalType(type, it.lo);
      return (v) => { const s = toScalar(rt, v); return s !== null && compareScalar(s, lo) >= 0 && compareScalar(s, hi) <= 0; };
    }
    const vals = refValue(it);
    const eq = pairTest('eq', type);
    return (v) => vals.some((w) => eq(v, w));
  });
  return (v) => tests.some((f) => f(v));
}

/* ---------- operands on one row ---------- */

export interface OperandContext {
  types: Map<Operand, FieldType>;
  /** the selected row for `${field}` references */
  selected?: RowGetter;
}

/** The values an operand has on the row `get` reads (empty = absent). */
export function operandValues(o: Operand, get: RowGetter, ctx: OperandContext): readonly Value[] {
  switch (o.kind) {
    case 'field': return elements(get(o.name, o.arg));
    case 'literal': return [o.style === 'number' ? parseNumber(o.value) ?? o.value : o.value];
    case 'ref': {
      if (!ctx.selected) return [];
      return elements(ctx.selected(o.field.name, o.field.arg));
    }
    case 'slice': {
      const out: Value[] = [];
      for (const v of operandValues(o.operand, get, ctx)) {
        const s = slice(valueToString(v), o.ranges);
        if (s !== null) out.push(s);
      }
      return out;
    }
    case 'call': return callValues(o.fn, o.args[0]!, get, ctx);
    case 'neg': {
      const [v] = operandValues(o.operand, get, ctx);
      const n = v === undefined ? null : toScalar('number', v);
      return n && n.t === 'num' ? [typeof n.v === 'bigint' ? -n.v : -n.v] : [];
    }
    case 'arith': {
      const [a] = operandValues(o.left, get, ctx);
      const [b] = operandValues(o.right, get, ctx);
      if (a === undefined || b === undefined) return [];
      const r = arith(o.op, a, b);
      return r === null ? [] : [r];
    }
  }
}

function callValues(fn: string, arg: Operand, get: RowGetter, ctx: OperandContext): readonly Value[] {
  const raw = arg.kind === 'field' ? get(arg.name, arg.arg) : null;
  const vals = arg.kind === 'field' ? elements(raw) : operandValues(arg, get, ctx);
  switch (fn) {
    case 'lower': case 'tolower': return vals.map((v) => valueToString(v).toLowerCase());
    case 'upper': case 'toupper': return vals.map((v) => valueToString(v).toUpperCase());
    case 'string': return vals.map(valueToString);
    case 'b64': return vals.map((v) => Buffer.from(valueToString(v), 'base64').toString('utf8'));
    case 'basename': return vals.map((v) => { const s = valueToString(v); return s.slice(s.lastIndexOf('/') + 1); });
    case 'len':
      if (Array.isArray(raw)) return [raw.length];
      return vals.map((v) => Buffer.byteLength(valueToString(v), 'utf8'));
    case 'count': return [vals.length];
    case 'abs': return vals.flatMap((v) => { const s = toScalar('number', v); return s?.t === 'num' ? [s.v < 0 ? -s.v : s.v] : []; });
    case 'val': return vals;
    default: return [];
  }
}

function arith(op: '+' | '-' | '*' | '/' | '%', a: Value, b: Value): number | bigint | null {
  const x = toScalar('number', a);
  const y = toScalar('number', b);
  if (!x || !y || x.t !== 'num' || y.t !== 'num') return null;
  let p = x.v;
  let q = y.v;
  if (typeof p !== typeof q) {
    if (typeof p === 'bigint' && Number.isInteger(q)) q = BigInt(q);
    else if (typeof q === 'bigint' && Number.isInteger(p)) p = BigInt(p);
    else { p = Number(p); q = Number(q); }
  }
  if (typeof p === 'bigint' && typeof q === 'bigint') {
    switch (op) {
      case '+': return p + q;
      case '-': return p - q;
      case '*': return p * q;
      case '/': return q === 0n ? null : p / q;
      case '%': return q === 0n ? null : p % q;
    }
  }
  const m = p as number;
  const n = q as number;
  switch (op) {
    case '+': return m + n;
    case '-': return m - n;
    case '*': return m * n;
    case '/': return n === 0 ? null : Number.isInteger(m) && Number.isInteger(n) ? Math.trunc(m / n) : m / n;
    case '%': return n === 0 ? null : m % n;
  }
}

/** A Wireshark slice of a string, by code points; null when it starts past the end. */
export function slice(s: string, ranges: readonly SliceRange[]): string | null {
  const cps = [...s];
  let out = '';
  for (const r of ranges) {
    let start = r.start < 0 ? cps.length + r.start : r.start;
    if (start < 0) start = 0;
    if (start > cps.length || (start === cps.length && cps.length > 0 && !(r.isLength && r.len === 0))) return null;
    let end: number;
    if (r.isLength) end = r.len === undefined ? cps.length : start + r.len;
    else if (r.end !== undefined) end = r.end <= 0 ? cps.length + r.end : r.end;
    else end = cps.length;
    if (end > cps.length) return null;
    out += cps.slice(start, Math.max(start, end)).join('');
  }
  return out;
}
