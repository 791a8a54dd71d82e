/**
 * The semantic check (Wireshark's semcheck): resolves names against the field
 * registry, decides `f[2]` = argument or slice, canonicalizes `evt.arg.fd`
 * to `evt.arg[fd]`, turns Wireshark bare field names on the right into
 * fields, and validates operators, literals, regexes and CIDRs for the
 * types involved. Returns a resolved tree plus the type of every operand.
 */
import { splitFieldSpec } from '../fields/spec.js';
import type { FieldType } from '../fields/types.js';
import { getField, suggestFields } from '../fields/registry.js';
import type {
  CallNode, CmpNode, CmpOp, Dialect, Expr, FieldNode, Literal, Operand, SetItem, SetNode, SliceNode, SliceRange,
} from './ast.js';
import { FilterError, type FilterErrorKind } from './errors.js';
import { parse as parseSyntax } from './grammar.js';
import { falcoRegex, globToRegex, hexBytes, wiresharkRegex } from './patterns.js';
import { looksLikeAddress } from './addresses.js';
import { literalScalar, ValueError } from './values.js';

export interface Checked {
  ast: Expr;
  /** the type of every non-literal operand */
  types: Map<Operand, FieldType>;
  /** column names (`name` or `name[arg]`) of the fields the expression reads, in order of appearance */
  fields: string[];
  syntax: 'wireshark' | 'falco' | 'mixed';
  /** the first `${field}` reference, when the expression uses any (they need a selected row) */
  firstRef: { start: number; end: number } | null;
}

/** Functions and Falco transformers: result type (null = type of the argument) and arity. */
const FUNCTIONS: Record<string, { result: FieldType | null; dialect: Dialect; numericArg?: boolean }> = {
  lower: { result: 'string', dialect: 'wireshark' },
  upper: { result: 'string', dialect: 'wireshark' },
  string: { result: 'string', dialect: 'wireshark' },
  len: { result: 'number', dialect: 'both' },
  count: { result: 'number', dialect: 'wireshark' },
  abs: { result: 'number', dialect: 'wireshark', numericArg: true },
  tolower: { result: 'string', dialect: 'falco' },
  toupper: { result: 'string', dialect: 'falco' },
  b64: { result: 'string', dialect: 'falco' },
  basename: { result: 'string', dialect: 'falco' },
  val: { result: null, dialect: 'falco' },
};
export const FUNCTION_NAMES = Object.keys(FUNCTIONS);

