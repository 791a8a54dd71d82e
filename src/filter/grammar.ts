/**
 * The parser: both filter languages, Wireshark display filters and Falco
 * conditions, in one parsimmon grammar. It builds the syntax tree only; field
 * names, types and argument-vs-slice are resolved by check.ts.
 *
 * Precedence, loosest first: or `||`, xor `^^`, and `&&`, not `!`.
 */
import P from 'parsimmon';
import type {
  CallNode, CmpNode, CmpOp, Dialect, Expr, FieldNode, Literal, Operand, RangeNode, SetItem, SetNode, Span,
} from './ast.js';
import { FilterError } from './errors.js';

/** Characters that continue an identifier (keywords must not be followed by one). */
const IDENT_CONT = /[\w.\-]/;
const ws = P.regexp(/\s*/);

/** Runs `p`, returns [start, value, end] (end before trailing blanks), then skips blanks. */
function spanned<T>(p: P.Parser<T>): P.Parser<[number, T, number]> {
  return P.seqMap(P.index, p, P.index, (s, v, e) => [s.offset, v, e.offset] as [number, T, number]).skip(ws);
}

/** A keyword (case-sensitive, as libsinsp) that is not the start of a longer identifier. */
function word(w: string): P.Parser<string> {
  return P.regexp(new RegExp(`${w}(?!${IDENT_CONT.source})`)).desc(`'${w}'`);
}

function sym(s: string): P.Parser<string> {
  return P.string(s).skip(ws);
}

/* ---------- literals ---------- */

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '/': '/', '"': '"', "'": "'", ' ': ' ',
};

/**
 * Decodes the escapes of both languages (Wireshark `\a \b \f \n \r \t \v \\ \" \' \NNN \xNN \uNNNN
 * \UNNNNNNNN`, Falco `\/ \<space>`). An unknown escape (`\d` in a regex) keeps its backslash.
 */
export function unescape(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[i + 1]!;
    if (n in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[n];
      i++;
    } else if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 2, i + 4))) {
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
      out += String.fromCodePoint(parseInt(body.slice(i + 2, i + 6), 16));
      i += 5;
    } else if (n === 'U' && /^[0-9a-fA-F]{8}$/.test(body.slice(i + 2, i + 10))) {
      out += String.fromCodePoint(parseInt(body.slice(i + 2, i + 10), 16));
      i += 9;
    } else if (/^[0-7]{3}$/.test(body.slice(i + 1, i + 4))) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      out += c; // keep the backslash: `\d`, `\.` reach the regex engine intact
    }
  }
  return out;
}

const dquoted = P.regexp(/"((?:[^"\\]|\\[\s\S])*)"/, 1).map((b) => ({ value: unescape(b), quote: '"' as const }));
const squoted = P.regexp(/'((?:[^'\\]|\\[\s\S])*)'/, 1).map((b) => ({ value: unescape(b), quote: "'" as const }));
const rawquoted = P.regexp(/r"((?:[^"\\]|\\[\s\S])*)"/, 1).map((b) => ({ value: b, quote: 'r' as const }));

const quoted: P.Parser<Literal> = spanned(P.alt(rawquoted, dquoted, squoted)).map(([start, q, end]) => ({
  kind: 'literal' as const, value: q.value, style: 'quoted' as const, quote: q.quote, start, end,
}));

/** Numbers: decimal, hex, octal/binary (Wireshark), floats, exponent; not the start of an address or a date. */
const NUMBER = /[+-]?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?![\w:/\-]|\.(?!\.))/;
const number: P.Parser<Literal> = spanned(P.regexp(NUMBER)).map(([start, value, end]) => ({
  kind: 'literal' as const, value, style: 'number' as const, start, end,
}));

const KEYWORD = /(?:and|or|not|xor|in)(?![\w.\-])/;
/**
 * A bare word value (Falco BareStr: `curl`, `/etc/passwd`, `bert-jan`, `10.0.0.0/8`, `>`), which
 * stops at blanks, quotes, parentheses, braces, commas, `=` and at `&&`, `||`, `^^`, `!=`.
 */
const BARE = new RegExp(`(?!${KEYWORD.source})(?:[^\\s(),="'{}&|^!]|&(?!&)|\\|(?!\\|)|\\^(?!\\^)|!(?!=))+`);
const bare: P.Parser<Literal> = spanned(P.regexp(BARE)).map(([start, value, end]) => ({
  kind: 'literal' as const, value, style: 'bare' as const, start, end,
}));

/* ---------- fields ---------- */

