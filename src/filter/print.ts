/**
 * Printers (Wireshark's dfilter-translator): a tree back to text in either
 * language. Stratoshark's "Copy as Falco rule condition" is `toFalco`;
 * `toWireshark` gives a display filter. Printing a tree of the target
 * language and parsing the text gives the same tree back. Constructs the
 * target language lacks are translated to an equivalent (Falco `startswith`
 * becomes a Wireshark `matches`, Wireshark ranges become Falco `>=`/`<=`), or
 * raise an `untranslatable` FilterError at their position.
 */
import { getField } from '../fields/registry.js';
import type { CmpNode, Expr, FieldNode, Literal, Operand, SetItem, SetNode, SliceRange } from './ast.js';
import { FilterError } from './errors.js';
import { escapeRegex, globPattern, hexBytes } from './patterns.js';
import { parseNumber } from './values.js';

type Lang = 'falco' | 'wireshark';

const PREC: Record<string, number> = { or: 1, xor: 2, and: 3, not: 4 };

class Printer {
  constructor(readonly lang: Lang, readonly src: string) {}

  untranslatable(what: string, at: { start: number; end: number }): never {
    throw new FilterError('untranslatable', `${what} cannot be written as a ${this.lang === 'falco' ? 'Falco condition' : 'Wireshark display filter'}`, at.start, at.end, this.src);
  }

  expr(e: Expr, parentPrec = 0, rightChild = false): string {
    const prec = e.kind in PREC ? PREC[e.kind]! : 5;
    const text = this.bare(e);
    return prec < parentPrec || (rightChild && prec === parentPrec && prec < 4) ? `(${text})` : text;
  }

  bare(e: Expr): string {
    const f = this.lang === 'falco';
    switch (e.kind) {
      case 'and': case 'or': {
        const op = f ? ` ${e.kind} ` : e.kind === 'and' ? ' && ' : ' || ';
        return this.expr(e.left, PREC[e.kind]) + op + this.expr(e.right, PREC[e.kind], true);
      }
      case 'xor': {
        if (!f) return `${this.expr(e.left, PREC.xor)} ^^ ${this.expr(e.right, PREC.xor, true)}`;
        const a = this.expr(e.left, PREC.not);
        const b = this.expr(e.right, PREC.not);
        return `(${a} and not ${b}) or (not ${a} and ${b})`;
      }
      case 'not': {
        const inner = this.expr(e.expr, PREC.not);
        return f ? `not ${inner}` : `!${inner}`;
      }
      case 'exists': return f ? `${this.operand(e.operand)} exists` : this.operand(e.operand);
      case 'cmp': return this.cmp(e);
      case 'set': return this.set(e);
    }
  }

  cmp(e: CmpNode): string {
    const f = this.lang === 'falco';
    let left = this.operand(e.left);
    const rightLit = e.right.kind === 'literal' ? e.right : null;
    const listy = isList(e.left);
    if (f) {
      if (e.quant === 'all' && listy) this.untranslatable('"all" over a multi-valued field', e);
      if ((e.op === 'all_eq' || e.op === 'any_ne') && listy) this.untranslatable(`${e.op === 'all_eq' ? '===' : '!=='} on a multi-valued field`, e);
      const right = e.right.kind === 'field' ? `val(${this.field(e.right)})` : this.operand(e.right);
      if (rightLit && isCidrLiteral(rightLit)) left = this.netField(e.left, rightLit);
      switch (e.op) {
        case 'eq': case 'all_eq': return `${left} = ${right}`;
        case 'ne': case 'any_ne': return `${left} != ${right}`;
        case 'lt': return `${left} < ${right}`;
        case 'le': return `${left} <= ${right}`;
        case 'gt': return `${left} > ${right}`;
        case 'ge': return `${left} >= ${right}`;
        case 'matches': {
          const { body, caseless } = splitFlags(rightLit!.value, true);
          return `${left} regex ${this.quote(`${caseless ? '(?i)' : ''}[\\s\\S]*(?:${body})[\\s\\S]*`)}`;
        }
        default: return `${left} ${e.op} ${right}`;
      }
    }
    // Wireshark
    const q = e.quant === 'all' ? 'all ' : '';
    const right = rightLit && isTextual(e.left) ? this.literal(rightLit, false, true) : this.operand(e.right);
    const sym: Partial<Record<string, string>> = { eq: '==', ne: '!=', all_eq: '===', any_ne: '!==', lt: '<', le: '<=', gt: '>', ge: '>=', contains: 'contains', matches: 'matches' };
    const s = sym[e.op];
    if (s) return `${q}${left} ${s} ${right}`;
    const lit = rightLit!;
    const m = (re: string): string => `${q}${left} matches ${this.quote(re)}`;
    switch (e.op) {
      case 'icontains': return m(escapeRegex(lit.value));
      case 'startswith': return m(`(?-i)^${escapeRegex(lit.value)}`);
      case 'endswith': return m(`(?-i)${escapeRegex(lit.value)}$`);
      case 'glob': return m(`(?-i)^${globPattern(lit.value)}$`);
      case 'iglob': return m(`^${globPattern(lit.value)}$`);
      case 'regex': {
        const { body, caseless } = splitFlags(lit.value, false);
        return m(`${caseless ? '' : '(?-i)'}^(?:${body})$`);
      }
      case 'bcontains': case 'bstartswith': {
        const text = utf8Text(lit.value);
        if (text === null) return this.untranslatable(`${e.op} with bytes that are not UTF-8 text`, lit);
        return e.op === 'bcontains' ? `${q}${left} contains ${this.quote(text)}` : m(`(?-i)^${escapeRegex(text)}`);
      }
      default: return this.untranslatable(`operator ${e.op}`, e.opSpan ?? e);
    }
  }

