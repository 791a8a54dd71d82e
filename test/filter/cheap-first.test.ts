/**
 * `and` / `or` on a table run the side that reads only columns first, so a
 * field extracted row by row from `raw` is only extracted for the rows the
 * cheap side left (`evt.failed=true and evt.type=open` on a loaded capture
 * extracts evt.failed for the open events only). The rows selected do not
 * depend on the order.
 */
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/filter/index.js';
import { getField, registerFields } from '../../src/fields/registry.js';

let extracted = 0;
if (!getField('cheapfirst.kind')) {
  registerFields([
    { name: 'cheapfirst.kind', type: 'string', display: 'kind', description: 'test: a column', source: 'cheapfirst' },
    {
      name: 'cheapfirst.slow', type: 'number', display: 'slow', description: 'test: extracted from raw, counted', source: 'cheapfirst',
      extract: (raw) => {
        extracted++;
        return (raw as { v: number }).v;
      },
    },
  ]);
}

const N = 1000;
const kinds = Array.from({ length: N }, (_, i) => (i % 10 === 0 ? 'a' : 'b'));
const raw = Array.from({ length: N }, (_, i) => ({ v: i % 7 }));
const table = aq.table({ 'cheapfirst.kind': kinds, raw });
const rows = (expr: string): number[] => {
  const view = compile(expr).filter(table.derive({ i: () => aq.op.row_number() }) as never) as aq.ColumnTable;
  return view.array('i') as number[];
};

describe('the cheap side of and/or runs first', () => {
  it('and: the extractor runs only on the rows the column side kept, same rows either way', () => {
    extracted = 0;
    const a = rows('cheapfirst.slow > 5 and cheapfirst.kind == "a"');
    expect(extracted).toBe(N / 10);
    extracted = 0;
    const b = rows('cheapfirst.kind == "a" and cheapfirst.slow > 5');
    expect(extracted).toBe(N / 10);
    expect(a).toEqual(b);
    expect(a).toEqual(Array.from({ length: N }, (_, i) => i + 1).filter((r) => (r - 1) % 10 === 0 && (r - 1) % 7 > 5));
    expect(a.length).toBeGreaterThan(0);
  });

  it('or: the extractor runs only on the rows the column side rejected', () => {
    extracted = 0;
    const a = rows('cheapfirst.slow > 5 or cheapfirst.kind == "a"');
    expect(extracted).toBe(N - N / 10);
    expect(a).toEqual(rows('cheapfirst.kind == "a" or cheapfirst.slow > 5'));
    expect(a.length).toBe(Array.from({ length: N }, (_, i) => i).filter((i) => i % 10 === 0 || i % 7 > 5).length);
  });

  it('two lazy sides keep the written order', () => {
    extracted = 0;
    rows('cheapfirst.slow > 5 and cheapfirst.slow < 7');
    // left side on all rows, right side on the rows with v = 6
    expect(extracted).toBe(N + raw.filter((r) => r.v > 5).length);
  });
});
