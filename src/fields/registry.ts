/**
 * The field registry: every source registers its fields here; the filter
 * type-checks against it and the CLI lists it (`stratolab fields`).
 */
import type { FieldDef } from './types.js';

/**
 * One registry per process, kept on globalThis: under tslab the library can be
 * loaded both as CommonJS (the cell's require) and as ESM (dynamic imports of
 * source modules), and both copies must see the same fields.
 */
const registry: Map<string, FieldDef> = ((globalThis as { __stratolab_fields__?: Map<string, FieldDef> }).__stratolab_fields__ ??= new Map());

/** Register (or replace) field definitions. */
export function registerFields(defs: readonly FieldDef[]): void {
  for (const d of defs) registry.set(d.name, d);
}

/** The definition of one field, or undefined. */
export function getField(name: string): FieldDef | undefined {
  return registry.get(name);
}

/** All registered fields whose name starts with `prefix`, sorted by name. */
export function listFields(prefix = ''): FieldDef[] {
  return [...registry.values()].filter((d) => d.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
}

/** Levenshtein distance, small and allocation-light. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n]!;
}

/** The registered field names closest to `name` (for "unknown field" errors). */
export function suggestFields(name: string, max = 3): string[] {
  const scored = [...registry.keys()].map((k) => ({ k, d: editDistance(name, k) }));
  const limit = Math.max(2, Math.ceil(name.length / 3));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, max)
    .map((s) => s.k);
}