  set(e: SetNode): string {
    const f = this.lang === 'falco';
    const left = this.operand(e.left);
    const listy = isList(e.left);
    if (!f) {
      if (e.op === 'pmatch') {
        const alts = e.items.map((it) => (it.kind === 'literal' ? escapeRegex(it.value.replace(/\/$/, '')) : this.untranslatable('a non-literal pmatch prefix', it)));
        return `${left} matches ${this.quote(`(?-i)^(?:${alts.join('|')})(?:/|$)`)}`;
      }
      const q = e.quant === 'all' && listy ? 'all ' : '';
      const text = isTextual(e.left);
      return `${q}${left} ${e.negated ? 'not in' : 'in'} {${e.items.map((it) => this.setItem(it, text)).join(' ')}}`;
    }
    if (e.items.some((it) => it.kind !== 'literal' && it.kind !== 'range')) this.untranslatable('a set with references', e);
    let lits = e.items.filter((it): it is Literal => it.kind === 'literal');
    const cidr = lits.find(isCidrLiteral);
    let left2 = left;
    if (cidr && e.op === 'in') {
      left2 = this.netField(e.left, cidr);
      lits = lits.map((l) => (isCidrLiteral(l) ? l : { ...l, value: `${l.value}/${l.value.includes(':') ? 128 : 32}` }));
    }
    const ranges = e.items.filter((it) => it.kind === 'range');
    const word = e.op === 'pmatch' ? 'pmatch' : e.quant === 'any' && listy ? 'intersects' : 'in';
    const parts: string[] = [];
    if (lits.length) parts.push(`${left2} ${word} (${lits.map((l) => this.literal(l)).join(', ')})`);
    for (const r of ranges) {
      if (r.kind !== 'range') continue;
      if (listy) this.untranslatable('a range over a multi-valued field', r);
      parts.push(`(${left} >= ${this.literal(r.lo)} and ${left} <= ${this.literal(r.hi)})`);
    }
    const any = parts.length === 1 ? parts[0]! : `(${parts.join(' or ')})`;
    return e.negated ? `(${left} exists and not ${any})` : any;
  }

  /**
   * Falco compares CIDRs only on its network fields (`fd.snet = 10.0.0.0/8`): the address fields map to
   * them; on any other field (CloudTrail's ct.srcip is text to Falco) a CIDR cannot be translated.
   */
  netField(o: Operand, lit: Literal): string {
    const m = o.kind === 'field' && o.arg === undefined ? /^fd\.([scrl]?)(?:ip|net)$/.exec(o.name) : null;
    if (!m) return this.untranslatable(`a CIDR comparison on ${o.kind === 'field' ? o.name : 'this value'} (Falco compares it as text)`, lit);
    return `fd.${m[1]}net`;
  }

  setItem(it: SetItem, text = false): string {
    if (it.kind === 'range') return `${this.literal(it.lo, true, text)}..${this.literal(it.hi, true, text)}`;
    if (it.kind === 'literal') return this.literal(it, true, text);
    return this.operand(it);
  }

  operand(o: Operand): string {
    const f = this.lang === 'falco';
    switch (o.kind) {
      case 'field': return this.field(o);
      case 'literal': return this.literal(o);
      case 'call': {
        const fn = f ? ({ lower: 'tolower', upper: 'toupper' } as Record<string, string>)[o.fn] ?? o.fn : o.fn;
        if (f && !['tolower', 'toupper', 'len', 'b64', 'basename'].includes(fn)) this.untranslatable(`function ${o.fn}()`, o);
        if (!f && ['b64', 'basename'].includes(fn)) this.untranslatable(`transformer ${o.fn}()`, o);
        return `${fn}(${o.args.map((a) => this.operand(a)).join(', ')})`;
      }
      case 'ref':
        if (f) this.untranslatable('a field reference', o);
        return `\${${this.field(o.field)}}`;
      case 'arith':
        if (f) this.untranslatable('arithmetic', o);
        return `{${this.operand(o.left)} ${o.op} ${this.operand(o.right)}}`;
      case 'neg':
        if (f) this.untranslatable('arithmetic', o);
        return `-${this.operand(o.operand)}`;
      case 'slice':
        if (f) this.untranslatable('a slice', o);
        return `${this.operand(o.operand)}[${o.ranges.map(printRange).join(',')}]`;
    }
  }

