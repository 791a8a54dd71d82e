/**
 * Properties over random inputs (fast-check):
 * - printing a filter in its own language and parsing it again gives the same tree;
 * - the column program selects exactly the rows the row-by-row reference
 *   evaluator accepts, on random tables with absent values, dictionary and
 *   plain columns, and on already-filtered views.
 */
import * as aq from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, compile, evaluate, FilterError, filterFor, parse, stripSpans, toFalco, toWireshark, type Expr } from '../../src/filter/index.js';
import { checkAst } from '../../src/filter/check.js';
import { DictBuilder } from '../../src/frames/columns.js';
import './fixtures.js';

/* ---------- random expressions ---------- */

const STRINGS = ['bash', 'curl', 'sh', 'Bash', '/etc/passwd', '/etc', 'a"b', 'x\\y', 'tab\there', 'üñí', '', 'b'];
const strLit = fc.constantFrom(...STRINGS).map((s) => JSON.stringify(s));
const bareWord = fc.constantFrom('bash', 'curl', 'sh', '/etc/passwd', 'bert-jan');
const num = fc.integer({ min: -5, max: 70 }).map(String);
const ipLit = fc.constantFrom('10.0.0.1', '10.0.0.0/8', '192.168.1.0/24', '::1', '2001:db8::/32', '10.0.0.2');
const STR_FIELDS = ['proc.name', 'fd.name'];
const NUM_FIELDS = ['fd.sport', 'proc.pid'];
const sField = fc.constantFrom(...STR_FIELDS);
const nField = fc.constantFrom(...NUM_FIELDS);
const anyField = fc.constantFrom(...STR_FIELDS, ...NUM_FIELDS, 'fd.sip', 'evt.failed', 'test.tags', 'evt.time');
const time = fc.constantFrom('"2023-07-10T12:00:00Z"', '"2023-07-10T12:00:30Z"', '"2023-07-10"');

const wsLeaf: fc.Arbitrary<string> = fc.oneof(
  anyField,
  fc.tuple(sField, fc.constantFrom('==', '!=', '===', '!==', 'contains', 'matches', '<', '>='), strLit).map(([f, o, v]) => `${f} ${o} ${o === 'matches' ? '"^b"' : v}`),
  fc.tuple(nField, fc.constantFrom('==', '!=', '<', '<=', '>', '>=', 'eq', 'ne', 'gt', 'le'), num).map(([f, o, v]) => `${f} ${o} ${v}`),
  fc.tuple(fc.constantFrom('all ', 'any ', ''), nField, fc.constantFrom('>', '<='), num).map(([q, f, o, v]) => `${q}${f} ${o} ${v}`),
  fc.tuple(ipLit, fc.constantFrom('==', '!=')).map(([v, o]) => `fd.sip ${o} ${v}`),
  fc.tuple(nField, fc.array(fc.oneof(num, fc.tuple(num, num).map(([a, b]) => `${a}..${b}`)), { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([f, items, neg]) => `${f} ${neg ? 'not in' : 'in'} {${items.join(' ')}}`),
  fc.tuple(fc.array(strLit, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([items, neg]) => `test.tags ${neg ? 'not in' : 'in'} {${items.join(' ')}}`),
  fc.tuple(fc.constantFrom('==', '!=', '===', '!=='), strLit).map(([o, v]) => `test.tags ${o} ${v}`),
  fc.tuple(fc.constantFrom('lower', 'upper', 'string'), sField, strLit).map(([fn, f, v]) => `${fn}(${f}) == ${v}`),
  fc.tuple(sField, num).map(([f, n]) => `len(${f}) > ${Math.abs(Number(n) % 12)}`),
  num.map((n) => `count(test.tags) == ${Math.abs(Number(n) % 3)}`),
  fc.tuple(sField, strLit).map(([f, v]) => `${f}[0:2] == ${v}`),
  fc.tuple(nField, nField, fc.constantFrom('==', '!=', '<')).map(([a, b, o]) => `${a} ${o} ${b}`),
  fc.tuple(nField, num, num).map(([f, a, b]) => `${f} + ${a} == ${b}`),
  fc.tuple(fc.constantFrom('==', '>', '<'), time).map(([o, t]) => `evt.time ${o} ${t}`),
  fc.constantFrom('evt.failed == true', 'evt.failed != false'),
);

const falcoLeaf: fc.Arbitrary<string> = fc.oneof(
  anyField.map((f) => `${f} exists`),
  fc.tuple(sField, fc.constantFrom('=', '!=', 'contains', 'icontains', 'startswith', 'endswith'), fc.oneof(strLit, bareWord)).map(([f, o, v]) => `${f} ${o} ${v}`),
  fc.tuple(sField, fc.constantFrom('glob', 'iglob', 'regex'), fc.constantFrom('"b*"', '"*sh"', '"/etc/*"', '"[bc]*"')).map(([f, o, v]) => `${f} ${o} ${o === 'regex' ? v.replace('*', '.*') : v}`),
  fc.tuple(nField, fc.constantFrom('=', '!=', '<', '<=', '>', '>='), num).map(([f, o, v]) => `${f} ${o} ${v}`),
  fc.tuple(sField, fc.array(fc.oneof(strLit, bareWord), { minLength: 1, maxLength: 3 })).map(([f, items]) => `${f} in (${items.join(', ')})`),
  fc.tuple(fc.constantFrom('in', 'intersects'), fc.array(strLit, { minLength: 1, maxLength: 3 })).map(([o, items]) => `test.tags ${o} (${items.join(', ')})`),
  fc.array(fc.constantFrom('/etc', '/dev', '/var/log'), { minLength: 1, maxLength: 2 }).map((ps) => `fd.name pmatch (${ps.join(', ')})`),
  fc.tuple(fc.constantFrom('tolower', 'toupper', 'basename'), sField, fc.oneof(strLit, bareWord)).map(([fn, f, v]) => `${fn}(${f}) = ${v}`),
  fc.tuple(nField, nField).map(([a, b]) => `${a} = val(${b})`),
  fc.constantFrom('10.0.0.1', '::1').map((v) => `fd.sip = ${v}`),
  fc.constantFrom('10.0.0.0/8', '2001:db8::/32').map((v) => `fd.snet = ${v}`),
  fc.constantFrom('evt.failed = true', 'fd.name bcontains 6574', 'len(test.tags) > 1'),
);

function exprOf(leaf: fc.Arbitrary<string>, ops: { and: string; or: string; not: string; xor?: string }): fc.Arbitrary<string> {
  const { tree } = fc.letrec<{ tree: string }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      tie('tree').map((e) => `${ops.not}(${e})`),
      fc.tuple(tie('tree'), tie('tree'), fc.constantFrom(...[ops.and, ops.or, ...(ops.xor ? [ops.xor] : [])])).map(([a, b, o]) => `${a} ${o} ${b}`),
      fc.tuple(tie('tree'), tie('tree'), fc.constantFrom(ops.and, ops.or)).map(([a, b, o]) => `(${a}) ${o} (${b})`),
    ),
  }));
  return tree;
}

