/**
 * Compiling a load's filter once the sources' fields are registered, and
 * turning it into a predicate on raw records for loaders that filter while
 * reading.
 */
import { getField } from '../fields/registry.js';
import { filterModule, isFilterError, type CompiledFilter } from '../filter-api.js';
import { importAllSources } from './registry.js';

/**
 * Compiles a filter against the registered fields; when it names an unknown
 * field, registers every source's fields and tries again (a CloudTrail field
 * in a filter over a capture is valid, it just matches nothing). Throws the
 * filter's FilterError.
 */
export async function compileFilter(expr: string): Promise<CompiledFilter> {
  const f = await filterModule();
  try {
    return f.compile(expr);
  } catch (err: any) {
    if (!isFilterError(err) || (err as any).kind !== 'unknown-field') throw err;
    await importAllSources();
    return f.compile(expr);
  }
}

/**
 * A filter as a predicate on raw records (for loaders that filter while
 * reading): fields come from their registered extractors on the record,
 * `time` from the record's time, `source` from the loader's kind.
 */
export function recordPredicate(compiled: CompiledFilter, source?: string): (rec: unknown, t: number | null) => boolean {
  let rec: unknown = null;
  let t: number | null = null;
  const row = {
    get(field: string, arg?: string): unknown {
      if (field === 'time') return t === null ? null : new Date(t);
      if (field === 'source') return source ?? null;
      const def = getField(field);
      if (!def?.extract) return null;
      if (def.rawColumn === 'time') return t === null ? null : def.extract(new Date(t), arg);
      if (def.rawColumn && def.rawColumn !== 'raw') return null;
      return def.extract(rec, arg);
    },
  };
  return (r, time) => {
    rec = r;
    t = time;
    return compiled.test(row);
  };
}
