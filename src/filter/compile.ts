/**
 * The column program: a checked expression becomes a function from a table
 * to a bitset over its underlying rows. Each comparison reads its column
 * once; a comparison that depends on one dictionary-encoded column is
 * decided once per dictionary entry and then scans the Int32Array of codes;
 * `and` only tests the rows the left side kept, `or` only the rows it
 * rejected (short-circuit over candidate sets).
 */
import { BitSet } from 'arquero/src/table/BitSet.js';
import type { FieldType, Value } from '../fields/types.js';
import { isDictColumn } from '../frames/columns.js';
import { columnName, fieldAccessor, type Table } from '../frames/table.js';
import type { CmpNode, Expr, Operand, SetNode } from './ast.js';
import type { Checked } from './check.js';
import { FilterError } from './errors.js';
import {
  literalTest, modeOf, operandValues, pairTest, runMode, setTest, type ElemTest, type Mode, type OperandContext, type RowGetter,
} from './semantics.js';

/** Bits of the rows to consider: null = every row of [0, n). */
type Cand = Uint32Array | null;
type Step = (table: Table, n: number, cand: Cand) => Uint32Array;

/** A prebuilt row test (tests, regexes and sets are built once). */
export type RowTest = (get: RowGetter) => boolean;

const ONE = 0x80000000;

/** Builds the program for a checked expression. */
export function compileProgram(checked: Checked, selected?: RowGetter): (table: Table) => BitSet {
  const ctx: OperandContext = { types: checked.types, selected };
  const step = compileExpr(checked.ast, ctx);
  return (table) => {
    const n = table.totalRows();
    const mask = table.mask() as unknown as { _bits: Uint32Array } | null;
    const bits = step(table, n, mask ? mask._bits : null);
    const out = new BitSet(n);
    (out as unknown as { _bits: Uint32Array })._bits = bits;
    return out;
  };
}

function compileExpr(e: Expr, ctx: OperandContext): Step {
  switch (e.kind) {
    case 'and': {
      const [l, r] = cheapFirst(compileExpr(e.left, ctx), compileExpr(e.right, ctx), e.left, e.right);
      return (t, n, cand) => {
        const a = l(t, n, cand);
        return isEmpty(a) ? a : r(t, n, a);
      };
    }
    case 'or': {
      const [l, r] = cheapFirst(compileExpr(e.left, ctx), compileExpr(e.right, ctx), e.left, e.right);
      return (t, n, cand) => {
        const a = l(t, n, cand);
        const rest = minus(cand, a, n);
        if (isEmpty(rest)) return a;
        const b = r(t, n, rest);
        for (let i = 0; i < a.length; i++) a[i]! |= b[i]!;
        return a;
      };
    }
    case 'xor': {
      const l = compileExpr(e.left, ctx);
      const r = compileExpr(e.right, ctx);
      return (t, n, cand) => {
        const a = l(t, n, cand);
        const b = r(t, n, cand);
        for (let i = 0; i < a.length; i++) a[i]! ^= b[i]!;
        return a;
      };
    }
    case 'not': {
      const c = compileExpr(e.expr, ctx);
      return (t, n, cand) => minus(cand, c(t, n, cand), n);
    }
    default:
      return compileLeaf(e, ctx);
  }
}

/**
 * `and`/`or` of two sides as [first, second] steps, decided per table: the side
 * that reads fewer fields without a column (extracted row by row from `raw`)
 * runs first, so the costly side only sees the rows the cheap one left.
 * Both orders give the same rows (the sides have no effects).
 */
function cheapFirst(l: Step, r: Step, le: Expr, re: Expr): [Step, Step] {
  const lf = exprFields(le);
  const rf = exprFields(re);
  const swapped: Step = (t, n, cand) => (lazyFields(t, rf) < lazyFields(t, lf) ? r : l)(t, n, cand);
  const other: Step = (t, n, cand) => (lazyFields(t, rf) < lazyFields(t, lf) ? l : r)(t, n, cand);
  return [swapped, other];
}

/** How many of `fields` the table has no column for. */
function lazyFields(table: Table, fields: readonly { name: string; arg?: string }[]): number {
  let k = 0;
  for (const f of fields) if (!table.column(columnName(f.name, f.arg))) k++;
  return k;
}

/** Every field an expression reads. */
function exprFields(e: Expr): { name: string; arg?: string }[] {
  switch (e.kind) {
    case 'and': case 'or': case 'xor': return [...exprFields(e.left), ...exprFields(e.right)];
    case 'not': return exprFields(e.expr);
    default: return leafFields(e);
  }
}

/**
 * The same expression as a predicate on one row (for streaming readers that
 * filter record by record): tests, regexes and sets are built once.
 */