const wiresharkExpr = exprOf(wsLeaf, { and: '&&', or: '||', not: '!', xor: '^^' });
const falcoExpr = exprOf(falcoLeaf, { and: 'and', or: 'or', not: 'not ' });
const mixedExpr = exprOf(fc.oneof(wsLeaf, falcoLeaf), { and: 'and', or: '||', not: '!', xor: 'xor' });

/** The checked tree without positions; literals compare by value (bare, quoted and numeric spellings print differently). */
function canonical(expr: string): Expr {
  const strip = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(strip);
    if (n === null || typeof n !== 'object') return n;
    const o = { ...(n as Record<string, unknown>) };
    if (o.kind === 'literal') {
      // how a value was written (bare, quoted, a number compared as text) is presentation:
      // the checker already converted it for the compared type
      delete o.style;
      delete o.quote;
    }
    for (const k of Object.keys(o)) o[k] = strip(o[k]);
    return o;
  };
  return strip(stripSpans(checkAst(parse(expr), expr).ast)) as Expr;
}

describe('printers', () => {
  it('toWireshark then parse gives the same tree', () => {
    fc.assert(fc.property(wiresharkExpr, (e) => {
      const printed = toWireshark(e);
      expect(canonical(printed)).toEqual(canonical(e));
      expect(toWireshark(printed)).toBe(printed);
    }), { numRuns: 300 });
  });

  it('toFalco then parse gives the same tree', () => {
    fc.assert(fc.property(falcoExpr, (e) => {
      const printed = toFalco(e);
      expect(canonical(printed)).toEqual(canonical(e));
      expect(toFalco(printed)).toBe(printed);
    }), { numRuns: 300 });
  });

  /** The translation, or null when the target language cannot say it (an `untranslatable` error). */
  const translate = (fn: (e: string) => string, e: string): string | null => {
    try {
      return fn(e);
    } catch (err) {
      if (err instanceof FilterError && err.kind === 'untranslatable') return null;
      throw err;
    }
  };

  it('Falco to Wireshark keeps the meaning on random rows', () => {
    fc.assert(fc.property(falcoExpr, fc.array(rowArb, { minLength: 1, maxLength: 8 }), (e, rows) => {
      const ws = translate(toWireshark, e);
      if (ws === null) return;
      for (const r of rows) expect(evaluate(ws, r)).toBe(evaluate(e, r));
    }), { numRuns: 200 });
  });

  it('Wireshark to Falco keeps the meaning on random rows', () => {
    fc.assert(fc.property(wiresharkExpr, fc.array(rowArb, { minLength: 1, maxLength: 8 }), (e, rows) => {
      const f = translate(toFalco, e);
      if (f === null) return;
      // Falco compares CIDRs on fd.snet, which holds the same address as fd.sip
      for (const r of rows) expect(evaluate(f, { ...r, 'fd.snet': r['fd.sip'] })).toBe(evaluate(e, r));
    }), { numRuns: 200 });
  });
});

