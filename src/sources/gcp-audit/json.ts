/**
 * JSON access over a parsed LogEntry with the semantics of the gcpaudit
 * plugin's fastjson calls. Entries are attacker-controlled: every step
 * checks the type and nothing throws.
 */

import { getPath, compactJson } from '../../fields/json-access.js';

export { isObject, getPath, pathGetter, strGetter, getStr, compactJson } from '../../fields/json-access.js';

/** Compact JSON text of the value at `path`; absent when the key is missing or JSON null. */
export function getJson(rec: unknown, ...path: string[]): string | null {
  const v = getPath(rec, ...path);
  return v === undefined || v === null ? null : compactJson(v);
}

