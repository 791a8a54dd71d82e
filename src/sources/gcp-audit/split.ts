/**
 * Splits a buffer of JSON text into top-level values without parsing it as a
 * whole: a JSON array yields its elements, JSON lines / concatenated
 * (pretty-printed) objects yield each object. Works on bytes (UTF-8 never
 * puts `{}[]"\` inside a multi-byte character), so files larger than a JS
 * string can be read, and a damaged value costs only that value.
 */

export type Piece =
  | { kind: 'value'; start: number; end: number }
  | { kind: 'junk'; start: number; end: number; reason: string };

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const LBRACE = 0x7b, RBRACE = 0x7d, LBRACK = 0x5b, RBRACK = 0x5d, QUOTE = 0x22, BSLASH = 0x5c, COMMA = 0x2c, NL = 0x0a;

/** The end (exclusive) of the object/array starting at `i`, or -1 when it is not closed before `limit`. */
function matchClose(buf: Uint8Array, i: number, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let j = i; j < limit; j++) {
    const c = buf[j]!;
    if (inString) {
      if (c === BSLASH) j++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === LBRACE || c === LBRACK) depth++;
    else if (c === RBRACE || c === RBRACK) {
      depth--;
      if (depth === 0) return j + 1;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

function nextLine(buf: Uint8Array, i: number, limit: number): number {
  const j = buf.indexOf(NL, i);
  return j < 0 || j >= limit ? limit : j + 1;
}

/** The top-level pieces of `buf` (a UTF-8 BOM is skipped). */
export function* splitJson(buf: Uint8Array): Generator<Piece> {
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const n = buf.length;
  while (i < n) {
    const c = buf[i]!;
    if (WS.has(c) || c === COMMA) {
      i++;
      continue;
    }
    if (c === LBRACK) {
      // a top-level array: yield its elements one by one
      yield* splitArray(buf, i, n);
      const end = matchClose(buf, i, n);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === LBRACE) {
      const end = matchClose(buf, i, n);
      if (end < 0) {
        // unterminated: maybe a damaged JSON line; resume at the next line
        const lineEnd = nextLine(buf, i, n);
        yield { kind: 'junk', start: i, end: lineEnd, reason: lineEnd === n ? 'truncated JSON object' : 'unterminated JSON object' };
        i = lineEnd;
        continue;
      }
      yield { kind: 'value', start: i, end };
      i = end;
      continue;
    }
    const end = nextLine(buf, i, n);
    yield { kind: 'junk', start: i, end, reason: 'not a JSON object' };
    i = end;
  }
}

/** Elements of the array opening at `open`. */
function* splitArray(buf: Uint8Array, open: number, n: number): Generator<Piece> {
  let i = open + 1;
  while (i < n) {
    const c = buf[i]!;
    if (WS.has(c) || c === COMMA) {
      i++;
      continue;
    }
    if (c === RBRACK) return;
    if (c === LBRACE || c === LBRACK) {
      const end = matchClose(buf, i, n);
      if (end < 0) {
        yield { kind: 'junk', start: i, end: n, reason: 'truncated JSON array element' };
        return;
      }
      yield { kind: 'value', start: i, end };
      i = end;
      continue;
    }
    // a scalar element: skip it
    let j = i;
    if (c === QUOTE) {
      for (j = i + 1; j < n; j++) {
        if (buf[j] === BSLASH) j++;
        else if (buf[j] === QUOTE) break;
      }
      j++;
    } else while (j < n && buf[j] !== COMMA && buf[j] !== RBRACK) j++;
    yield { kind: 'junk', start: i, end: j, reason: 'array element is not an object' };
    i = j;
  }
  yield { kind: 'junk', start: open, end: n, reason: 'truncated JSON array' };
}
