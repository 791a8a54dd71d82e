/**
 * JSON access with the semantics of the plugin's fastjson calls, over a
 * parsed record object. Records are attacker-controlled: every step checks
 * the type, nothing throws.
 */

/** A plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at `path` (object keys only), or undefined when a step is missing or not an object. */
export function getPath(rec: unknown, ...path: string[]): unknown {
  let v: unknown = rec;
  for (const k of path) {
    if (!isObject(v) || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = v[k];
  }
  return v;
}

/**
 * fastjson `GetStringBytes` as the plugin uses it: absent (null) when the key
 * is missing or JSON null; a string value as is; any other JSON value (object,
 * array, number, bool) is present as "".
 */
export function getStr(rec: unknown, ...path: string[]): string | null {
  const v = getPath(rec, ...path);
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : '';
}

/** Compact JSON text of the value at `path` (JSON null gives "null"), absent when the key is missing. */
export function getJson(rec: unknown, ...path: string[]): string | null {
  const v = getPath(rec, ...path);
  return v === undefined ? null : compactJson(v);
}

/** Compact JSON as Falco re-serializes it. Never throws (cycles cannot come from JSON.parse). */
export function compactJson(v: unknown): string {
  return JSON.stringify(v) ?? 'null';
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
