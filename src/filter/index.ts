/**
 * One filter engine for every source: Wireshark display-filter and Falco
 * condition syntax (mixable), checked against the field registry, compiled
 * to a column program over arquero tables.
 *
 *   const f = compile('ct.name == "ConsoleLogin" && !ct.error');
 *   f.filter(table)   // a filtered view (respects existing filters and order)
 *   f.count(table)
 *   f.test({ 'ct.name': 'ConsoleLogin' })
 */
import type { Table } from '../frames/table.js';
import type { Value } from '../fields/types.js';
import { splitFieldSpec } from '../fields/spec.js';
import type { Expr, FieldNode, Literal } from './ast.js';
import { parseAddress } from './addresses.js';
import { checkAst, type Checked, type CheckOptions } from './check.js';
import { compileProgram, compileRowPredicate, requireSelected } from './compile.js';
import type { RowGetter } from './semantics.js';
import { FilterError } from './errors.js';
import { evaluate as evaluateChecked } from './evaluate.js';
import { parse as parseSyntax } from './grammar.js';
import { printFalco, printWireshark } from './print.js';
import { isFieldSource, rowGetter, type FieldSource, type RowLike } from './rows.js';
import { valueToString } from './values.js';

export { FilterError, formatFilterError, type FilterErrorKind } from './errors.js';
export type * from './ast.js';
export { stripSpans } from './ast.js';
export type { RowLike, FieldSource } from './rows.js';

export interface CompileOptions extends Omit<CheckOptions, 'parse'> {
  /** the selected row, for `${field}` references (Wireshark: the selected packet) */
  selected?: RowLike;
}

/** Falco macros and lists for `check`, `toFalco`, `toWireshark`. */
export type RuleDefinitions = Omit<CheckOptions, 'parse'>;

export interface CompiledFilter {
  readonly expr: string;
  /** the checked tree: fields resolved, `evt.arg.fd` canonical, `val(f)` as a field */
  readonly ast: Expr;
  readonly syntax: 'wireshark' | 'falco' | 'mixed';
  /** the fields read, as column names (`proc.name`, `evt.arg[fd]`) */
  readonly fields: readonly string[];
  /** a view of the matching rows (AND-ed with the table's own filter; order and groups kept) */
  filter(table: Table): Table;
  count(table: Table): number;
  /** one row: a plain object keyed by field name (arguments as `name[arg]`) or an object with get(field, arg?) */
  test(row: RowLike): boolean;
  /** the filter as a Falco condition / Wireshark display filter (see toFalco, toWireshark) */
  toFalco(): string;
  toWireshark(): string;
  /** the expression as written */
  toString(): string;
}

const parsed = new Map<string, Expr | FilterError>();
const MAX_CACHE = 2000;

/** Parses (syntax only, cached by string); throws FilterError. */
export function parse(expr: string): Expr {
  let hit = parsed.get(expr);
  if (!hit) {
    try {
      hit = parseSyntax(expr);
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      hit = e;
    }
    if (parsed.size >= MAX_CACHE) parsed.delete(parsed.keys().next().value!);
    parsed.set(expr, hit);
  }
  if (hit instanceof FilterError) throw hit;
  return hit;
}

function checked(expr: string, defs: RuleDefinitions = {}): Checked {
  return checkAst(parse(expr), expr, { macros: defs.macros, lists: defs.lists, parse });
}