  /**
   * Field names: Falco takes `name[arg]` (dotted only for named arguments such as `evt.arg.fd`) and
   * has no Stratoshark-generated `.v4`/`.v6` fields or `falco.` prefix; Wireshark field names
   * cannot carry `[arg]`, so arguments are written the Stratoshark way, `evt.arg.fd`, `proc.aname.2`.
   */
  field(fl: FieldNode): string {
    const falco = this.lang === 'falco';
    if (falco && (fl.name === 'time' || fl.name === 'source') && !getField(fl.name)) {
      this.untranslatable(`the table column "${fl.name}"`, fl);
    }
    let name = fl.name;
    if (falco && fl.arg === undefined) {
      const base = name.replace(/\.v[46]$/, '').replace(/^falco\./, '');
      if (base !== name && getField(base)) name = base;
    }
    if (fl.arg === undefined) return name;
    const dottable = /^[\w\-]+$/.test(fl.arg);
    if (dottable && (falco ? fl.argStyle === 'dotted' && getField(fl.name)?.arg?.kind !== 'index' : true)) return `${fl.name}.${fl.arg}`;
    return /^[^\s\[\]"']+$/.test(fl.arg) ? `${fl.name}[${fl.arg}]` : `${fl.name}[${this.quote(fl.arg)}]`;
  }

  /** `text`: compared with a text field, where Wireshark wants numbers quoted (`evt.arg.fd == "3"`). */
  literal(l: Literal, inSet = false, text = false): string {
    if (l.style === 'number' && text) return this.quote(l.value);
    if (l.style === 'number') {
      const n = parseNumber(l.value);
      if (this.lang === 'falco' && /^[+-]?0[bB0-7]/.test(l.value) && !/^[+-]?0[xX]/.test(l.value) && n !== null && l.value.replace(/^[+-]/, '') !== '0') return n.toString();
      return l.value;
    }
    if (l.style === 'bare' && (this.bareOk(l.value, inSet) || /^(?:true|false)$/i.test(l.value))) return l.value;
    return this.quote(l.value);
  }

  /** Bare words that parse back as the same bare word (and not as a field, keyword or number). */
  bareOk(v: string, inSet: boolean): boolean {
    if (!v || /^(?:and|or|not|xor|in)$/.test(v) || /^[+-]?\d/.test(v) && parseNumber(v) !== null) return false;
    if (/^[A-Za-z_][\w\-]*(?:\.[\w\-]+)+/.test(v)) return false; // could be read as a field name
    if (inSet && !/^(?:[^\s,{}()"'.$]|\.(?!\.))+$/.test(v)) return false;
    if (v.startsWith('$') || v.startsWith('-')) return false;
    if (this.lang === 'wireshark') return /^[0-9a-fA-F:.\/]+$/.test(v) && /[.:]/.test(v); // addresses, CIDRs
    return /^(?:[^\s(),="'{}&|^!]|&(?!&)|\|(?!\|)|\^(?!\^)|!(?!=))+$/.test(v);
  }

  quote(v: string): string {
    let out = '"';
    for (const ch of v) {
      const c = ch.codePointAt(0)!;
      if (ch === '"' || ch === '\\') out += '\\' + ch;
      else if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
      else out += ch;
    }
    return out + '"';
  }
}

/** The text of hex bytes when they are valid UTF-8. */
function utf8Text(hex: string): string | null {
  const b = hexBytes(hex);
  if (!b) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return null;
  }
}

function printRange(r: SliceRange): string {
  if (r.isLength) return r.len === undefined ? `${r.start}:` : `${r.start}:${r.len}`;
  return `${r.start}-${(r.end ?? 0) - 1}`;
}

/** Leading inline flags of a pattern: Wireshark's default is caseless, Falco's case-sensitive. */
function splitFlags(pattern: string, caselessDefault: boolean): { body: string; caseless: boolean } {
  let caseless = caselessDefault;
  let body = pattern;
  for (;;) {
    const m = /^\(\?([a-z]*)(?:-([a-z]*))?\)/.exec(body);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) break;
    if (m[1]!.includes('i')) caseless = true;
    if ((m[2] ?? '').includes('i')) caseless = false;
    body = body.slice(m[0].length);
  }
  return { body, caseless };
}

function isCidrLiteral(l: Literal): boolean {
  return l.style === 'bare' && /^[0-9a-fA-F:.]+\/\d+$/.test(l.value);
}

/** Operands whose values are text (string, JSON, list fields; text functions; slices). */
function isTextual(o: Operand): boolean {
  if (o.kind === 'field') return ['string', 'json', 'list'].includes(getField(o.name)?.type ?? '');
  if (o.kind === 'call') return ['lower', 'upper', 'string', 'tolower', 'toupper', 'b64', 'basename'].includes(o.fn);
  return o.kind === 'slice';
}

function isList(o: Operand): boolean {
  return o.kind === 'field' && getField(o.name)?.type === 'list';
}

export function printFalco(e: Expr, src = ''): string {
  return new Printer('falco', src).expr(e);
}

export function printWireshark(e: Expr, src = ''): string {
  return new Printer('wireshark', src).expr(e);
}
