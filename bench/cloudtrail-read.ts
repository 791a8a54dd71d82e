/**
 * The loader alone, with the display filter applied while reading (what the
 * CLI does when its source registry lets the CloudTrail loader apply the
 * filter): prints one field per matching event, in time order.
 *
 *   node --import tsx bench/cloudtrail-read.ts DIR FILTER FIELD
 */
import { fieldAccessor } from '../src/frames/table.js';
import { loadCloudTrail } from '../src/sources/cloudtrail/index.js';

const [dir, filter, field] = process.argv.slice(2);
if (!dir || !filter || !field) {
  console.error('usage: cloudtrail-read.ts DIR FILTER FIELD');
  process.exit(2);
}
const { table, failed } = await loadCloudTrail(dir, { filter });
const get = fieldAccessor(table, field)!;
const lines: string[] = [];
for (let i = 0; i < table.numRows(); i++) lines.push(String(get(i) ?? ''));
process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
if (failed.length) process.exitCode = 1;