const FIELD_NAME = /[A-Za-z_][\w\-]*(?:\.[\w\-]+)*/;
const BRACKET = /\[((?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\]"'])*)\]/;

function unquoteArg(a: string): string {
  const m = /^\s*(["'])([\s\S]*)\1\s*$/.exec(a);
  return m ? unescape(m[2]!) : a;
}

const field: P.Parser<FieldNode> = spanned(
  P.seq(P.regexp(FIELD_NAME).desc('a field'), P.regexp(BRACKET, 1).atMost(1)),
).chain(([start, [name, br], end]) => {
  if (/^(?:and|or|not|xor|in)$/.test(name)) return P.fail('a field');
  const node: FieldNode = { kind: 'field', name, start, end, text: name };
  if (br.length) {
    node.arg = unquoteArg(br[0]!);
    node.argStyle = 'bracket';
  }
  return P.succeed(node);
});

/* ---------- operands (values, fields, functions, arithmetic) ---------- */

/** `${field}` or `$field`: the value of the field in the selected row. */
const ref: P.Parser<Operand> = P.seqMap(
  P.index,
  P.alt(P.string('${').then(spanned(P.regexp(FIELD_NAME))).skip(P.string('}')), P.string('$').then(spanned(P.regexp(FIELD_NAME)))),
  P.index,
  (s, [fs, name, fe], e): Operand => ({
    kind: 'ref', start: s.offset, end: e.offset, field: { kind: 'field', name, start: fs, end: fe, text: name },
  }),
).skip(ws);

const FN_NAME = /[A-Za-z_]\w*(?=\()/;

function call(arg: () => P.Parser<Operand>): P.Parser<CallNode> {
  return P.seqMap(
    P.index,
    P.regexp(FN_NAME),
    sym('('),
    P.sepBy(P.lazy(arg), sym(',')),
    P.string(')'),
    P.index,
    (s, fn, _o, args, _c, e) => ({ kind: 'call' as const, fn, args, start: s.offset, end: e.offset }),
  ).skip(ws);
}

/** Falco transformer lists: `concat(proc.name, ("x", "y"))` are not supported; lists appear only after set operators. */
function arith(term: P.Parser<Operand>): P.Parser<Operand> {
  const mulOp = P.regexp(/[*/%](?=\s)/).skip(ws) as P.Parser<'*' | '/' | '%'>;
  const addOp = P.regexp(/[+-](?=\s)/).skip(ws) as P.Parser<'+' | '-'>;
  const chain = (p: P.Parser<Operand>, op: P.Parser<'+' | '-' | '*' | '/' | '%'>): P.Parser<Operand> =>
    P.seqMap(p, P.seq(op, p).many(), (first, rest) =>
      rest.reduce<Operand>((l, [o, r]) => ({ kind: 'arith', op: o, left: l, right: r, start: l.start, end: r.end }), first),
    );
  return chain(chain(term, mulOp), addOp);
}

/** A term on the left of an operator: a bare word is a field. */
const lhsTerm: P.Parser<Operand> = P.lazy(() =>
  P.alt<Operand>(
    group(lhsTerm),
    ref,
    call(() => lhsOperand),
    quoted,
    number,
    neg(lhsTerm),
    field,
  ),
);
const lhsOperand: P.Parser<Operand> = P.lazy(() => arith(lhsTerm));

/** A term on the right of an operator: a bare word is a value (the checker may resolve it to a field). */
const rhsTerm: P.Parser<Operand> = P.lazy(() =>
  P.alt<Operand>(group(rhsTerm), ref, call(() => lhsOperand), quoted, number, neg(rhsTerm), bare),
);
const rhsOperand: P.Parser<Operand> = P.lazy(() => arith(rhsTerm)).desc('a value');

/** Wireshark arithmetic grouping `{ a + b }`. */
function group(term: P.Parser<Operand>): P.Parser<Operand> {
  return P.seqMap(P.index, sym('{'), P.lazy(() => arith(term)), P.string('}'), P.index, (s, _o, inner, _c, e) => ({
    ...inner, start: s.offset, end: e.offset,
  })).skip(ws);
}

function neg(term: P.Parser<Operand>): P.Parser<Operand> {
  return P.seqMap(P.index, P.regexp(/-(?=[\w${])/), term, (s, _m, operand) => ({
    kind: 'neg' as const, operand, start: s.offset, end: operand.end,
  }));
}

/* ---------- operators ---------- */

interface OpToken extends Span {
  op: CmpOp;
  dialect: Dialect;
}

const CMP_SYMBOLS: [string, CmpOp, Dialect][] = [
  ['===', 'all_eq', 'wireshark'], ['!==', 'any_ne', 'wireshark'], ['==', 'eq', 'both'], ['!=', 'ne', 'both'],
  ['<=', 'le', 'both'], ['>=', 'ge', 'both'], ['=', 'eq', 'falco'], ['<', 'lt', 'both'], ['>', 'gt', 'both'],
  ['~', 'matches', 'wireshark'],
];
const CMP_WORDS: [string, CmpOp, Dialect][] = [
  ['eq', 'eq', 'wireshark'], ['any_eq', 'eq', 'wireshark'], ['ne', 'ne', 'wireshark'], ['all_ne', 'ne', 'wireshark'],
  ['all_eq', 'all_eq', 'wireshark'], ['any_ne', 'any_ne', 'wireshark'], ['gt', 'gt', 'wireshark'], ['lt', 'lt', 'wireshark'],
  ['ge', 'ge', 'wireshark'], ['le', 'le', 'wireshark'], ['contains', 'contains', 'both'], ['matches', 'matches', 'wireshark'],
  ['icontains', 'icontains', 'falco'], ['bcontains', 'bcontains', 'falco'], ['startswith', 'startswith', 'falco'],
  ['bstartswith', 'bstartswith', 'falco'], ['endswith', 'endswith', 'falco'], ['glob', 'glob', 'falco'],
  ['iglob', 'iglob', 'falco'], ['regex', 'regex', 'falco'],
];

/** One regex for all operators (longest spelling first), then a table lookup: much faster than an alternation of parsers. */
const OPS = new Map<string, { op: CmpOp; dialect: Dialect }>([...CMP_SYMBOLS, ...CMP_WORDS].map(([s, op, dialect]) => [s, { op, dialect }]));
const OP_REGEX = new RegExp(
  `(?:${CMP_SYMBOLS.map(([s]) => s.replace(/[|\\{}()[\]^$+*?.]/g, '\\$&')).join('|')})|(?:${[...CMP_WORDS].map(([w]) => w).sort((a, b) => b.length - a.length).join('|')})(?![\\w.\\-])`,
);
const cmpOp: P.Parser<OpToken> = spanned(P.regexp(OP_REGEX).desc('an operator')).map(([start, text, end]) => ({ ...OPS.get(text)!, start, end }));

/* ---------- sets ---------- */

/** A Wireshark set item: a value or a range `lo..hi`; bare items stop at `..`. */
const setBare: P.Parser<Literal> = spanned(P.regexp(/(?:[^\s,{}()"'.]|\.(?!\.))+/)).map(([start, value, end]) => ({
  kind: 'literal' as const, value, style: /^[+-]?(?:0[xX][0-9a-fA-F]+|\d+\.?\d*(?:[eE][+-]?\d+)?)$/.test(value) ? ('number' as const) : ('bare' as const), start, end,
}));
const setValue: P.Parser<Literal> = P.alt(quoted, setBare);
const wsSetItem: P.Parser<SetItem> = P.alt<SetItem>(
  ref,
  P.seqMap(setValue, sym('..').then(setValue).atMost(1), (lo, hi): SetItem =>
    hi.length ? ({ kind: 'range', lo, hi: hi[0]!, start: lo.start, end: hi[0]!.end } as RangeNode) : lo,
  ),
);
/** `{80 443 8000..8080}` (Wireshark; commas allowed) */
const braceSet: P.Parser<SetItem[]> = sym('{').then(P.sepBy(wsSetItem, sym(',').atMost(1))).skip(P.string('}').desc("'}'"));
/** `(a, "b", 3)` (Falco; a trailing list name is not supported) */
const parenSet: P.Parser<SetItem[]> = sym('(').then(P.sepBy(P.alt<Operand>(quoted, number, bare), sym(','))).skip(P.string(')').desc("')'"));

/** Falco `proc.name in shell_binaries`: a list name instead of a parenthesised list. */
const listName: P.Parser<SetItem[]> = spanned(P.regexp(/[A-Za-z_]\w*(?![\w.\-])/)).map(([start, value, end]) => [
  { kind: 'literal' as const, value, style: 'bare' as const, listRef: true as const, start, end },
]);

/* ---------- checks and boolean structure ---------- */

const quantifier = spanned(P.alt(word('any'), word('all')).skip(P.lookahead(/\s+[A-Za-z_${]/)));

type Tail =
  | { t: 'exists'; end: number }
  | { t: 'cmp'; op: OpToken; right: Operand; chain: [OpToken, Operand][] }
  | { t: 'mod'; op: OpToken; mod: 'anyof' | 'allof' | 'oneof'; items: SetItem[]; end: number }
  | { t: 'set'; op: 'in' | 'intersects' | 'pmatch' | 'notin'; opSpan: Span; braces: boolean; items: SetItem[]; end: number };

const setOpTok = spanned(
  P.alt(
    P.seq(word('not'), P.regexp(/\s+/), word('in')).map(() => 'notin' as const),
    word('in').map(() => 'in' as const),
    word('intersects').map(() => 'intersects' as const),
    word('pmatch').map(() => 'pmatch' as const),
  ),
);

const tail: P.Parser<Tail> = P.alt<Tail>(
  spanned(word('exists')).map(([, , end]) => ({ t: 'exists' as const, end })),
  P.seqMap(setOpTok, spanned(P.alt(braceSet.map((i) => [true, i] as const), parenSet.map((i) => [false, i] as const), listName.map((i) => [false, i] as const)).desc('a set')),
    ([s, op, e], [, [braces, items], end]) => ({ t: 'set' as const, op, opSpan: { start: s, end: e }, braces, items, end })),
  cmpOp.chain((op) => P.alt<Tail>(
    // Falco modifiers: `proc.name startswith anyof (ba, zs)`
    P.seqMap(P.regexp(/(?:anyof|allof|oneof)(?![\w.\-])/).skip(ws), spanned(parenSet),
      (mod, [, items, end]) => ({ t: 'mod' as const, op, mod: mod as 'anyof' | 'allof' | 'oneof', items, end })),
    // Wireshark chained comparisons: `a < b <= c` is `a < b && b <= c`
    P.seqMap(rhsOperand, P.seq(cmpOp, rhsOperand).many(), (right, chain) => ({ t: 'cmp' as const, op, right, chain })),
  )),
);

const check: P.Parser<Expr> = P.seqMap(quantifier.atMost(1), lhsOperand, tail.atMost(1), (q, left, t): Expr => {
  const quant = q.length ? (q[0]![1] as 'any' | 'all') : undefined;
  const start = q.length ? q[0]![0] : left.start;
  if (!t.length) return { kind: 'exists', operand: left, start, end: left.end, dialect: 'wireshark' };
  const tl = t[0]!;
  if (tl.t === 'exists') return { kind: 'exists', operand: left, start, end: tl.end, dialect: 'falco' };
  const cmp = (l: Operand, op: OpToken, r: Operand, from: number): CmpNode => {
    const node: CmpNode = { kind: 'cmp', op: op.op, left: l, right: r, start: from, end: r.end, opSpan: { start: op.start, end: op.end }, dialect: op.dialect };
    if (quant === 'all') node.quant = quant; // `any` is the default
    return node;
  };
  if (tl.t === 'cmp') {
    let out: Expr = cmp(left, tl.op, tl.right, start);
    let prev = tl.right;
    for (const [op, r] of tl.chain) {
      out = { kind: 'and', left: out, right: cmp(prev, op, r, prev.start), start, end: r.end, dialect: 'wireshark' };
      prev = r;
    }
    return out;
  }
  if (tl.t === 'mod') {
    const tests = tl.items.map((it) => cmp(left, { ...tl.op, dialect: 'falco' }, it as Operand, start));
    const join = (kind: 'and' | 'or', xs: Expr[]): Expr => xs.reduce((a, b) => ({ kind, left: a, right: b, start, end: tl.end, dialect: 'falco' }));
    if (tl.mod === 'anyof') return join('or', tests);
    if (tl.mod === 'allof') return join('and', tests);
    // oneof: exactly one of them
    return join('or', tests.map((t, i) => join('and', [t, ...tests.filter((_, j) => j !== i).map((u): Expr => ({ kind: 'not', expr: u, start, end: tl.end, dialect: 'falco' }))])));
  }
  const node: SetNode = {
    kind: 'set', op: tl.op === 'pmatch' ? 'pmatch' : 'in',
    quant: tl.op === 'in' && !tl.braces ? 'all' : quant ?? 'any',
    left, items: tl.items, start, end: tl.end, opSpan: tl.opSpan,
    dialect: tl.braces || tl.op === 'notin' ? 'wireshark' : 'falco',
  };
  if (quant === 'all') node.quant = 'all';
  if (tl.op === 'notin') node.negated = true;
  return node;
});

const expr: P.Parser<Expr> = P.lazy(() => orExpr);

const paren: P.Parser<Expr> = P.seqMap(P.index, sym('('), expr, P.string(')').desc("')'"), P.index, (_s, _o, e) => e).skip(ws);

const notExpr: P.Parser<Expr> = P.lazy(() =>
  P.alt<Expr>(
    P.seqMap(P.index, P.alt(word('not').map(() => 'both' as const), P.regexp(/!(?!=)/).map(() => 'wireshark' as const)), ws, notExpr,
      (s, dialect, _w, inner): Expr => ({ kind: 'not', expr: inner, start: s.offset, end: inner.end, dialect })),
    paren,
    check,
  ),
);

function binary(kind: 'and' | 'or' | 'xor', next: P.Parser<Expr>, ops: [P.Parser<string>, Dialect][]): P.Parser<Expr> {
  const op = P.alt(...ops.map(([p, d]) => p.map(() => d))).skip(ws);
  return P.seqMap(next, P.seq(op, next).many(), (first, rest) =>
    rest.reduce<Expr>((l, [dialect, r]) => ({ kind, left: l, right: r, start: l.start, end: r.end, dialect }), first),
  );
}

const andExpr = binary('and', notExpr, [[word('and'), 'both'], [P.string('&&'), 'wireshark']]);
const xorExpr = binary('xor', andExpr, [[word('xor'), 'wireshark'], [P.string('^^'), 'wireshark']]);
const orExpr = binary('or', xorExpr, [[word('or'), 'both'], [P.string('||'), 'wireshark']]);

const whole: P.Parser<Expr> = ws.then(expr).skip(P.eof.desc('end of filter'));

/* ---------- entry point and error messages ---------- */

/** Parses one expression into a syntax tree, or throws a positioned FilterError. */
export function parse(source: string): Expr {
  if (!source.trim()) throw new FilterError('syntax', 'empty filter', 0, source.length, source);
  const r = whole.parse(source);
  if (r.status) return r.value;
  throw explain(source, r.index.offset, r.expected);
}

/** Turns a parsimmon failure into the most specific error: balance first, then what was expected. */
function explain(src: string, offset: number, expected: string[]): FilterError {
  const balance = scanBalance(src);
  if (balance) return balance;
  const rest = src.slice(offset);
  const token = /^\S+/.exec(rest)?.[0] ?? '';
  if (expected.includes('a value') || expected.includes('a set')) {
    const what = expected.includes('a set') && !expected.includes('a value') ? 'a set such as {a b} or (a, b)' : 'a value';
    if (!token || /^(?:and|or|xor|&&|\|\||\^\^|\)|\})/.test(rest)) {
      return new FilterError('missing-value', `missing value: expected ${what} after the operator`, offset, offset + 1, src);
    }
  }
  const desc = token ? `unexpected "${token}"` : 'unexpected end of filter';
  let exp: string;
  if (expected.includes("'and'") || expected.includes("'&&'")) exp = 'and, or, xor (&&, ||, ^^) or the end of the filter';
  else if (expected.includes('a field')) exp = 'a field, "(" or "not"';
  else exp = [...new Set(expected)].slice(0, 6).join(', ');
  return new FilterError('syntax', `${desc}${exp ? `: expected ${exp}` : ''}`, offset, offset + Math.max(1, token.length), src);
}

/** Unbalanced quotes, parentheses, braces and brackets, with the position of the culprit. */
export function scanBalance(src: string): FilterError | null {
  const stack: { c: string; at: number }[] = [];
  const close: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  const kinds: Record<string, 'unbalanced-paren' | 'unbalanced-brace' | 'unbalanced-bracket'> = {
    '(': 'unbalanced-paren', '{': 'unbalanced-brace', '[': 'unbalanced-bracket',
  };
  const names: Record<string, string> = { '(': 'parenthesis', '{': 'brace', '[': 'bracket' };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '"' || c === "'") {
      // a quote inside a bare word (don't) is not a string start only when preceded by a word char
      if (c === "'" && i > 0 && /\w/.test(src[i - 1]!) ) continue;
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) return new FilterError('unbalanced-quote', `unterminated string: missing closing ${c}`, i, src.length, src);
      i = j;
    } else if (c === '(' || c === '{' || c === '[') {
      stack.push({ c, at: i });
    } else if (c === ')' || c === '}' || c === ']') {
      const top = stack.pop();
      if (!top) return new FilterError(kinds[close[c]!]!, `unmatched closing ${names[close[c]!]} "${c}"`, i, i + 1, src);
      if (top.c !== close[c]) return new FilterError(kinds[top.c]!, `unclosed ${names[top.c]} "${top.c}" (found "${c}")`, top.at, top.at + 1, src);
    }
  }
  const open = stack.pop();
  if (open) return new FilterError(kinds[open.c]!, `unclosed ${names[open.c]} "${open.c}"`, open.at, open.at + 1, src);
  return null;
}
