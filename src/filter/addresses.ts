/**
 * IPv4 / IPv6 addresses and CIDR networks as comparable numbers:
 * `10.0.0.1`, `10.0.0.0/8`, `::1`, `2001:db8::/32`, `::ffff:1.2.3.4`.
 */

export interface Address {
  family: 4 | 6;
  /** the address as an unsigned integer (32 or 128 bits) */
  n: bigint;
}

export interface Network extends Address {
  /** prefix length in bits */
  prefix: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses an IPv4 or IPv6 address, or returns null. */
export function parseAddress(text: string): Address | null {
  const m = V4.exec(text);
  if (m) {
    let n = 0n;
    for (let i = 1; i <= 4; i++) {
      const b = Number(m[i]);
      if (b > 255) return null;
      n = (n << 8n) | BigInt(b);
    }
    return { family: 4, n };
  }
  if (!text.includes(':')) return null;
  return parseV6(text);
}

function parseV6(text: string): Address | null {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // an embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseAddress(tail);
    if (!v4 || v4.family !== 4) return null;
    s = `${s.slice(0, lastColon + 1)}${(v4.n >> 16n).toString(16)}:${(v4.n & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): bigint[] | null => {
    if (h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return null;
  let all: bigint[];
  if (halves.length === 2) {
    if (head.length + rest.length > 7) return null;
    all = [...head, ...new Array<bigint>(8 - head.length - rest.length).fill(0n), ...rest];
  } else all = head;
  if (all.length !== 8) return null;
  let n = 0n;
  for (const g of all) n = (n << 16n) | g;
  return { family: 6, n };
}

/** Parses `addr/prefix`; returns null when `text` is not CIDR-shaped, throws a message when it is but is invalid. */
export function parseNetwork(text: string): Network | null {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return null;
  const addr = parseAddress(text.slice(0, slash));
  const p = text.slice(slash + 1);
  if (!addr) {
    if (looksLikeAddress(text.slice(0, slash)) && /^\d+$/.test(p)) throw new Error(`invalid address "${text.slice(0, slash)}" in CIDR "${text}"`);
    return null;
  }
  if (!/^\d+$/.test(p)) throw new Error(`invalid CIDR prefix "/${p}" in "${text}"`);
  const prefix = Number(p);
  const bits = addr.family === 4 ? 32 : 128;
  if (prefix > bits) throw new Error(`invalid CIDR prefix /${prefix}: an IPv${addr.family} prefix is at most /${bits}`);
  return { ...addr, prefix };
}

/** True for text made of address characters (digits, dots, colons, hex) that might be a mistyped address. */
export function looksLikeAddress(text: string): boolean {
  return /^\d{1,3}(?:\.\d+){1,4}$/.test(text) || (/^[0-9a-fA-F:.]+$/.test(text) && text.includes(':') && /[0-9a-fA-F]/.test(text) && !/^\d+:\d+$/.test(text));
}

/** True when `a` lies in `net`. */
export function inNetwork(a: Address, net: Network): boolean {
  if (a.family !== net.family) return false;
  const shift = BigInt((a.family === 4 ? 32 : 128) - net.prefix);
  return a.n >> shift === net.n >> shift;
}

/** Orders addresses: IPv4 before IPv6, then numerically. */
export function compareAddress(a: Address, b: Address): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
}
