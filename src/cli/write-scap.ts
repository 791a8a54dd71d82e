/**
 * `stratolab read ... -w OUT.scap`: the matching syscall events written as
 * a capture sysdig and Stratoshark open (the scap module's writeScap).
 */
import { UsageError } from './errors.js';
import { loadSelection, type SourceSelection } from './source-options.js';
import { printStats } from './stats.js';
import { importSource } from '../sources/index.js';

export async function writeScapOutput(sel: SourceSelection, out: string, extra: Record<string, unknown>, stats: boolean): Promise<number> {
  if (!/\.scap(\.gz)?$/i.test(out) && out !== '-') throw new UsageError(`-w ${out}: the output must be a .scap file`, 'stratolab read --help');
  const mod = await importSource('scap');
  const writeScap = mod.writeScap as ((table: unknown, path: string, opts?: unknown) => unknown) | undefined;
  if (typeof writeScap !== 'function') throw new UsageError('-w: this build cannot write .scap files (the scap module has no writeScap)');
  const result = await loadSelection(sel, extra);
  const source = result.table.column('source');
  if (result.table.numRows() && source && result.table.array('source').some((s: unknown) => s !== 'syscall')) {
    throw new UsageError('-w writes syscall events only: every SOURCE must be a sysdig capture', 'stratolab read --help');
  }
  await writeScap(result.table, out);
  if (stats) printStats(result.stats);
  return 0;
}
