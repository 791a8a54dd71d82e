/**
 * Text patterns: Wireshark `matches` (PCRE-like search, case-insensitive by
 * default), Falco `regex` (RE2 full match, case-sensitive), `glob`/`iglob`
 * (fnmatch), `pmatch` (path prefixes) and the byte operators' hex values.
 */

/** Leading inline flags `(?i)`, `(?-i)`, `(?is)`, `(?s-i)` turned into JS flags (JS has no inline flags on Node 20). */
function inlineFlags(pattern: string, flags: Set<string>): string {
  let p = pattern;
  for (;;) {
    const m = /^\(\?([imsx]*)(?:-([imsx]*))?\)/.exec(p);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return p;
    for (const f of m[1]!) if (f !== 'x') flags.add(f);
    for (const f of m[2] ?? '') flags.delete(f);
    p = p.slice(m[0].length);
  }
}

/**
 * PCRE2 / RE2 spellings JavaScript lacks: `\A`, `\z`, `\Z` anchors and `(?P<name>` groups
 * (outside character classes). Other differences surface as bad-regex errors.
 */
function toJsSyntax(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[i + 1]!;
      if (!inClass && n === 'A') out += '^';
      else if (!inClass && (n === 'z' || n === 'Z')) out += '$';
      else out += c + n;
      i++;
    } else if (!inClass && pattern.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else {
      if (c === '[' && !inClass) inClass = true;
      else if (c === ']' && inClass) inClass = false;
      out += c;
    }
  }
  return out;
}

/** Wireshark `matches` / `~`: a search, case-insensitive unless the pattern starts with `(?-i)`. Throws on a bad pattern. */
export function wiresharkRegex(pattern: string): RegExp {
  const flags = new Set(['i']);
  const body = inlineFlags(pattern, flags);
  return new RegExp(toJsSyntax(body), [...flags].join(''));
}

/** Falco `regex`: the whole value must match; case-sensitive unless `(?i)`. Throws on a bad pattern. */
export function falcoRegex(pattern: string): RegExp {
  const flags = new Set<string>();
  const body = inlineFlags(pattern, flags);
  return new RegExp(`^(?:${toJsSyntax(body)})$`, [...flags].join(''));
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|]/g;
export function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

/** fnmatch(3) without flags: `*` and `?` also match `/`; `[...]`, `[!...]`; backslash escapes. */
export function globToRegex(glob: string, caseless = false): RegExp {
  return new RegExp(`^${globPattern(glob)}$`, caseless ? 'i' : '');
}

/** The regex text of a glob, unanchored (what the printers embed in a Wireshark `matches`). */
export function globPattern(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '\\' && i + 1 < glob.length) out += escapeRegex(glob[++i]!);
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!' || glob[j] === '^') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) out += '\\[';
      else {
        let cls = glob.slice(i + 1, j);
        const neg = cls.startsWith('!') || cls.startsWith('^');
        if (neg) cls = cls.slice(1);
        out += `[${neg ? '^' : ''}${cls.replace(/\\/g, '\\\\').replace(/\[/g, '\\[')}]`;
        i = j;
      }
    } else out += escapeRegex(c);
  }
  return out;
}

/** libsinsp path_prefix_search: `/etc` matches `/etc` and `/etc/passwd`, not `/etcx`. */
export function pathPrefixMatch(value: string, prefix: string): boolean {
  if (!value.startsWith(prefix)) return false;
  return value.length === prefix.length || prefix.endsWith('/') || value[prefix.length] === '/';
}

/** Falco byte operators take hex text (`2f62696e`): the bytes, or null when the text is not even-length hex. */
export function hexBytes(text: string): Buffer | null {
  const t = text.replace(/[:\s]/g, '');
  if (t.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(t)) return null;
  return Buffer.from(t, 'hex');
}