/* ---------- random tables ---------- */

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 4 });
const rowArb = fc.record({
  'proc.name': maybe(fc.constantFrom(...STRINGS)),
  'fd.name': maybe(fc.constantFrom(...STRINGS, '/etc/shadow', '/dev/null', '/var/log/x')),
  'fd.sport': maybe(fc.integer({ min: -5, max: 70 })),
  'proc.pid': maybe(fc.integer({ min: -5, max: 70 })),
  'fd.sip': maybe(fc.constantFrom('10.0.0.1', '10.1.2.3', '192.168.1.7', '::1', '2001:db8::5', 'ec2.amazonaws.com')),
  'evt.failed': maybe(fc.boolean()),
  'test.tags': maybe(fc.array(fc.constantFrom(...STRINGS), { maxLength: 3 })),
  'evt.time': maybe(fc.constantFrom(new Date('2023-07-10T12:00:00Z'), new Date('2023-07-10T12:00:31Z'), new Date('2023-07-09T00:00:00Z'))),
}, { requiredKeys: [] });
type Row = Record<string, unknown>;

function tableOf(rows: Row[], dict: boolean): aq.ColumnTable {
  const cols: Record<string, unknown> = { id: rows.map((_, i) => i) };
  for (const k of ['proc.name', 'fd.name', 'fd.sport', 'proc.pid', 'fd.sip', 'evt.failed', 'test.tags', 'evt.time']) {
    if (dict && (k === 'proc.name' || k === 'fd.sip')) {
      const b = new DictBuilder<string>();
      for (const r of rows) b.push((r[k] as string | undefined) ?? null);
      cols[k] = b.finish();
    } else cols[k] = rows.map((r) => r[k] ?? null);
  }
  return aq.table(cols as Record<string, unknown[]>);
}

describe('column program = reference evaluator', () => {
  it('on random tables and random filters of both languages', () => {
    fc.assert(fc.property(mixedExpr, fc.array(rowArb, { maxLength: 70 }), fc.boolean(), (e, rows, dict) => {
      const t = tableOf(rows, dict);
      const f = compile(e);
      const expected = rows.map((_, i) => i).filter((i) => evaluate(e, rows[i]!));
      expect(f.filter(t).array('id')).toEqual(expected);
      expect(f.count(t)).toBe(expected.length);
      expect(rows.map((_, i) => i).filter((i) => f.test(rows[i]!))).toEqual(expected);
      const view = t.filter(aq.escape((d: Row) => (d.id as number) % 3 !== 0));
      expect(f.filter(view).array('id')).toEqual(expected.filter((i) => i % 3 !== 0));
    }), { numRuns: 400 });
  });
});

describe('robustness', () => {
  const pieces = fc.constantFrom('proc.name', 'fd.sport', 'ct.user', '==', '=', '!=', '<', 'contains', 'in', 'not', '!', 'and', '&&', '||', 'or',
    '(', ')', '{', '}', '[', ']', '"', "'", 'x', '80', '10.0.0.0/8', '..', ',', '${', '$', 'lower(', 'exists', ' ', '~', '^^', 'matches', '"(a"', '0:3', '-', '+', '*');
  it('never throws anything but a FilterError, with a position inside the expression', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.array(pieces, { maxLength: 12 }).map((p) => p.join(' ')), fc.array(pieces, { maxLength: 12 }).map((p) => p.join(''))), (e) => {
      const errs = check(e);
      for (const err of errs) {
        expect(err).toBeInstanceOf(FilterError);
        expect(err.start).toBeGreaterThanOrEqual(0);
        expect(err.start).toBeLessThanOrEqual(e.length);
        expect(err.end).toBeLessThanOrEqual(e.length + 1);
        expect(err.format()).toContain('^');
      }
    }), { numRuns: 1500 });
  });
});

describe('Apply as Filter', () => {
  const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('a"b', 'x\\y', 'tab\there', 'new\nline', '\u0001', 'üñí', "it's", '${x}', '10.0.0.1', ''));
  const value = fc.oneof(
    fc.record({ f: fc.constant('proc.name'), v: text }),
    fc.record({ f: fc.constant('fd.sport'), v: fc.integer({ min: -1000, max: 70000 }) }),
    fc.record({ f: fc.constant('evt.rawtime'), v: fc.bigInt({ min: 0n, max: 2n ** 63n }) }),
    fc.record({ f: fc.constant('fd.sip'), v: fc.oneof(fc.ipV4(), fc.ipV6()) }),
    fc.record({ f: fc.constant('evt.failed'), v: fc.boolean() }),
    fc.record({ f: fc.constant('test.tags'), v: fc.array(text, { minLength: 1, maxLength: 3 }) }),
    fc.record({ f: fc.constant('evt.arg[fd]'), v: text }),
  );
  it('gives a filter, in either language, that selects the row it came from', () => {
    fc.assert(fc.property(value, fc.constantFrom('wireshark', 'falco') as fc.Arbitrary<'wireshark' | 'falco'>, ({ f, v }, syntax) => {
      const row = { [f]: v };
      const expr = filterFor(row, f, { syntax });
      expect(compile(expr).test(row)).toBe(true);
      expect(compile(expr).test({})).toBe(false);
      expect(compile(filterFor({}, f, { syntax })).test({})).toBe(true);
    }), { numRuns: 400 });
  });
});
