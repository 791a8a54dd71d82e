/**
 * The public API beyond filtering: Apply-as-Filter, translations between the
 * languages (expected texts written by hand), syntax detection, the fields a
 * filter reads, canonical trees, and `.test` on streaming rows.
 */
import { describe, expect, it } from 'vitest';
import { compile, filterFor, parse, stripSpans, toFalco, toWireshark } from '../../src/filter/index.js';
import './fixtures.js';

describe('filterFor (Apply as Filter)', () => {
  it.each([
    [{ 'ct.user': 'bert-jan' }, 'ct.user', 'ct.user == "bert-jan"'],
    [{ 'proc.cmdline': 'sh -c "id; uname"\n' }, 'proc.cmdline', 'proc.cmdline == "sh -c \\"id; uname\\"\\n"'],
    [{ 'proc.cmdline': 'C:\\tmp' }, 'proc.cmdline', 'proc.cmdline == "C:\\\\tmp"'],
    [{ 'fd.sport': 443 }, 'fd.sport', 'fd.sport == 443'],
    [{ 'evt.rawtime': 1688990404000999999n }, 'evt.rawtime', 'evt.rawtime == 1688990404000999999'],
    [{ 'fd.sip': '2001:db8::1' }, 'fd.sip', 'fd.sip == 2001:db8::1'],
    [{ 'evt.failed': true }, 'evt.failed', 'evt.failed == true'],
    [{}, 'ct.error', '!ct.error'],
    [{ 'evt.time': new Date('2023-07-10T12:00:00Z') }, 'evt.time', 'evt.time == "2023-07-10T12:00:00.000Z"'],
    [{ 'test.tags': ['a', 'b'] }, 'test.tags', 'test.tags == "a" && test.tags == "b"'],
    [{ 'proc.aname[2]': 'sshd' }, 'proc.aname[2]', 'proc.aname.2 == "sshd"'],
    [{ 'evt.arg[fd]': '3' }, 'evt.arg[fd]', 'evt.arg.fd == "3"'],
  ] as [Record<string, unknown>, string, string][])('%o %s -> %s', (row, field, expected) => {
    expect(filterFor(row, field)).toBe(expected);
    // and the filter selects the row it came from
    expect(compile(expected).test(row)).toBe(true);
  });

  it('writes Falco conditions on request', () => {
    expect(filterFor({ 'fd.sip': '10.0.0.1' }, 'fd.sip', { syntax: 'falco' })).toBe('fd.sip = 10.0.0.1');
    expect(filterFor({}, 'ct.error', { syntax: 'falco' })).toBe('not ct.error exists');
    expect(filterFor({ 'ct.user': 'bert-jan' }, 'ct.user', { syntax: 'falco' })).toBe('ct.user = "bert-jan"');
  });
});

describe('translations', () => {
  it.each([
    ['ct.name == "ConsoleLogin" && !ct.error', 'ct.name = "ConsoleLogin" and not ct.error exists'],
    ['proc.name contains "x" || fd.sport in {80 443 8000..8080}', 'proc.name contains "x" or (fd.sport in (80, 443) or (fd.sport >= 8000 and fd.sport <= 8080))'],
    ['fd.name not in {"/a" "/b"}', '(fd.name exists and not fd.name in ("/a", "/b"))'],
    ['ct.user == ct.srcip', 'ct.user = val(ct.srcip)'],
    ['lower(proc.name) == "bash"', 'tolower(proc.name) = "bash"'],
    ['evt.type == "open" ^^ evt.dir == ">"', '(evt.type = "open" and not evt.dir = ">") or (not evt.type = "open" and evt.dir = ">")'],
    ['proc.name ~ "^ba.h$"', String.raw`proc.name regex "(?i)[\\s\\S]*(?:^ba.h$)[\\s\\S]*"`],
    ['fd.sip == 10.0.0.0/8', 'fd.snet = 10.0.0.0/8'],
    ['fd.sip in {10.0.0.0/8 ::1}', 'fd.snet in (10.0.0.0/8, ::1/128)'],
    ['ct.srcip.v4 == 10.0.0.1', 'ct.srcip = 10.0.0.1'],
    ['!(a.b.c.d == 1)', null],
  ])('toFalco(%s)', (ws, falco) => {
    if (falco === null) expect(() => toFalco(ws)).toThrow(/unknown field/);
    else expect(toFalco(ws)).toBe(falco);
  });

  it.each([
    ['proc.name = bash and not fd.name pmatch (/etc, /usr/lib/)', 'proc.name == "bash" && !fd.name matches "(?-i)^(?:/etc|/usr/lib)(?:/|$)"'],
    ['proc.name startswith "ba" or proc.name endswith sh', 'proc.name matches "(?-i)^ba" || proc.name matches "(?-i)sh$"'],
    ['fd.name glob "/etc/*.conf"', String.raw`fd.name matches "(?-i)^/etc/[\\s\\S]*\\.conf$"`],
    ['proc.name regex "ba.h"', 'proc.name matches "(?-i)^(?:ba.h)$"'],
    ['proc.name icontains BA', 'proc.name matches "BA"'],
    ['test.tags in (a, b)', 'all test.tags in {"a" "b"}'],
    ['test.tags intersects (a, b)', 'test.tags in {"a" "b"}'],
    ['proc.aname[2] = sshd', 'proc.aname.2 == "sshd"'],
    ['evt.arg.fd = 3', 'evt.arg.fd == "3"'],
    ['fd.name bcontains 2f657463', 'fd.name contains "/etc"'],
    ['thread.tid = val(proc.pid)', 'thread.tid == proc.pid'],
  ])('toWireshark(%s)', (falco, ws) => {
    expect(toWireshark(falco)).toBe(ws);
  });

  it('reports what the other language cannot say, at its position', () => {
    expect(() => toFalco('fd.name[0:3] == "/et"')).toThrow(/slice cannot be written as a Falco condition/);
    expect(() => toFalco('proc.pid + 1 == 3')).toThrow(/arithmetic/);
    expect(() => toFalco('ct.srcip == 10.0.0.0/8')).toThrow(/CIDR comparison on ct\.srcip/);
    expect(() => toWireshark('basename(proc.exepath) = sh')).toThrow(/basename\(\) cannot be written as a Wireshark display filter/);
    let start = -1;
    try {
      toFalco('proc.name == "a" && fd.name[0:3] == "/et"');
    } catch (e) {
      start = (e as { start: number }).start;
    }
    expect(start).toBe(20);
  });
});

