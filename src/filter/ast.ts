/**
 * The filter syntax tree, shared by both languages. Every node carries its
 * source span `{start, end}` (offsets into the expression). Operators are
 * stored by meaning, not spelling: Falco `=` and Wireshark `==`/`eq` are both
 * `eq`; the printers choose the spelling of the target language.
 */

export interface Span {
  start: number;
  end: number;
}

/** Which language a construct belongs to ('both' for shared spellings such as `==`, `and`, `(`). */
export type Dialect = 'wireshark' | 'falco' | 'both';

/**
 * Comparison operators. `eq` = any value equal, `ne` = all values not equal,
 * `all_eq` (`===`), `any_ne` (`!==`) as in Wireshark; ordering operators take
 * an explicit `quant` (Wireshark `all`/`any` prefix, default any).
 * `matches` = Wireshark regex search (case-insensitive by default),
 * `regex` = Falco RE2 full match (case-sensitive).
 */
export type CmpOp =
  | 'eq' | 'ne' | 'all_eq' | 'any_ne' | 'lt' | 'le' | 'gt' | 'ge'
  | 'contains' | 'icontains' | 'bcontains' | 'startswith' | 'bstartswith' | 'endswith'
  | 'glob' | 'iglob' | 'matches' | 'regex';

/** Set operators: `in` with quant any (Wireshark `in`, Falco `intersects`) or all (Falco `in`), `pmatch` path prefix. */
export type SetOp = 'in' | 'pmatch';

export type Expr = LogicNode | NotNode | ExistsNode | CmpNode | SetNode;

export interface LogicNode extends Span {
  kind: 'and' | 'or' | 'xor';
  left: Expr;
  right: Expr;
  dialect?: Dialect;
}

export interface NotNode extends Span {
  kind: 'not';
  expr: Expr;
  dialect?: Dialect;
}

/** Wireshark bare field / Falco `field exists`. */
export interface ExistsNode extends Span {
  kind: 'exists';
  operand: Operand;
  dialect?: Dialect;
}

export interface CmpNode extends Span {
  kind: 'cmp';
  op: CmpOp;
  /** quantifier over multi-valued operands for ordering and string operators; eq/ne/all_eq/any_ne imply theirs */
  quant?: 'any' | 'all';
  left: Operand;
  right: Operand;
  /** span of the operator token */
  opSpan?: Span;
  dialect?: Dialect;
}

export interface SetNode extends Span {
  kind: 'set';
  op: SetOp;
  /** any: some value is in the set; all: every value is (Falco `in` on list fields) */
  quant: 'any' | 'all';
  /** Wireshark `not in`: every value is outside the set (false when absent) */
  negated?: boolean;
  left: Operand;
  items: SetItem[];
  opSpan?: Span;
  dialect?: Dialect;
}

export type SetItem = Operand | RangeNode;

/** Wireshark set range `lo..hi` (inclusive). */
export interface RangeNode extends Span {
  kind: 'range';
  lo: Literal;
  hi: Literal;
}

export type Operand = FieldNode | Literal | CallNode | RefNode | ArithNode | NegNode | SliceNode;

/** A field, with an optional argument (`proc.aname[2]`, `evt.arg.fd` → name `evt.arg`, arg `fd`). */
export interface FieldNode extends Span {
  kind: 'field';
  name: string;
  arg?: string;
  /** how the argument was written: `[x]` brackets or `.x` dotted (printing keeps it) */
  argStyle?: 'bracket' | 'dotted';
  /** as typed (before canonicalization), for messages */
  text?: string;
}

/**
 * A literal as written. `style` records how: quoted strings are text, `bare`
 * words are text or (Wireshark) a field name resolved by the checker,
 * `number` is numeric text. The checker converts it to the compared type.
 */
export interface Literal extends Span {
  kind: 'literal';
  value: string;
  style: 'quoted' | 'bare' | 'number';
  /** Falco single quotes, Wireshark raw strings */
  quote?: '"' | "'" | 'r';
  /** Falco `in list_name` (no parentheses): the name of a list, expanded by the checker */
  listRef?: true;
}

/** Function / transformer call: lower(), upper(), len(), count(), string(), abs(), tolower(), toupper(), b64(), basename(), val(). */
export interface CallNode extends Span {
  kind: 'call';
  fn: string;
  args: Operand[];
}

/** Wireshark `${field}` / `$field`: the value from the selected row. */
export interface RefNode extends Span {
  kind: 'ref';
  field: FieldNode;
}

/** Wireshark arithmetic `a + b` (grouping with `{ }`). */
export interface ArithNode extends Span {
  kind: 'arith';
  op: '+' | '-' | '*' | '/' | '%';
  left: Operand;
  right: Operand;
}

export interface NegNode extends Span {
  kind: 'neg';
  operand: Operand;
}

/** Wireshark slice `f[0:3]`, `f[1-3,5:]`, `f[-1]`. */
export interface SliceNode extends Span {
  kind: 'slice';
  operand: Operand;
  ranges: SliceRange[];
  /** the bracket text as written */
  text: string;
}

/** start offset (negative from the end) and end (exclusive), undefined = to the end. */
export interface SliceRange {
  start: number;
  end?: number;
  /** true when end is relative to start (`i:len`) */
  isLength?: boolean;
  len?: number;
}

/** A copy of the tree without positions and dialect tags, for structural comparison. */
export function stripSpans<T>(node: T): T {
  if (Array.isArray(node)) return node.map((n) => stripSpans(n)) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === 'start' && typeof v === 'number' && 'kind' in (node as object)) continue;
    if (k === 'end' && typeof v === 'number' && 'kind' in (node as object)) continue;
    if (k === 'opSpan' || k === 'dialect' || k === 'text' || k === 'argStyle') continue;
    if (v === undefined) continue;
    out[k] = stripSpans(v);
  }
  return out as T;
}
