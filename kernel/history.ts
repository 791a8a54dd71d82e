/** The input (and output) history of a kernel session, for history_request. */

export interface HistoryEntry {
  line: number;
  input: string;
  output: string | null;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) re += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`, 's');
}

export class History {
  readonly session = 1;
  private readonly entries: HistoryEntry[] = [];

  add(line: number, input: string, output: string | null): void {
    this.entries.push({ line, input, output });
  }

  /** The reply content of a history_request. */
  query(c: Record<string, unknown>): unknown[] {
    const withOutput = !!c.output;
    const fmt = (e: HistoryEntry) => [this.session, e.line, withOutput ? [e.input, e.output] : e.input];
    const type = c.hist_access_type;
    if (type === 'tail') {
      const n = typeof c.n === 'number' ? c.n : 10;
      return this.entries.slice(-n).map(fmt);
    }
    if (type === 'range') {
      const start = typeof c.start === 'number' ? c.start : 0;
      const stop = typeof c.stop === 'number' ? c.stop : Infinity;
      return this.entries.filter((e) => e.line >= start && e.line < stop).map(fmt);
    }
    if (type === 'search') {
      const re = globToRegExp(typeof c.pattern === 'string' ? c.pattern : '*');
      let hits = this.entries.filter((e) => re.test(e.input));
      if (c.unique) {
        const seen = new Set<string>();
        hits = hits.reverse().filter((e) => (seen.has(e.input) ? false : (seen.add(e.input), true))).reverse();
      }
      if (typeof c.n === 'number' && c.n > 0) hits = hits.slice(-c.n);
      return hits.map(fmt);
    }
    return [];
  }
}