const STRING_OPS = new Set<CmpOp>(['contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'matches', 'regex']);
const BYTE_OPS = new Set<CmpOp>(['bcontains', 'bstartswith']);
const ORDER_OPS = new Set<CmpOp>(['lt', 'le', 'gt', 'ge']);
const PATTERN_OPS = new Set<CmpOp>(['matches', 'regex', 'glob', 'iglob']);

/** Columns every stratolab table has (frames/table.ts), usable in filters though no source registers them. */
const TABLE_COLUMNS: Record<string, FieldType> = { time: 'timestamp', source: 'string' };

/** Stratoshark protocol names, usable as bare filters: `cloudtrail` selects the rows whose `source` is aws_cloudtrail. */
export const PROTOCOLS: Record<string, string> = {
  cloudtrail: 'aws_cloudtrail', gcpaudit: 'gcp_auditlog', k8saudit: 'k8s_audit', sysdig: 'syscall',
};

const FIELD_SHAPE = /^[A-Za-z_][\w\-]*(?:\.[\w\-]+)+(?:\[[^\]]*\])?$/;

/** Falco rule-file definitions a condition may use. */
export interface CheckOptions {
  /** macros: name → condition (`spawned_process: 'evt.type = execve and evt.dir = <'`) */
  macros?: Readonly<Record<string, string>>;
  /** lists: name → items; an item may name another list */
  lists?: Readonly<Record<string, readonly string[]>>;
  /** the parser for macro conditions (index.ts passes its cached one) */
  parse?: (src: string) => Expr;
}

class Checker {
  readonly types = new Map<Operand, FieldType>();
  readonly fields: string[] = [];
  readonly dialects = new Set<Dialect>();
  firstRef: { start: number; end: number } | null = null;
  /** macros being expanded, outermost first, with where the outermost one is used */
  private readonly macros: { name: string; at: { start: number; end: number } }[] = [];
  constructor(readonly src: string, readonly opts: CheckOptions = {}) {}

  /** Errors inside a macro are reported at the macro's name in the expression. */
  fail(kind: FilterErrorKind, message: string, at: { start: number; end: number }, suggestions: string[] = []): never {
    if (this.macros.length) {
      const outer = this.macros[0]!.at;
      throw new FilterError(kind, `in macro ${this.macros.map((m) => `"${m.name}"`).join(' > ')}: ${message}`, outer.start, outer.end, this.src, suggestions);
    }
    throw new FilterError(kind, message, at.start, at.end, this.src, suggestions);
  }

  /** A Falco macro used as a condition: its checked condition in place of the name. */
  macro(name: string, at: { start: number; end: number }): Expr {
    if (this.macros.some((m) => m.name === name)) this.fail('bad-macro', `macro "${name}" refers to itself`, at);
    const text = this.opts.macros![name]!;
    this.macros.push({ name, at });
    try {
      let ast: Expr;
      try {
        ast = (this.opts.parse ?? parseSyntax)(text);
      } catch (e) {
        if (e instanceof FilterError) this.fail(e.kind, e.message, at);
        throw e;
      }
      return this.expr(respan(ast, at));
    } finally {
      this.macros.pop();
    }
  }

  /** Set items with Falco list names replaced by the lists' items (lists may nest). */
  expandLists(items: readonly SetItem[], seen: readonly string[] = []): SetItem[] {
    const lists = this.opts.lists ?? {};
    return items.flatMap((it): SetItem[] => {
      if (it.kind !== 'literal' || it.style !== 'bare' || !Object.hasOwn(lists, it.value)) {
        if (it.kind === 'literal' && it.listRef) this.fail('unknown-list', `unknown list "${it.value}" (pass it in the lists option)`, it);
        return [it];
      }
      if (seen.includes(it.value)) this.fail('bad-macro', `list "${it.value}" refers to itself`, it);
      const inner = lists[it.value]!.map((v): Literal => ({ kind: 'literal', value: v, style: 'bare', start: it.start, end: it.end }));
      return this.expandLists(inner, [...seen, it.value]);
    });
  }

  expr(e: Expr): Expr {
    if (e.kind === 'exists' && e.operand.kind === 'field' && e.operand.arg === undefined && this.opts.macros
      && Object.hasOwn(this.opts.macros, e.operand.name) && !getField(e.operand.name)) {
      return this.macro(e.operand.name, e.operand);
    }
    if (e.dialect) this.dialects.add(e.dialect);
    switch (e.kind) {
      case 'and': case 'or': case 'xor':
        return { ...e, left: this.expr(e.left), right: this.expr(e.right) };
      case 'not':
        return { ...e, expr: this.expr(e.expr) };
      case 'exists': {
        const o = e.operand;
        if (o.kind === 'field' && o.arg === undefined && PROTOCOLS[o.name] && !getField(o.name)) {
          // a protocol: `cloudtrail` is `source == "aws_cloudtrail"`
          const left: FieldNode = { kind: 'field', name: 'source', start: o.start, end: o.end };
          this.note(left, 'string');
          const right: Literal = { kind: 'literal', value: PROTOCOLS[o.name]!, style: 'quoted', start: o.start, end: o.end };
          return { kind: 'cmp', op: 'eq', left, right, start: e.start, end: e.end, dialect: 'wireshark' };
        }
        const operand = this.operand(o, true);
        return { ...e, operand };
      }
      case 'cmp':
        return this.cmp(e);
      case 'set':
        return this.set(e);
    }
  }

  /** Resolves a field name: registered, dotted argument (`evt.arg.fd`), argument or slice in brackets. */
  field(f: FieldNode): FieldNode | SliceNode {
    const def = getField(f.name);
    if (def) {
      if (f.arg !== undefined && !def.arg) {
        const ranges = parseSlice(f.arg);
        if (!ranges) this.fail('bad-argument', `field "${f.name}" takes no argument and "[${f.arg}]" is not a slice such as [0:3]`, f);
        const base: FieldNode = { kind: 'field', name: f.name, start: f.start, end: f.start + f.name.length, text: f.name };
        this.note(base, def.type);
        return { kind: 'slice', operand: base, ranges, text: f.arg, start: f.start, end: f.end };
      }
      if (f.arg === undefined && def.arg?.required) {
        this.fail('bad-argument', `field "${f.name}" needs an argument, e.g. ${f.name}[${def.arg.kind === 'index' ? '0' : 'name'}]`, f);
      }
      if (f.arg !== undefined && def.arg?.kind === 'index' && !/^-?\d+$/.test(f.arg.trim())) {
        this.fail('bad-argument', `field "${f.name}" takes a numeric index, not "${f.arg}"`, f);
      }
      const out: FieldNode = { ...f };
      this.note(out, def.type);
      return out;
    }
    if (f.arg === undefined && TABLE_COLUMNS[f.name]) {
      const out: FieldNode = { ...f };
      this.note(out, TABLE_COLUMNS[f.name]!);
      return out;
    }
    // dotted argument: evt.arg.fd -> evt.arg[fd], proc.aname.2 -> proc.aname[2]
    if (f.arg === undefined) {
      for (let i = f.name.lastIndexOf('.'); i > 0; i = f.name.lastIndexOf('.', i - 1)) {
        const base = getField(f.name.slice(0, i));
        if (base?.arg) {
          const out: FieldNode = { kind: 'field', name: base.name, arg: f.name.slice(i + 1), argStyle: 'dotted', start: f.start, end: f.end, text: f.text ?? f.name };
          this.note(out, base.type);
          return out;
        }
      }
    }
    const message = f.name.includes('.')
      ? `unknown field "${f.name}"`
      : `unknown field "${f.name}" (a Falco macro? pass its condition in the macros option)`;
    return this.fail('unknown-field', message, { start: f.start, end: f.start + f.name.length }, suggestFields(f.name));
  }

  note(f: FieldNode, type: FieldType): void {
    this.types.set(f, type);
    const col = f.arg === undefined ? f.name : `${f.name}[${f.arg}]`;
    if (!this.fields.includes(col)) this.fields.push(col);
  }

  operand(o: Operand, lhs: boolean): Operand {
    switch (o.kind) {
      case 'field':
        return this.field(o);
      case 'literal':
        if (lhs) this.fail('syntax', 'expected a field, function or reference here, not a value', o);
        if (o.quote === "'") this.dialects.add('falco');
        return o;
      case 'ref': {
        this.firstRef ??= { start: o.start, end: o.end };
        this.dialects.add('wireshark');
        const f = this.field(o.field);
        if (f.kind !== 'field') this.fail('bad-argument', 'a field reference cannot be sliced', o);
        const out = { ...o, field: f };
        this.types.set(out, this.types.get(f)!);
        return out;
      }
      case 'call':
        return this.call(o);
      case 'arith': case 'neg': {
        this.dialects.add('wireshark');
        const out = o.kind === 'arith'
          ? { ...o, left: this.numeric(this.operandAny(o.left)), right: this.numeric(this.operandAny(o.right)) }
          : { ...o, operand: this.numeric(this.operandAny(o.operand)) };
        this.types.set(out, 'number');
        return out;
      }
      case 'slice': {
        this.dialects.add('wireshark');
        const out = { ...o, operand: this.operand(o.operand, true) };
        this.types.set(out, 'string');
        return out;
      }
    }
  }

  /** An operand in an arithmetic or function argument: literals allowed, bare dotted words are fields. */
  operandAny(o: Operand): Operand {
    if (o.kind === 'literal') return o;
    return this.operand(o, true);
  }

  numeric(o: Operand): Operand {
    if (o.kind === 'literal') {
      if (o.style !== 'number') this.fail('bad-value', `"${o.value}" is not a number`, o);
      return o;
    }
    const t = this.types.get(o);
    if (t !== 'number') this.fail('bad-operator', `arithmetic needs numbers, but this is a ${t}`, o);
    return o;
  }

  call(c: CallNode): Operand {
    const spec = FUNCTIONS[c.fn];
    const nameSpan = { start: c.start, end: c.start + c.fn.length };
    if (!spec) {
      const close = FUNCTION_NAMES.filter((n) => n.startsWith(c.fn.slice(0, 2)) || c.fn.includes(n));
      this.fail('unknown-function', `unknown function "${c.fn}"`, nameSpan, close.slice(0, 3));
    }
    this.dialects.add(spec.dialect);
    if (c.args.length !== 1) this.fail('bad-argument', `${c.fn}() takes exactly one argument`, c);
    const arg = this.operandAny(c.args[0]!);
    if ((c.fn === 'val' || c.fn === 'count') && arg.kind !== 'field') this.fail('bad-argument', `${c.fn}() takes a field`, arg);
    if (spec.numericArg) this.numeric(arg);
    // one spelling per meaning: tolower -> lower, toupper -> upper, val(f) -> f
    if (c.fn === 'val') return arg;
    const fn = c.fn === 'tolower' ? 'lower' : c.fn === 'toupper' ? 'upper' : c.fn;
    const out: CallNode = { ...c, fn, args: [arg] };
    const argType = arg.kind === 'literal' ? 'string' : this.types.get(arg)!;
    this.types.set(out, spec.result ?? argType);
    return out;
  }

  /** The right side: a bare dotted word naming a registered field is a field (Wireshark), except after Falco's `=`. */
  rhs(o: Operand, dialect: Dialect | undefined): Operand {
    if (o.kind === 'literal' && o.style === 'bare' && dialect !== 'falco' && FIELD_SHAPE.test(o.value)) {
      const { name, arg } = splitFieldSpec(o.value);
      const known = getField(name) || [...name.matchAll(/\./g)].some((d) => getField(name.slice(0, d.index))?.arg);
      if (known) {
        const f: FieldNode = { kind: 'field', name, start: o.start, end: o.end, text: name };
        if (arg !== undefined) { f.arg = arg; f.argStyle = 'bracket'; }
        return this.field(f);
      }
    }
    return this.operandAny(o);
  }

  cmp(e: CmpNode): Expr {
    // in a chain `a < b <= c` the middle operand was read as a right side: resolve it the same way
    const left = e.left.kind === 'literal' && e.left.style === 'bare'
      ? this.operand(this.rhs(e.left, 'wireshark'), true)
      : this.operand(e.left, true);
    const right = this.rhs(e.right, e.dialect);
    const type = this.types.get(left)!;
    const opSpan = e.opSpan ?? e;
    const opName = opLabel(e.op);
    if (BYTE_OPS.has(e.op)) {
      if (right.kind !== 'literal' || !hexBytes(right.value)) this.fail('bad-value', `${opName} takes hex bytes, e.g. ${opName} 2f62696e`, right);
    } else if (STRING_OPS.has(e.op) && (type === 'number' || type === 'bool')) {
      this.fail('bad-operator', `operator "${opName}" cannot be used on ${describe(left)}, a ${type} field`, opSpan);
    } else if (ORDER_OPS.has(e.op) && type === 'bool') {
      this.fail('bad-operator', `operator "${opName}" cannot be used on ${describe(left)}, a bool field`, opSpan);
    }
    if (PATTERN_OPS.has(e.op)) {
      if (right.kind !== 'literal') this.fail('bad-value', `${opName} needs a pattern in quotes`, right);
      try {
        if (e.op === 'matches') wiresharkRegex(right.value);
        else if (e.op === 'regex') falcoRegex(right.value);
        else globToRegex(right.value);
      } catch (err) {
        this.fail('bad-regex', `invalid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`, right);
      }
    } else if (right.kind === 'literal' && !STRING_OPS.has(e.op) && !BYTE_OPS.has(e.op)) {
      this.literal(type, right);
    }
    if (e.quant) this.dialects.add('wireshark');
    return { ...e, left, right };
  }

  /** Validates a literal against the compared type (bad number, CIDR, timestamp, boolean). */
  literal(type: FieldType, lit: Literal): void {
    try {
      const t = type === 'list' || type === 'json' ? 'string' : type;
      // a bare CIDR on a string field compares as addresses: a bad prefix is an error there too
      literalScalar(t === 'string' && lit.style === 'bare' && lit.value.includes('/') && looksLikeAddress(lit.value.slice(0, lit.value.lastIndexOf('/'))) ? 'ip' : t, lit.value, lit.style);
    } catch (err) {
      if (err instanceof ValueError) this.fail(err.kind, err.message, lit);
      throw err;
    }
  }

  set(e: SetNode): Expr {
    const left = this.operand(e.left, true);
    const type = this.types.get(left)!;
    if (e.op === 'pmatch' && (type === 'number' || type === 'bool')) {
      this.fail('bad-operator', `operator "pmatch" cannot be used on ${describe(left)}, a ${type} field`, e.opSpan ?? e);
    }
    if (!e.items.length) this.fail('missing-value', 'empty set', e.opSpan ?? e);
    const items: SetItem[] = this.expandLists(e.items).map((it) => {
      if (it.kind === 'range') {
        this.literal(type, it.lo);
        this.literal(type, it.hi);
        return it;
      }
      if (it.kind === 'literal') {
        if (e.op === 'in') this.literal(type, it);
        if (it.quote === "'") this.dialects.add('falco');
        return it;
      }
      return this.operand(it, true);
    });
    return { ...e, left, items };
  }
}

/** A copy of a macro's tree with every span set to where the macro is used. */
function respan<T>(node: T, at: { start: number; end: number }): T {
  if (Array.isArray(node)) return node.map((n) => respan(n, at)) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    out[k] = (k === 'start' || k === 'end') && typeof v === 'number' ? at[k] : k === 'opSpan' ? { ...at } : respan(v, at);
  }
  return out as T;
}

