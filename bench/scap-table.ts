/**
 * Child of bench/scap.ts: loads a capture into a table, runs filters on it,
 * prints one JSON line {rows, load (s), filters: [{f, ms, nums}]}.
 */
import { loadScap } from '../src/sources/scap/load.js';
import { compile } from '../src/filter/index.js';

const [file, filtersJson] = process.argv.slice(2);
const t0 = performance.now();
const { table } = await loadScap([file!]);
const load = (performance.now() - t0) / 1000;
const filters = (JSON.parse(filtersJson!) as string[]).map((f) => {
  const c = compile(f);
  const s = performance.now();
  const view = c.filter(table);
  const ms = performance.now() - s;
  return { f, ms, nums: (view.array('evt.num') as number[]).join(',') };
});
console.log(JSON.stringify({ rows: table.numRows(), load, filters }));
