/**
 * The typed values behind comparisons: addresses and CIDRs, numbers with
 * bigints, timestamps, globs, slices (expected values worked out by hand).
 */
import { describe, expect, it } from 'vitest';
import { inNetwork, parseAddress, parseNetwork } from '../../src/filter/addresses.js';
import { globToRegex, pathPrefixMatch } from '../../src/filter/patterns.js';
import { slice } from '../../src/filter/semantics.js';
import { parseSlice } from '../../src/filter/check.js';
import { compareNum, formatNs, parseNumber, parseTimestamp, toNs } from '../../src/filter/values.js';

describe('addresses', () => {
  it.each([
    ['10.0.0.1', 4, 0x0a000001n],
    ['::1', 6, 1n],
    ['::ffff:1.2.3.4', 6, 0xffff01020304n],
    ['64:ff9b::1.2.3.4', 6, 0x0064ff9b000000000000000001020304n],
    ['1:2:3:4:5:6:7:8', 6, 0x00010002000300040005000600070008n],
    ['fe80::1%eth0', 6, 0xfe800000000000000000000000000001n],
    ['1::', 6, 0x00010000000000000000000000000000n],
  ] as const)('%s', (text, family, n) => {
    expect(parseAddress(text)).toEqual({ family, n });
  });
  it.each(['10.0.0.256', '1::2::3', '1:2:3:4:5:6:7:8:9', 'ec2.amazonaws.com', '12345::', ''])('%s is not an address', (t) => {
    expect(parseAddress(t)).toBeNull();
  });
  it('matches CIDRs of both families', () => {
    expect(inNetwork(parseAddress('10.255.0.1')!, parseNetwork('10.0.0.0/8')!)).toBe(true);
    expect(inNetwork(parseAddress('11.0.0.1')!, parseNetwork('10.0.0.0/8')!)).toBe(false);
    expect(inNetwork(parseAddress('2001:db8:ffff::1')!, parseNetwork('2001:db8::/32')!)).toBe(true);
    expect(inNetwork(parseAddress('10.0.0.1')!, parseNetwork('::/0')!)).toBe(false);
    expect(inNetwork(parseAddress('1.2.3.4')!, parseNetwork('0.0.0.0/0')!)).toBe(true);
  });
  it('rejects bad CIDRs with a reason, and ignores text that is not CIDR-shaped', () => {
    expect(() => parseNetwork('10.0.0.0/33')).toThrow(/at most \/32/);
    expect(() => parseNetwork('::/129')).toThrow(/at most \/128/);
    expect(() => parseNetwork('10.0.0.300/8')).toThrow(/invalid address/);
    expect(parseNetwork('/etc/passwd')).toBeNull();
    expect(parseNetwork('10.0.0.1')).toBeNull();
  });
});

describe('numbers', () => {
  it('parses the literal forms', () => {
    expect(parseNumber('42')).toBe(42);
    expect(parseNumber('-7')).toBe(-7);
    expect(parseNumber('0x1f')).toBe(31);
    expect(parseNumber('0b101')).toBe(5);
    expect(parseNumber('010')).toBe(8);
    expect(parseNumber('1.5e3')).toBe(1500);
    expect(parseNumber('1688990404000999999')).toBe(1688990404000999999n);
    expect(parseNumber('abc')).toBeNull();
  });
  it('compares bigints and numbers exactly', () => {
    expect(compareNum(1688990404000999999n, 1688990404000999998n)).toBe(1);
    expect(compareNum(2 ** 53, 2n ** 53n + 1n)).toBe(-1);
    expect(compareNum(3, 3n)).toBe(0);
    expect(compareNum(2.5, 2n)).toBe(1);
  });
});

describe('timestamps', () => {
  const T = 1688990400000000000n; // 2023-07-10T12:00:00Z
  it.each([
    ['2023-07-10T12:00:00Z', T],
    ['2023-07-10T12:00:00.000000001Z', T + 1n],
    ['2023-07-10T14:00:00+02:00', T],
    ['2023-07-10 12:00:00', T],
    ['2023-07-10', T - 12n * 3600n * 1000000000n],
    ['Jul 10, 2023 12:00:00.5', T + 500000000n],
  ])('%s', (text, ns) => expect(parseTimestamp(text)).toBe(ns));
  it('reads Date, bigint ns, number ms and text', () => {
    expect(toNs(new Date('2023-07-10T12:00:00Z'))).toBe(T);
    expect(toNs(T)).toBe(T);
    expect(toNs(1688990400000)).toBe(T);
    expect(toNs('yesterday')).toBeNull();
  });
  it('formats ns as RFC 3339', () => expect(formatNs(T + 1500n)).toBe('2023-07-10T12:00:00.0000015Z'));
});

describe('globs and path prefixes', () => {
  it('follows fnmatch without flags', () => {
    expect(globToRegex('/etc/*').test('/etc/ssh/sshd_config')).toBe(true);
    expect(globToRegex('*.so.?').test('libc.so.6')).toBe(true);
    expect(globToRegex('[!a]*').test('abc')).toBe(false);
    expect(globToRegex('[a-c]x').test('bx')).toBe(true);
    expect(globToRegex('a\\*b').test('a*b')).toBe(true);
    expect(globToRegex('a\\*b').test('axb')).toBe(false);
    expect(globToRegex('[abc').test('[abc')).toBe(true);
    expect(globToRegex('ABC', true).test('abc')).toBe(true);
  });
  it('matches path prefixes on component boundaries', () => {
    expect(pathPrefixMatch('/etc/passwd', '/etc')).toBe(true);
    expect(pathPrefixMatch('/etc', '/etc')).toBe(true);
    expect(pathPrefixMatch('/etcx', '/etc')).toBe(false);
    expect(pathPrefixMatch('/usr/lib/x', '/usr/lib/')).toBe(true);
  });
});

describe('slices', () => {
  const s = (text: string, spec: string) => slice(text, parseSlice(spec)!);
  it('reads Wireshark slice specs by code point', () => {
    expect(s('/etc/passwd', '0:4')).toBe('/etc');
    expect(s('/etc/passwd', '1-3')).toBe('etc');
    expect(s('/etc/passwd', '-6:')).toBe('passwd');
    expect(s('/etc/passwd', ':4')).toBe('/etc');
    expect(s('/etc/passwd', '5')).toBe('p');
    expect(s('/etc/passwd', '0:1,5:2')).toBe('/pa');
    expect(s('üñí', '1:1')).toBe('ñ');
    expect(s('abc', '2:5')).toBeNull();
    expect(s('abc', '3:')).toBeNull();
    expect(parseSlice('abc')).toBeNull();
  });
});
