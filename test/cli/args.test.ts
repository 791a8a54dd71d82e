/** The tshark-style option parser. */
import { describe, expect, it } from 'vitest';
import { parseArgs, positiveInt, type OptionSpec } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/errors.js';

const SPECS: OptionSpec[] = [
  { name: 'display-filter', short: 'Y', value: 'FILTER', help: '' },
  { name: 'field', short: 'e', value: 'FIELD', multiple: true, help: '' },
  { name: 'since', value: 'TIME', help: '' },
  { name: 'stats', help: '' },
];

describe('parseArgs', () => {
  it('reads short and long forms, attached values, repeats and positionals', () => {
    const r = parseArgs('read', ['a.json', '-Yct.error', '-e', 'ct.user', '--field=ct.name', '--since', '2d', '--stats', 'b/', '--', '-weird-name'], SPECS);
    expect(r.options).toEqual({ 'display-filter': 'ct.error', field: ['ct.user', 'ct.name'], since: '2d', stats: true });
    expect(r.positionals).toEqual(['a.json', 'b/', '-weird-name']);
  });

  it('a value may start with a dash or be empty', () => {
    expect(parseArgs('read', ['-Y', '-x', '--since='], SPECS).options).toEqual({ 'display-filter': '-x', since: '' });
  });

  it('usage errors name the option and the command', () => {
    expect(() => parseArgs('read', ['--bogus'], SPECS)).toThrow(/unknown option --bogus for "read"/);
    expect(() => parseArgs('read', ['-Q'], SPECS)).toThrow(UsageError);
    expect(() => parseArgs('read', ['-Y'], SPECS)).toThrow(/-Y needs a value \(FILTER\)/);
    expect(() => parseArgs('read', ['--stats=yes'], SPECS)).toThrow(/takes no value/);
    expect(() => positiveInt('-c', '0', 'read')).toThrow(/positive integer/);
    expect(positiveInt('-c', '12', 'read')).toBe(12);
  });
});