describe('compiled filter', () => {
  it('knows its language', () => {
    expect(compile('proc.name = bash').syntax).toBe('falco');
    expect(compile('ct.error exists').syntax).toBe('falco');
    expect(compile('ct.error').syntax).toBe('wireshark');
    expect(compile('proc.name == "bash" && fd.num > 3').syntax).toBe('wireshark');
    expect(compile('proc.name = bash && fd.num > 3').syntax).toBe('mixed');
    expect(compile('proc.name in (a, b) or fd.num in {1 2}').syntax).toBe('mixed');
  });

  it('lists the columns it reads', () => {
    expect(compile('evt.arg.fd = 3 and proc.aname[1] = bash or proc.name == proc.aname[1]').fields).toEqual(['evt.arg[fd]', 'proc.aname[1]', 'proc.name']);
  });

  it('canonicalizes dotted arguments and val()', () => {
    const a = stripSpans(compile('evt.arg.fd = 3').ast);
    const b = stripSpans(compile('evt.arg[fd] = 3').ast);
    expect(a).toEqual(b);
    expect(a).toEqual({ kind: 'cmp', op: 'eq', left: { kind: 'field', name: 'evt.arg', arg: 'fd' }, right: { kind: 'literal', value: '3', style: 'number' } });
    expect(stripSpans(compile('thread.tid = val(proc.pid)').ast)).toEqual(stripSpans(compile('thread.tid == proc.pid').ast));
  });

  it('prints itself in both languages', () => {
    const f = compile('proc.name == "bash" && !fd.name');
    expect(f.toFalco()).toBe('proc.name = "bash" and not fd.name exists');
    expect(f.toWireshark()).toBe('proc.name == "bash" && !fd.name');
    expect(String(f)).toBe('proc.name == "bash" && !fd.name');
  });

  it('caches parsed trees by string', () => {
    expect(parse('proc.name = bash')).toBe(parse('proc.name = bash'));
  });

  it('compares bare addresses on text fields as addresses, quoted ones as text', () => {
    expect(compile('ct.srcip == 2001:db8:0::1').test({ 'ct.srcip': '2001:db8::1' })).toBe(true);
    expect(compile('ct.srcip == "2001:db8:0::1"').test({ 'ct.srcip': '2001:db8::1' })).toBe(false);
    expect(compile('ct.srcip != 10.0.0.1').test({ 'ct.srcip': 'AWS Internal' })).toBe(true);
    expect(compile('ct.srcip == 10.0.0.0/8').test({ 'ct.srcip': 'AWS Internal' })).toBe(false);
  });

  it('tests streaming rows that expose get(field, arg)', () => {
    const f = compile('evt.arg.fd = 3 and proc.name startswith c');
    const row = (fd: string, name: string) => ({ get: (field: string, arg?: string) => (field === 'evt.arg' && arg === 'fd' ? fd : field === 'proc.name' ? name : undefined) });
    expect(f.test(row('3', 'cat'))).toBe(true);
    expect(f.test(row('4', 'cat'))).toBe(false);
    expect(f.test(row('3', 'bash'))).toBe(false);
  });
});
