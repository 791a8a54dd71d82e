/**
 * Child of bench/scap.ts when the CLI is absent: streamScap with a filter,
 * printing `evt.num<TAB>fd.name` like `stratolab read -T fields`.
 */
import { streamScap } from '../src/sources/scap/load.js';

const [file, filter] = process.argv.slice(2);
const out: string[] = [];
await streamScap(file!, {
  filter,
  onRow: (row) => {
    const n = row.get('fd.name');
    out.push(`${row.get('evt.num')}\t${n ?? ''}`);
  },
});
process.stdout.write(out.length ? out.join('\n') + '\n' : '');
