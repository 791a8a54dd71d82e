/**
 * A small interpreter of the Cloud Logging query language over LogEntry
 * JSON: the subset push-down produces (and a little more). It is the
 * server's side in tests (the loopback gRPC server and the push-down
 * property test) and can apply a Logging query to local files.
 *
 * It models the server strictly where documentation leaves room: string
 * `=` and `:` compare case-sensitively (Cloud Logging folds case, which only
 * accepts more), a missing field fails every comparison, `NOT` negates.
 * Precedence as Cloud Logging: NOT, then OR, then AND (juxtaposition = AND).
 */
import { parseTimestamp } from '../../filter/values.js';
import { getPath, isObject } from './json.js';

export type LqNode =
  | { k: 'and' | 'or'; parts: LqNode[] }
  | { k: 'not'; e: LqNode }
  | { k: 'cmp'; path: string[]; op: string; value: string }
  | { k: 'fn'; name: string; arg: string };

export class LoggingQueryError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'LoggingQueryError';
  }
}

type Tok = { t: 'str' | 'word' | 'op' | 'lp' | 'rp' | 'dot' | 'comma'; v: string; at: number };

const OPS = ['<=', '>=', '!=', '=~', '!~', '=', '<', '>', ':'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let s = '';
      let j = i + 1;
      for (; j < src.length && src[j] !== '"'; j++) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const n = src[++j]!;
          s += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n;
        } else s += src[j];
      }
      if (j >= src.length) throw new LoggingQueryError('unterminated string', i);
      out.push({ t: 'str', v: s, at: i });
      i = j + 1;
      continue;
    }
    if (c === '(') {
      out.push({ t: 'lp', v: c, at: i++ });
      continue;
    }
    if (c === ')') {
      out.push({ t: 'rp', v: c, at: i++ });
      continue;
    }
    if (c === '.') {
      out.push({ t: 'dot', v: c, at: i++ });
      continue;
    }
    if (c === ',') {
      out.push({ t: 'comma', v: c, at: i++ });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ t: 'op', v: op, at: i });
      i += op.length;
      continue;
    }
    if (c === '-' && (out.length === 0 || out[out.length - 1]!.t === 'lp' || out[out.length - 1]!.t === 'word') && /[A-Za-z(]/.test(src[i + 1] ?? '')) {
      out.push({ t: 'word', v: 'NOT', at: i++ });
      continue;
    }
    const m = /^[^\s"().,:=<>!]+/.exec(src.slice(i));
    if (!m) throw new LoggingQueryError(`unexpected character ${JSON.stringify(c)}`, i);
    out.push({ t: 'word', v: m[0], at: i });
    i += m[0].length;
  }
  return out;
}

/** Parses a Logging query (the empty query matches everything: null). */
export function parseLoggingQuery(src: string): LqNode | null {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const isWord = (w: string) => peek()?.t === 'word' && peek()!.v === w;
  const expect = (t: Tok['t']): Tok => {
    const tok = toks[p];
    if (!tok || tok.t !== t) throw new LoggingQueryError(`expected ${t}`, tok?.at ?? src.length);
    p++;
    return tok;
  };
  const expr = (): LqNode => {
    const parts = [term()];
    for (;;) {
      if (isWord('AND')) {
        p++;
        parts.push(term());
      } else if (peek() && peek()!.t !== 'rp') parts.push(term());
      else break;
    }
    return parts.length === 1 ? parts[0]! : { k: 'and', parts };
  };
  const term = (): LqNode => {
    const parts = [factor()];
    while (isWord('OR')) {
      p++;
      parts.push(factor());
    }
    return parts.length === 1 ? parts[0]! : { k: 'or', parts };
  };
  const factor = (): LqNode => {
    if (isWord('NOT')) {
      p++;
      return { k: 'not', e: factor() };
    }
    if (peek()?.t === 'lp') {
      p++;
      const e = expr();
      expect('rp');
      return e;
    }
    const first = expect('word');
    if (peek()?.t === 'lp') {
      p++;
      const arg = expect('str').v;
      expect('rp');
      return { k: 'fn', name: first.v.toLowerCase(), arg };
    }
    const path = [first.v];
    while (peek()?.t === 'dot') {
      p++;
      const seg = toks[p];
      if (!seg || (seg.t !== 'word' && seg.t !== 'str')) throw new LoggingQueryError('expected a field name', seg?.at ?? src.length);
      path.push(seg.v);
      p++;
    }
    const op = expect('op').v;
    const val = toks[p];
    if (!val || (val.t !== 'str' && val.t !== 'word')) throw new LoggingQueryError('expected a value', val?.at ?? src.length);
    p++;
    return { k: 'cmp', path, op, value: val.v };
  };
  if (toks.length === 0) return null;
  const e = expr();
  if (p < toks.length) throw new LoggingQueryError('unexpected token', toks[p]!.at);
  return e;
}

