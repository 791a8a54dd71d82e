/**
 * IP address text forms as libsinsp prints them: dotted IPv4, inet_ntop-style IPv6
 * (RFC 5952 zero compression, "::ffff:1.2.3.4" for v4-mapped), and the inverse parsers the
 * writer and the synthetic generator use.
 */

/** Dotted quad of 4 network-order bytes at `off`. */
export function ipv4ToString(b: Uint8Array, off = 0): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** inet_ntop(AF_INET6) of 16 bytes at `off`. */
export function ipv6ToString(b: Uint8Array, off = 0): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
  // v4-mapped (::ffff:a.b.c.d) and v4-compatible (::a.b.c.d, not ::1/::) as glibc prints them
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0) {
    if (w[5] === 0xffff) return `::ffff:${ipv4ToString(b, off + 12)}`;
    if (w[5] === 0 && (w[6] !== 0 || w[7]! > 1)) return `::${ipv4ToString(b, off + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  const hex = (x: number) => x.toString(16);
  if (bestStart < 0) return w.map(hex).join(':');
  const head = w.slice(0, bestStart).map(hex).join(':');
  const tail = w.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

/** Is this IPv6 address v4-mapped (::ffff:a.b.c.d)? */
export function isV4Mapped(b: Uint8Array, off = 0): boolean {
  for (let i = 0; i < 10; i++) if (b[off + i] !== 0) return false;
  return b[off + 10] === 0xff && b[off + 11] === 0xff;
}

/** Parse dotted IPv4 text into 4 network-order bytes. Throws on malformed text. */
export function parseIpv4(s: string): Uint8Array {
  const parts = s.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${s}`);
  return Uint8Array.from(
    parts.map((p) => {
      const n = Number(p);
      if (!/^\d{1,3}$/.test(p) || n > 255) throw new Error(`not an IPv4 address: ${s}`);
      return n;
    }),
  );
}

/** Parse IPv6 text (with optional "::" and trailing dotted quad) into 16 bytes. */
export function parseIpv6(s: string): Uint8Array {
  const out = new Uint8Array(16);
  let text = s;
  const words: number[] = [];
  let tailV4: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = text.indexOf('::');
  const parseWords = (t: string) => (t === '' ? [] : t.split(':').map((h) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(h)) throw new Error(`not an IPv6 address: ${s}`);
    return parseInt(h, 16);
  }));
  if (dbl >= 0) {
    const head = parseWords(text.slice(0, dbl));
    const tail = parseWords(text.slice(dbl + 2));
    if (head.length + tail.length > 7) throw new Error(`not an IPv6 address: ${s}`);
    words.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  } else {
    words.push(...parseWords(text));
    if (words.length !== 8) throw new Error(`not an IPv6 address: ${s}`);
  }
  words.forEach((x, i) => {
    out[2 * i] = x >> 8;
    out[2 * i + 1] = x & 0xff;
  });
  if (tailV4) out.set(tailV4, 12);
  return out;
}
