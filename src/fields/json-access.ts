/**
 * JSON access with the semantics of the Falco plugins' fastjson calls, over
 * a parsed record (CloudTrail record, GCP LogEntry). Records are
 * attacker-controlled: every step checks the type, nothing throws.
 */
import { safeStringify } from './json.js';

/** A plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * One step: `o[k]` when `o` is a JSON object that has it. A plain property
 * read (much faster than hasOwnProperty); inherited members never leak out:
 * functions read as missing, and `__proto__` only counts as an own key.
 */
export function step(o: unknown, k: string): unknown {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
  if (k === '__proto__' && !Object.prototype.hasOwnProperty.call(o, k)) return undefined;
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
  return (r) => asStr(get(r));
}

/**
 * fastjson `GetStringBytes` as the plugins use it: absent (null) when the key
 * is missing or JSON null; a string value as is; any other JSON value (object,
 * array, number, bool) is present as "".
 */
export function getStr(rec: unknown, ...path: string[]): string | null {
  return asStr(getPath(rec, ...path));
}

/**
 * Compact JSON as the plugins re-serialize it. Never throws: nesting too deep
 * for JSON.stringify (hostile input) gives a marker text.
 */
export function compactJson(v: unknown): string {
  return safeStringify(v);
}