export function compileRowPredicate(checked: Checked, selected?: RowGetter): RowTest {
  const ctx: OperandContext = { types: checked.types, selected };
  const build = (e: Expr): RowTest => {
    switch (e.kind) {
      case 'and': { const l = build(e.left); const r = build(e.right); return (g) => l(g) && r(g); }
      case 'or': { const l = build(e.left); const r = build(e.right); return (g) => l(g) || r(g); }
      case 'xor': { const l = build(e.left); const r = build(e.right); return (g) => l(g) !== r(g); }
      case 'not': { const c = build(e.expr); return (g) => !c(g); }
      default: return rowTest(e, ctx);
    }
  };
  return build(checked.ast);
}

/* ---------- leaves ---------- */

function compileLeaf(e: Expr, ctx: OperandContext): Step {
  const test = rowTest(e, ctx);
  const fields = leafFields(e);
  return (table, n, cand) => {
    const out = new Uint32Array(Math.ceil(n / 32));
    if (fields.length === 1) {
      const f = fields[0]!;
      const col = table.column(columnName(f.name, f.arg)) as unknown;
      if (isDictColumn(col)) return scanDict(col.codes, col.dict, f, test, n, cand, out);
      const at = reader(table, f.name, f.arg);
      let v: Value = null;
      const get: RowGetter = () => v;
      if (e.kind === 'cmp' && e.left.kind === 'field' && e.right.kind === 'literal') {
        const fast = scalarCmp(e, ctx);
        return scan(n, cand, out, (r) => fast(at(r)));
      }
      return scan(n, cand, out, (r) => { v = at(r); return test(get); });
    }
    const readers = new Map<string, (row: number) => Value>();
    for (const f of fields) readers.set(columnName(f.name, f.arg), reader(table, f.name, f.arg));
    let row = 0;
    const get: RowGetter = (name, arg) => readers.get(columnName(name, arg))?.(row) ?? null;
    return scan(n, cand, out, (r) => { row = r; return test(get); });
  };
}

/** Decides the leaf once per dictionary entry (and for absent), then scans the codes. */
function scanDict(codes: Int32Array, dict: readonly Value[], f: { name: string; arg?: string }, test: RowTest, n: number, cand: Cand, out: Uint32Array): Uint32Array {
  const lut = new Uint8Array(dict.length + 1);
  let v: Value = null;
  const get: RowGetter = () => v;
  lut[0] = test(get) ? 1 : 0; // absent (code -1)
  for (let i = 0; i < dict.length; i++) {
    v = dict[i]!;
    lut[i + 1] = test(get) ? 1 : 0;
  }
  void f;
  if (!cand) {
    for (let w = 0, base = 0; base < n; w++, base += 32) {
      let word = 0;
      const end = Math.min(32, n - base);
      for (let b = 0; b < end; b++) if (lut[codes[base + b]! + 1]) word |= ONE >>> b;
      out[w] = word;
    }
    return out;
  }
  for (let w = 0; w < cand.length; w++) {
    let bits = cand[w]!;
    if (!bits) continue;
    let word = 0;
    const base = w << 5;
    while (bits) {
      const b = Math.clz32(bits);
      bits &= ~(ONE >>> b);
      if (lut[codes[base + b]! + 1]) word |= ONE >>> b;
    }
    out[w] = word;
  }
  return out;
}

/** Runs `pass` on each candidate row, setting its bit. */
function scan(n: number, cand: Cand, out: Uint32Array, pass: (row: number) => boolean): Uint32Array {
  if (!cand) {
    for (let w = 0, base = 0; base < n; w++, base += 32) {
      let word = 0;
      const end = Math.min(32, n - base);
      for (let b = 0; b < end; b++) if (pass(base + b)) word |= ONE >>> b;
      out[w] = word;
    }
    return out;
  }
  for (let w = 0; w < cand.length; w++) {
    let bits = cand[w]!;
    if (!bits) continue;
    let word = 0;
    const base = w << 5;
    while (bits) {
      const b = Math.clz32(bits);
      bits &= ~(ONE >>> b);
      if (pass(base + b)) word |= ONE >>> b;
    }
    out[w] = word;
  }
  return out;
}

/** A by-row reader of a field: the column (arrays indexed directly) or the field's extractor. */
function reader(table: Table, name: string, arg?: string): (row: number) => Value {
  const col = table.column(columnName(name, arg)) as unknown;
  if (Array.isArray(col) || (ArrayBuffer.isView(col) && !(col instanceof DataView))) {
    const a = col as ArrayLike<Value>;
    return (r) => a[r] ?? null;
  }
  return fieldAccessor(table, name, arg) ?? (() => null);
}

/** `field <op> literal` on a plain column: the element test with the quantifier folded in. */
function scalarCmp(e: CmpNode, ctx: OperandContext): (v: Value) => boolean {
  const { mode, rel } = modeOf(e.op, e.quant);
  const test = literalTest(rel, ctx.types.get(e.left) ?? 'string', e.right as never);
  const positive = mode === 'any' || mode === 'all';
  return (v) => {
    if (v === null || v === undefined) return false;
    if (Array.isArray(v)) return runMode(v, mode, test);
    return test(v) === positive;
  };
}