/** The ns timestamp Cloud Logging filters on: `timestamp`, or the receive time when the entry had none. */
function entryNs(entry: unknown): bigint | null {
  const ts = getPath(entry, 'timestamp') ?? getPath(entry, 'receiveTimestamp');
  return typeof ts === 'string' ? parseTimestamp(ts) : null;
}

function logId(entry: unknown): string | null {
  const name = getPath(entry, 'logName');
  if (typeof name !== 'string') return null;
  const i = name.lastIndexOf('/logs/');
  const log = i >= 0 ? name.slice(i + 6) : name;
  try {
    return decodeURIComponent(log);
  } catch {
    return log.replace(/%2F/gi, '/');
  }
}

function compareOrder(op: string, c: number): boolean {
  switch (op) {
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
    case '=': return c === 0;
    case '!=': return c !== 0;
    default: return false;
  }
}

const regexCache = new Map<string, RegExp | null>();

function regex(src: string): RegExp | null {
  let re = regexCache.get(src);
  if (re === undefined) {
    const ci = src.startsWith('(?i)');
    try {
      re = new RegExp(ci ? src.slice(4) : src, ci ? 'iu' : 'u');
    } catch {
      re = null;
    }
    regexCache.set(src, re);
  }
  return re;
}

function cmp(entry: unknown, path: string[], op: string, value: string): boolean {
  if (path.length === 1 && path[0] === 'timestamp') {
    const a = entryNs(entry);
    const b = parseTimestamp(value);
    if (a === null || b === null) return false;
    return compareOrder(op, a < b ? -1 : a > b ? 1 : 0);
  }
  const v = getPath(entry, ...path);
  if (v === undefined || v === null || isObject(v) || Array.isArray(v)) return op === ':' && value === '*' && v !== undefined && v !== null;
  const text = typeof v === 'string' ? v : String(v);
  switch (op) {
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (typeof v === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) {
        const n = Number(value);
        return compareOrder(op, v < n ? -1 : v > n ? 1 : 0);
      }
      return compareOrder(op, text < value ? -1 : text > value ? 1 : 0);
    }
    case ':':
      return value === '*' || text.includes(value);
    case '=~':
    case '!~': {
      const re = regex(value);
      if (!re) return false;
      return re.test(text) === (op === '=~');
    }
    default:
      return false;
  }
}

/** True when `entry` satisfies the parsed query (null matches all). */
export function matchesQuery(q: LqNode | null, entry: unknown): boolean {
  if (q === null) return true;
  switch (q.k) {
    case 'and':
      return q.parts.every((p) => matchesQuery(p, entry));
    case 'or':
      return q.parts.some((p) => matchesQuery(p, entry));
    case 'not':
      return !matchesQuery(q.e, entry);
    case 'fn':
      return q.name === 'log_id' ? logId(entry) === q.arg : false;
    case 'cmp':
      return cmp(entry, q.path, q.op, q.value);
  }
}

/** A predicate over LogEntries for query text; throws LoggingQueryError on bad syntax. */
export function compileLoggingQuery(src: string): (entry: unknown) => boolean {
  const q = parseLoggingQuery(src);
  return (e) => matchesQuery(q, e);
}
