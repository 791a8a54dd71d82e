/**
 * JSON access over a parsed LogEntry with the semantics of the gcpaudit
 * plugin's fastjson calls. Entries are attacker-controlled: every step
 * checks the type and nothing throws.
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
 * A fast getter for a fixed path (the field table's): no per-call
 * allocation, no own-property check — safe because none of the keys is a
 * property of Object.prototype (checked here), so a missing key reads as
 * undefined on any parsed JSON object.
 */
export function pathGetter(path: readonly string[]): (rec: unknown) => unknown {
  for (const k of path) if (k in Object.prototype) throw new Error(`unsafe fixed path key ${k}`);
  const keys = path.slice();
  return (rec) => {
    let v: any = rec;
    for (let i = 0; i < keys.length; i++) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
      v = v[keys[i]!];
      if (v === undefined) return undefined;
    }
    return v;
  };
}

/** getStr over a fixed path (see pathGetter). */
export function strGetter(path: readonly string[]): (rec: unknown) => string | null {
  const get = pathGetter(path);
  return (rec) => {
    const v = get(rec);
    if (v === undefined || v === null) return null;
    return typeof v === 'string' ? v : '';
  };
}

/**
 * fastjson `GetStringBytes` as the plugin uses it: absent (null) when a key
 * is missing or the value is JSON null; a string as is; any other JSON value
 * (object, array, number, bool) is present as "".
 */
export function getStr(rec: unknown, ...path: string[]): string | null {
  const v = getPath(rec, ...path);
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : '';
}

/** Compact JSON text of the value at `path`; absent when the key is missing or JSON null. */
export function getJson(rec: unknown, ...path: string[]): string | null {
  const v = getPath(rec, ...path);
  return v === undefined || v === null ? null : compactJson(v);
}

/** Compact JSON text (as Go's json.Marshal of a parsed value, minus key sorting). Never throws. */
export function compactJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return 'null';
  }
}
