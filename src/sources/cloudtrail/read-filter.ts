/**
 * Filtering while reading: since/until bounds and a compiled display filter
 * (with its text prefilter) as predicates over one record and its time.
 */
import { getField } from '../../fields/registry.js';
import type { Value } from '../../fields/types.js';
import type { Expr } from '../../filter/ast.js';
import type { LoadOptions } from '../types.js';
import { CLOUDTRAIL_SOURCE } from './fields.js';
import { textPrefilter } from './prefilter.js';
import { parseBound } from './time.js';
import type { CloudTrailRecord } from './unwrap.js';

/** A record filter built from LoadOptions: time bounds and, when available, a compiled filter. */
export type RecordPredicate = (rec: CloudTrailRecord, t: number | null) => boolean;

/** Field sources whose extractors read a CloudTrail record. */
const OWN_SOURCES = new Set([CLOUDTRAIL_SOURCE, 'json', 'common']);

/** The row a compiled filter sees for one record while reading: fields extracted on demand. */
function recordRow(): { rec: CloudTrailRecord | null; t: number | null; get(field: string, arg?: string): Value } {
  return {
    rec: null,
    t: null,
    get(field, arg) {
      if (field === 'time') return this.t === null ? null : new Date(this.t);
      if (field === 'source') return CLOUDTRAIL_SOURCE;
      const def = getField(field);
      // another source's field (evt.type, gcp.methodName) is absent on a CloudTrail record
      if (!def?.extract || !OWN_SOURCES.has(def.source)) return null;
      if (def.rawColumn === 'time') return this.t === null ? null : def.extract(new Date(this.t), arg);
      if (def.rawColumn && def.rawColumn !== 'raw') return null;
      return def.extract(this.rec, arg);
    },
  };
}

/**
 * `opts.filter` (Wireshark or Falco syntax) as a record predicate, evaluated
 * while reading so that memory holds only matching events. Throws the
 * filter engine's FilterError on an invalid expression.
 */
export async function filterPredicate(expr: unknown, usePrefilter: boolean): Promise<{ test: RecordPredicate; prefilter: ((text: string) => boolean) | null } | null> {
  if (typeof expr !== 'string' || expr.trim() === '') return null;
  const spec = '../../filter/index.js';
  const mod = (await import(spec)) as { compile(e: string): { ast: Expr; test(row: unknown): boolean } };
  const compiled = mod.compile(expr);
  const row = recordRow();
  return {
    test: (rec, t) => {
      row.rec = rec;
      row.t = t;
      return compiled.test(row);
    },
    prefilter: usePrefilter ? textPrefilter(compiled.ast) : null,
  };
}

export function timePredicate(opts: LoadOptions): RecordPredicate | null {
  const since = parseBound(opts.since as Date | string | undefined);
  const until = parseBound(opts.until as Date | string | undefined);
  if (since === null && until === null) return null;
  return (_rec, t) => t !== null && (since === null || t >= since) && (until === null || t < until);
}
