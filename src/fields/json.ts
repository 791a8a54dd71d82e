/**
 * Falco's json plugin fields, generic over any table with a `raw` column
 * (CloudTrail records, GCP LogEntries): `json.value[/json/pointer]` (RFC 6901),
 * `json.obj` (the whole record as JSON) and `json.rawtime` (event time in ns,
 * read from the `time` column); aliases `jevt.*`.
 */
import { registerFields } from './registry.js';
import type { FieldDef, Value } from './types.js';

/** What a value too deeply nested for JSON.stringify (attacker-controlled input) serializes to. */
export const TOO_DEEP = '"<too deeply nested to serialize>"';

/**
 * JSON.stringify that never throws: JSON.parse accepts nesting that
 * JSON.stringify cannot write back (RangeError past a few thousand levels),
 * so a hostile record gets TOO_DEEP instead of crashing a table operation.
 */
export function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return TOO_DEEP;
  }
}

/** Resolve an RFC 6901 pointer ("" is the whole document); undefined when it does not resolve. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let v: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(v)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      v = v[Number(token)];
    } else if (typeof v === 'object' && v !== null && Object.prototype.hasOwnProperty.call(v, token)) {
      v = (v as Record<string, unknown>)[token];
    } else return undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

/** `json.value[ptr]`: a string as is, any other JSON value as compact JSON; absent when the pointer does not resolve. */
export function jsonValue(raw: unknown, pointer?: string): string | null {
  if (pointer === undefined) return null;
  const v = resolvePointer(raw, pointer);
  if (v === undefined) return null;
  return typeof v === 'string' ? v : safeStringify(v);
}

function rawtime(t: unknown): Value {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : NaN;
  return Number.isFinite(ms) ? BigInt(Math.trunc(ms)) * 1_000_000n : null;
}

function jsonDefs(prefix: string): FieldDef[] {
  return [
    {
      name: `${prefix}.value`,
      type: 'string',
      display: 'JSON Value',
      description: 'the value at a JSON pointer in the record, e.g. json.value[/userIdentity/type]; non-string values as compact JSON',
      source: 'json',
      arg: { required: true, kind: 'pointer', description: 'an RFC 6901 JSON pointer' },
      extract: jsonValue,
    },
    {
      name: `${prefix}.obj`,
      type: 'json',
      display: 'JSON Object',
      description: 'the whole record as compact JSON',
      source: 'json',
      extract: (raw) => safeStringify(raw),
    },
    {
      name: `${prefix}.rawtime`,
      type: 'number',
      display: 'Raw Time',
      description: 'the event time in nanoseconds since the epoch (= evt.rawtime)',
      source: 'json',
      rawColumn: 'time',
      extract: rawtime,
    },
  ];
}

export const jsonFields: readonly FieldDef[] = [...jsonDefs('json'), ...jsonDefs('jevt')];

registerFields(jsonFields);
