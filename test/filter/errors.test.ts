/**
 * Malformed filters: each reports its own kind of error at the exact offset
 * (counted by hand), and prints the expression with a caret under it.
 */
import { describe, expect, it } from 'vitest';
import { check, compile, FilterError, formatFilterError, type FilterErrorKind } from '../../src/filter/index.js';
import './fixtures.js';

const BAD: [expr: string, kind: FilterErrorKind, start: number, message: RegExp][] = [
  ['ct.usr == "x"', 'unknown-field', 0, /unknown field "ct\.usr"/],
  ['evt.type = open and proc.nam = x', 'unknown-field', 20, /unknown field "proc\.nam"/],
  ['proc.name = ', 'missing-value', 12, /missing value/],
  ['proc.name ==', 'missing-value', 12, /missing value/],
  ['proc.name = and evt.type = open', 'missing-value', 12, /missing value/],
  ['proc.name in', 'missing-value', 12, /expected a set/],
  ['fd.sport in {}', 'missing-value', 9, /empty set/],
  ['proc.name == "abc', 'unbalanced-quote', 13, /unterminated string/],
  ["proc.name == 'abc", 'unbalanced-quote', 13, /unterminated string/],
  ['(proc.name = a', 'unbalanced-paren', 0, /unclosed parenthesis/],
  ['proc.name = a)', 'unbalanced-paren', 13, /unmatched closing parenthesis/],
  ['fd.sport in {80 443', 'unbalanced-brace', 12, /unclosed brace/],
  ['fd.name[0:3 == "x"', 'unbalanced-bracket', 7, /unclosed bracket/],
  ['fd.sport contains "x"', 'bad-operator', 9, /"contains" cannot be used on "fd\.sport", a number field/],
  ['evt.failed > true', 'bad-operator', 11, /">" cannot be used on "evt\.failed", a bool field/],
  ['fd.sport pmatch (/etc)', 'bad-operator', 9, /"pmatch" cannot be used/],
  ['fd.sip == 10.0.0.0/33', 'bad-cidr', 10, /prefix \/33/],
  ['ct.srcip in {10.0.0.0/8 192.168.0.0/40}', 'bad-cidr', 24, /prefix \/40/],
  ['proc.name matches "(a"', 'bad-regex', 18, /invalid regular expression/],
  ['ct.name regex "[a-"', 'bad-regex', 14, /invalid regular expression/],
  ['fd.sport == abc', 'bad-value', 12, /"abc" is not a number/],
  ['evt.failed = maybe', 'bad-value', 13, /not a boolean/],
  ['ct.time > "yesterday"', 'bad-value', 10, /not a timestamp/],
  ['fd.sip == 10.0.0.300', 'bad-value', 10, /not a valid IPv4 address/],
  ['fd.sip > 5', 'bad-value', 9, /"5" is not an IP address/],
  ['evt.time + 1 > 3', 'bad-operator', 0, /arithmetic needs numbers, but this is a timestamp/],
  ['ct.name bcontains xyz', 'bad-value', 18, /hex bytes/],
  ['frobnicate(proc.name) == 1', 'unknown-function', 0, /unknown function "frobnicate"/],
  ['evt.arg = 3', 'bad-argument', 0, /needs an argument/],
  ['proc.name[abc] == "x"', 'bad-argument', 0, /not a slice/],
  ['proc.aname[x] = bash', 'bad-argument', 0, /numeric index/],
  ['evt.type = open and', 'syntax', 19, /unexpected end of filter: expected a field/],
  ['&& proc.name = x', 'syntax', 0, /unexpected "&&"/],
  ['proc.name = a b', 'syntax', 14, /unexpected "b": expected and, or/],
  ['', 'syntax', 0, /empty filter/],
];

function errorOf(fn: () => unknown): FilterError | null {
  try {
    fn();
  } catch (e) {
    if (e instanceof FilterError) return e;
    throw e;
  }
  return null;
}

describe('malformed filters', () => {
  it.each(BAD)('%s -> %s at %i', (expr, kind, start, message) => {
    const errs = check(expr);
    expect(errs).toHaveLength(1);
    const e = errs[0]!;
    expect(e).toBeInstanceOf(FilterError);
    expect(e.kind).toBe(kind);
    expect(e.start).toBe(start);
    expect(e.message).toMatch(message);
    expect(() => compile(expr)).toThrow(FilterError);
  });

  it('has at least 20 cases', () => expect(BAD.length).toBeGreaterThanOrEqual(20));

  it('suggests the closest registered fields for an unknown one', () => {
    const [e] = check('ct.usr == "bert-jan"');
    expect(e!.suggestions[0]).toBe('ct.user');
  });

  it('prints the expression with a caret under the error', () => {
    const expr = 'ct.usr == "bert-jan"';
    const [e] = check(expr);
    const text = formatFilterError(e!, expr);
    expect(text).toBe('error: unknown field "ct.usr" (did you mean ct.user, ct.src?)\n  ct.usr == "bert-jan"\n  ^~~~~~');
    expect(e!.format()).toBe(text);
  });

  it('puts the caret under the offending value', () => {
    const [e] = check('fd.sip == 10.0.0.0/33');
    expect(e!.format().split('\n')[2]).toBe('            ^~~~~~~~~~~');
  });

  it('needs a selected row for ${field} references', () => {
    expect(check('proc.pid == ${proc.pid}')).toEqual([]);
    expect(() => compile('proc.pid == ${proc.pid}')).toThrow(/selected row/);
    const err = errorOf(() => compile('proc.name == "$x" && proc.pid == $proc.pid'));
    expect(err?.kind).toBe('no-selected-row');
    expect(err?.start).toBe(33);
  });

  it('accepts valid filters', () => {
    for (const ok of ['proc.name = curl', 'ct.user == "bert-jan" && !ct.error', 'evt.arg.fd exists', 'fd.sport in {80 443 8000..8080}']) {
      expect(check(ok)).toEqual([]);
    }
  });
});
