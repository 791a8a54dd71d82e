/**
 * The filter module (src/filter) loaded on demand, so commands that do not
 * filter start fast and a build without it reports "not available"
 * instead of crashing.
 */
import type { Table } from './frames/table.js';

/** What src/filter/index.ts exports that the CLI and loaders use. */
export interface CompiledFilter {
  filter(table: Table): Table;
  count(table: Table): number;
  test(row: any): boolean;
  [key: string]: unknown;
}

export interface FilterModule {
  compile(expr: string, opts?: any): CompiledFilter;
  check?(expr: string, opts?: any): unknown;
  formatFilterError(err: Error, expr?: string): string;
  FilterError: new (...args: any[]) => Error;
  toFalco?(expr: string): string;
  toWireshark?(expr: string): string;
  filterFor?(...args: any[]): string;
  [key: string]: unknown;
}

/** Thrown when src/filter is missing from this build. */
export class FilterUnavailableError extends Error {
  constructor(reason: string) {
    super(`display filters are not available: ${reason}`);
    this.name = 'FilterUnavailableError';
  }
}

let mod: Promise<FilterModule> | undefined;

/** The filter module; rejects with FilterUnavailableError when it cannot be loaded. */
export function filterModule(): Promise<FilterModule> {
  mod ??= (async () => {
    const spec: string = './filter/index.js';
    try {
      const m = (await import(spec)) as FilterModule;
      if (typeof m.compile !== 'function') throw new Error('src/filter/index.ts does not export compile');
      return m;
    } catch (err: any) {
      throw new FilterUnavailableError(
        err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('filter/index') ? 'module src/filter/index.ts is not in this build' : String(err?.message ?? err),
      );
    }
  })();
  return mod;
}

/** True for the filter module's FilterError (by name, so copies of the module also match). */
export function isFilterError(err: unknown): err is Error & { start: number; end: number; expr: string } {
  return err instanceof Error && err.name === 'FilterError';
}
