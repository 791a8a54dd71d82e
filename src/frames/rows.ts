/**
 * Row iteration over a (possibly filtered, ordered) table by underlying row
 * index, the index `fieldAccessor` and `column.at` take.
 */
import type { Table } from './table.js';

/** Calls `fn(row)` for each visible row in table order; return `false` from fn to stop early. */
export function eachRow(table: Table, fn: (row: number) => void | boolean): void {
  table.scan((row, _data, stop) => {
    if (fn(row as number) === false) (stop as () => void)();
  }, true);
}

/** The underlying row indices of the visible rows, in table order. */
export function rowIndices(table: Table): Int32Array {
  const out = new Int32Array(table.numRows());
  let i = 0;
  eachRow(table, (row) => {
    out[i++] = row;
  });
  return out;
}
