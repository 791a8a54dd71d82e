/**
 * JSON access with the semantics of the plugin's fastjson calls, over a
 * parsed record object. Records are attacker-controlled: every step checks
 * the type, nothing throws.
 */
import { safeStringify } from '../../fields/json.js';

/** A plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * One step: `o[k]` when `o` is a JSON object that has it. The keys used here
 * are fixed CloudTrail member names, none of them an Object.prototype member,
 * so a plain property read is safe (and much faster than hasOwnProperty);
 * inherited functions are still treated as missing.
 */
export function step(o: unknown, k: string): unknown {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  const v = (o as Record<string, unknown>)[k];
  return typeof v === 'function' ? undefined : v;
}

/** The value at `path` (object keys only), or undefined when a step is missing or not an object. */
export function getPath(rec: unknown, ...path: string[]): unknown {
  let v: unknown = rec;
  for (let i = 0; i < path.length; i++) {
    v = step(v, path[i]!);
    if (v === undefined) return undefined;
  }
  return v;
}

/** A compiled getter for a fixed path (no argument spreading per call). */
export function pathGetter(path: readonly string[]): (rec: unknown) => unknown {
  const [a, b, c, d] = path;
  switch (path.length) {
    case 1:
      return (r) => step(r, a!);
    case 2:
      return (r) => step(step(r, a!), b!);
    case 3:
      return (r) => step(step(step(r, a!), b!), c!);
    case 4:
      return (r) => step(step(step(step(r, a!), b!), c!), d!);
    default:
      return (r) => getPath(r, ...path);
  }
}

/** GetStringBytes on an already looked-up value (see getStr). */
export function asStr(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : '';
}

/** A compiled GetStringBytes for a fixed path (see getStr). */
export function strGetter(path: readonly string[]): (rec: unknown) => string | null {
  const get = pathGetter(path);
  return (r) => {
    const v = get(r);
    if (v === undefined || v === null) return null;
    return typeof v === 'string' ? v : '';
  };
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

/**
 * Compact JSON as Falco re-serializes it. Never throws: nesting too deep for
 * JSON.stringify (hostile input) gives TOO_DEEP.
 */
export function compactJson(v: unknown): string {
  return safeStringify(v);
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