function describe(o: Operand): string {
  if (o.kind === 'field') return `"${o.name}"`;
  if (o.kind === 'call') return `${o.fn}()`;
  if (o.kind === 'slice') return 'a slice';
  return 'this value';
}

export function opLabel(op: CmpOp): string {
  const sym: Partial<Record<CmpOp, string>> = { eq: '==', ne: '!=', all_eq: '===', any_ne: '!==', lt: '<', le: '<=', gt: '>', ge: '>=' };
  return sym[op] ?? op;
}

/** Wireshark slice syntax: `i:j` (start, length), `i-j` (inclusive), `i`, `:j`, `i:`, comma-separated; negatives count from the end. */
export function parseSlice(text: string): SliceRange[] | null {
  const out: SliceRange[] = [];
  for (const part of text.split(',')) {
    const p = part.trim();
    let m: RegExpExecArray | null;
    if ((m = /^(-?\d+)?:(\d+)?$/.exec(p))) {
      const start = m[1] === undefined ? 0 : Number(m[1]);
      const r: SliceRange = { start };
      if (m[2] !== undefined) { r.isLength = true; r.len = Number(m[2]); }
      out.push(r);
    } else if ((m = /^(-?\d+)-(-?\d+)$/.exec(p))) {
      out.push({ start: Number(m[1]), end: Number(m[2]) + 1 });
    } else if ((m = /^(-?\d+)$/.exec(p))) {
      out.push({ start: Number(m[1]), isLength: true, len: 1 });
    } else return null;
  }
  return out.length ? out : null;
}

/** Resolves and type-checks a parsed expression; throws the first FilterError. */
export function checkAst(ast: Expr, src: string, opts: CheckOptions = {}): Checked {
  const c = new Checker(src, opts);
  const out = c.expr(ast);
  const w = c.dialects.has('wireshark');
  const f = c.dialects.has('falco');
  return { ast: out, types: c.types, fields: c.fields, syntax: w && f ? 'mixed' : f ? 'falco' : 'wireshark', firstRef: c.firstRef };
}
