/**
 * JSON access with the semantics of the plugin's fastjson calls, over a
 * parsed record object. Records are attacker-controlled: every step checks
 * the type, nothing throws.
 */
import { getPath, compactJson } from '../../fields/json-access.js';

export { isObject, step, getPath, pathGetter, asStr, strGetter, getStr, compactJson } from '../../fields/json-access.js';

/** Compact JSON text of the value at `path` (JSON null gives "null"), absent when the key is missing. */
export function getJson(rec: unknown, ...path: string[]): string | null {
  const v = getPath(rec, ...path);
  return v === undefined ? null : compactJson(v);
}

/**
 * A JSON boolean as the string "true"/"false"; CloudTrail sometimes writes
 * booleans as strings ("true"), which are accepted too. Absent when missing
 * or when the value is neither.
 */
export function getBoolStr(rec: unknown, ...path: string[]): string | null {
  const v = getPath(rec, ...path);
  if (v === true || v === 'true') return 'true';
  if (v === false || v === 'false') return 'false';
  return null;
}

/**
 * The plugin's `getvalueU64`: an unsigned integer, floats truncated, anything
 * unparsable 0. Numeric strings are accepted (some exporters quote numbers).
 */
export function toU64(v: unknown): number {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && v.trim() !== '') n = Number(v);
  else return 0;
  if (!Number.isFinite(n) || n < 0) return 0;
  return Math.trunc(n);
}