/** Compiles a filter; throws a FilterError (with position and suggestions) when it is invalid. */
export function compile(expr: string, opts: CompileOptions = {}): CompiledFilter {
  const c = checked(expr, opts);
  const selected = opts.selected ? rowGetter(opts.selected) : undefined;
  requireSelected(c, selected, expr);
  let program: ((t: Table) => import('arquero/src/table/BitSet.js').BitSet) | undefined;
  const run = (table: Table) => (program ??= compileProgram(c, selected))(table);
  let rowTest: ((get: RowGetter) => boolean) | undefined;
  // rows with get(field, arg) (streamed events) share one getter reading `current`: no closure per row
  let current: FieldSource | null = null;
  const sourceGet: RowGetter = (field, arg) => (current!.get(field, arg) ?? null) as Value;
  return {
    expr,
    ast: c.ast,
    syntax: c.syntax,
    fields: c.fields,
    filter: (table) => table.create({ filter: run(table) as never }) as Table,
    count: (table) => run(table).count(),
    test: (row) => {
      const t = (rowTest ??= compileRowPredicate(c, selected));
      if (!isFieldSource(row)) return t(rowGetter(row));
      const outer = current;
      current = row;
      try {
        return t(sourceGet);
      } finally {
        current = outer;
      }
    },
    toFalco: () => printFalco(c.ast, expr),
    toWireshark: () => printWireshark(c.ast, expr),
    toString: () => expr,
  };
}

/** The errors of an expression (empty when it is valid), without throwing. */
export function check(expr: string, defs: RuleDefinitions = {}): FilterError[] {
  try {
    checked(expr, defs);
    return [];
  } catch (e) {
    if (e instanceof FilterError) return [e];
    throw e;
  }
}

/** The slow reference evaluation of one row (tests compare compiled filters with it). */
export function evaluate(expr: string, row: RowLike, opts: CompileOptions = {}): boolean {
  return evaluateChecked(checked(expr, opts), rowGetter(row), opts.selected ? rowGetter(opts.selected) : undefined);
}

function treeOf(x: string | Expr, defs?: RuleDefinitions): { ast: Expr; src: string } {
  return typeof x === 'string' ? { ast: checked(x, defs).ast, src: x } : { ast: x, src: '' };
}

/** Stratoshark's "Copy as Falco rule condition"; throws `untranslatable` for what Falco cannot express. Macros and lists are expanded. */
export function toFalco(x: string | Expr, defs?: RuleDefinitions): string {
  const { ast, src } = treeOf(x, defs);
  return printFalco(ast, src);
}

/** The expression as a Wireshark/Stratoshark display filter (Falco macros and lists expanded). */
export function toWireshark(x: string | Expr, defs?: RuleDefinitions): string {
  const { ast, src } = treeOf(x, defs);
  return printWireshark(ast, src);
}

/**
 * Stratoshark's "Apply as Filter": the expression selecting this row's value
 * of `field` (`ct.user == "bert-jan"`, `fd.sip == 10.0.0.1`, `evt.arg.fd ==
 * "3"`, `!ct.error` when absent), quoted and escaped by the printer of the
 * chosen language. `field` may carry an argument: `proc.aname[2]`.
 */
export function filterFor(row: RowLike, field: string, opts: { syntax?: 'wireshark' | 'falco' } = {}): string {
  const { name, arg } = splitFieldSpec(field);
  const node: FieldNode = { kind: 'field', name, start: 0, end: field.length, ...(arg === undefined ? {} : { arg, argStyle: 'bracket' as const }) };
  const print = opts.syntax === 'falco' ? printFalco : printWireshark;
  const v = rowGetter(row)(name, arg);
  const values = v === null || v === undefined ? [] : Array.isArray(v) ? v : [v];
  if (!values.length) return print({ kind: 'not', expr: { kind: 'exists', operand: node, start: 0, end: 0 }, start: 0, end: 0 });
  const tests: Expr[] = values.map((x) => ({ kind: 'cmp', op: 'eq', left: node, right: literalOf(x as Value), start: 0, end: 0 }));
  return print(tests.reduce((a, b) => ({ kind: 'and', left: a, right: b, start: 0, end: 0 })));
}

/** A value as a literal: numbers and booleans as written, addresses bare, everything else quoted text. */
function literalOf(v: Value): Literal {
  const lit = (value: string, style: Literal['style']): Literal => ({ kind: 'literal', value, style, start: 0, end: 0 });
  if (typeof v === 'number' || typeof v === 'bigint') return lit(String(v), 'number');
  if (typeof v === 'boolean') return lit(v ? 'true' : 'false', 'bare');
  const s = valueToString(v);
  return parseAddress(s) ? lit(s, 'bare') : lit(s, 'quoted');
}