/* ---------- prebuilt row tests ---------- */

function rowTest(e: Expr, ctx: OperandContext): RowTest {
  switch (e.kind) {
    case 'exists': return (get) => operandValues(e.operand, get, ctx).length > 0;
    case 'cmp': return cmpTest(e, ctx);
    case 'set': return setRowTest(e, ctx);
    default: {
      const step = e; // logic nodes never reach here
      throw new Error(`not a leaf: ${step.kind}`);
    }
  }
}

function cmpTest(e: CmpNode, ctx: OperandContext): RowTest {
  const { mode, rel } = modeOf(e.op, e.quant);
  const type: FieldType = ctx.types.get(e.left) ?? 'string';
  if (e.right.kind === 'literal') {
    if (e.left.kind === 'field') {
      // the common `field <op> literal`: no values array per row (streamed rows test millions)
      const { name, arg } = e.left;
      const fast = scalarCmp(e, ctx);
      return (get) => fast(get(name, arg));
    }
    const test = literalTest(rel, type, e.right);
    return (get) => runMode(operandValues(e.left, get, ctx), mode, test);
  }
  const pair = pairTest(rel, type);
  const right = e.right;
  return (get) => {
    const rs = operandValues(right, get, ctx);
    if (!rs.length) return false;
    const t: ElemTest = mode === 'any' || mode === 'none'
      ? (a) => rs.some((b) => pair(a, b))
      : (a) => rs.every((b) => pair(a, b));
    return runMode(operandValues(e.left, get, ctx), mode, t);
  };
}

function setRowTest(e: SetNode, ctx: OperandContext): RowTest {
  const type: FieldType = ctx.types.get(e.left) ?? 'string';
  const mode: Mode = e.negated ? 'none' : e.quant;
  const constant = (o: Operand): readonly Value[] => (o.kind === 'ref' || o.kind === 'literal' ? operandValues(o, () => null, ctx) : []);
  const dynamic = e.items.some((it) => it.kind !== 'literal' && it.kind !== 'range' && it.kind !== 'ref');
  if (!dynamic) {
    const test = setTest(e.op, type, e.items, constant);
    if (e.left.kind === 'field') {
      // as runMode over elements(value), without the array: absent is false, a scalar is one element
      const { name, arg } = e.left;
      const positive = mode === 'any' || mode === 'all';
      return (get) => {
        const v = get(name, arg);
        if (v === null || v === undefined) return false;
        if (Array.isArray(v)) return runMode(v, mode, test);
        return test(v) === positive;
      };
    }
    return (get) => runMode(operandValues(e.left, get, ctx), mode, test);
  }
  return (get) => runMode(operandValues(e.left, get, ctx), mode, setTest(e.op, type, e.items, (o) => operandValues(o, get, ctx)));
}

/** The fields a leaf reads from the row (references read the selected row, not this one). */
function leafFields(e: Expr): { name: string; arg?: string }[] {
  const out = new Map<string, { name: string; arg?: string }>();
  const visit = (o: Operand): void => {
    switch (o.kind) {
      case 'field': out.set(columnName(o.name, o.arg), { name: o.name, arg: o.arg }); break;
      case 'call': o.args.forEach(visit); break;
      case 'arith': visit(o.left); visit(o.right); break;
      case 'neg': case 'slice': visit(o.operand); break;
      default: break;
    }
  };
  if (e.kind === 'exists') visit(e.operand);
  else if (e.kind === 'cmp') { visit(e.left); visit(e.right); }
  else if (e.kind === 'set') { visit(e.left); for (const it of e.items) if (it.kind !== 'range') visit(it); }
  return [...out.values()];
}

/* ---------- bit helpers ---------- */

function isEmpty(a: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i]) return false;
  return true;
}

/** cand minus a (cand null = all n rows). */
function minus(cand: Cand, a: Uint32Array, n: number): Uint32Array {
  const out = new Uint32Array(a.length);
  if (cand) {
    for (let i = 0; i < a.length; i++) out[i] = cand[i]! & ~a[i]!;
    return out;
  }
  for (let i = 0; i < a.length; i++) out[i] = ~a[i]!;
  const tail = n & 31;
  if (tail && out.length) out[out.length - 1]! &= ~(0xffffffff >>> tail);
  return out;
}

/** Throws when references are used without a selected row. */
export function requireSelected(checked: Checked, selected: RowGetter | undefined, src: string): void {
  const at = checked.firstRef;
  if (!at || selected) return;
  throw new FilterError('no-selected-row', 'field references ($field / ${field}) need a selected row: compile(expr, { selected: row })', at.start, at.end, src);
}
