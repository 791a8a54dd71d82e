/**
 * The proto3 JSON mapping, both ways, over protobufjs reflection: a decoded
 * message becomes the JSON Google's APIs and `gcloud --format=json` print
 * (camelCase names, enums by name, int64 as strings, Struct as plain JSON,
 * Timestamp as RFC 3339, Any as `{"@type": ..., ...fields}`), and such JSON
 * becomes a protobufjs object ready for `Type.fromObject`/`encode`.
 *
 * Input is untrusted: unknown Any types, bad timestamps and wrong JSON types
 * never throw; they degrade (an unknown Any keeps its bytes in base64).
 */
import protobuf from 'protobufjs';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const WKT = '.google.protobuf.';

// ---------------------------------------------------------------- decode side

/**
 * The JSON form of a decoded protobufjs message (or a plain object of the
 * same shape, as gRPC clients deliver with `defaults: true`) of `type`.
 * Any payloads are decoded with the types of `anyRoot` (default: `type`'s root).
 */
export function messageToJson(type: protobuf.Type, msg: unknown, anyRoot?: protobuf.Root, depth = 0): Json {
  if (msg === null || msg === undefined || typeof msg !== 'object' || depth > 64) return null;
  const special = wellKnownToJson(type, msg as Record<string, unknown>, anyRoot, depth);
  if (special !== undefined) return special;
  const out: JsonObject = {};
  const m = msg as Record<string, unknown>;
  for (const field of type.fieldsArray) {
    if (!isSet(m, field)) continue;
    const v = m[field.name];
    field.resolve();
    if (field.map) {
      if (typeof v !== 'object') continue;
      const obj: JsonObject = {};
      for (const [k, x] of Object.entries(v as object)) obj[k] = valueToJson(field, x, anyRoot, depth);
      if (Object.keys(obj).length) out[field.name] = obj;
    } else if (field.repeated) {
      if (!Array.isArray(v) || v.length === 0) continue;
      out[field.name] = v.map((x) => valueToJson(field, x, anyRoot, depth));
    } else {
      const inOneof = field.partOf !== null && field.partOf !== undefined;
      if (!inOneof && isDefault(field, v)) continue;
      out[field.name] = valueToJson(field, v, anyRoot, depth);
    }
  }
  return out;
}

/** Whether `field` is present in `m`: own property of a decoded message, or the chosen member of its oneof. */
function isSet(m: Record<string, unknown>, field: protobuf.Field): boolean {
  const v = m[field.name];
  if (v === undefined || v === null) return false;
  if (m instanceof protobuf.Message && !Object.prototype.hasOwnProperty.call(m, field.name)) return false;
  const oneof = field.partOf;
  if (oneof && typeof m[oneof.name] === 'string') return m[oneof.name] === field.name;
  return true;
}

function isDefault(field: protobuf.Field, v: unknown): boolean {
  if (field.resolvedType instanceof protobuf.Type) return false;
  if (v === '' || v === false || v === 0) return true;
  if (field.resolvedType instanceof protobuf.Enum) return v === 0 || field.resolvedType.values[String(v)] === 0;
  if (typeof v === 'object' && v !== null && 'low' in v && 'high' in v) return isZeroLong(v);
  if (v instanceof Uint8Array) return v.length === 0;
  return false;
}

function isZeroLong(v: object): boolean {
  const l = v as { low: number; high: number };
  return l.low === 0 && l.high === 0;
}

function valueToJson(field: protobuf.Field, v: unknown, anyRoot: protobuf.Root | undefined, depth: number): Json {
  const rt = field.resolvedType;
  if (rt instanceof protobuf.Type) return messageToJson(rt, v, anyRoot, depth + 1);
  if (rt instanceof protobuf.Enum) {
    if (typeof v === 'string') return v;
    const name = rt.valuesById[Number(v)];
    return name ?? Number(v);
  }
  return scalarToJson(field.type, v);
}

function scalarToJson(type: string, v: unknown): Json {
  switch (type) {
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return longToString(v);
    case 'bytes':
      return v instanceof Uint8Array ? Buffer.from(v).toString('base64') : typeof v === 'string' ? v : '';
    case 'double':
    case 'float':
      if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
      return typeof v === 'number' ? v : Number(v);
    case 'bool':
      return v === true;
    case 'string':
      return typeof v === 'string' ? v : String(v);
    default:
      return typeof v === 'number' ? v : Number(v);
  }
}

function longToString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'object' && v !== null && 'low' in v && 'high' in v) {
    const l = v as { low: number; high: number; unsigned?: boolean };
    const big = (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
    return String(l.unsigned ? big : BigInt.asIntN(64, big));
  }
  return '0';
}

function longToNumber(v: unknown): number {
  const n = Number(longToString(v));
  return Number.isFinite(n) ? n : 0;
}

/** JSON of well-known types with a special mapping; undefined for ordinary messages. */
function wellKnownToJson(type: protobuf.Type, m: Record<string, unknown>, anyRoot: protobuf.Root | undefined, depth: number): Json | undefined {
  switch (type.fullName.startsWith(WKT) ? type.fullName.slice(WKT.length) : '') {
    case 'Struct':
      return structToJson(m, depth);
    case 'Value':
      return valueMsgToJson(m, depth);
    case 'ListValue':
      return Array.isArray(m.values) ? m.values.map((x) => valueMsgToJson(x as Record<string, unknown>, depth + 1)) : [];
    case 'Timestamp':
      return timestampToJson(m);
    case 'Duration':
      return durationToJson(m);
    case 'Any':
      return anyToJson(anyRoot ?? (type.root as protobuf.Root), m, depth);
    case 'FieldMask':
      return Array.isArray(m.paths) ? m.paths.map(String).join(',') : '';
    case 'Empty':
      return {};
    case 'DoubleValue':
    case 'FloatValue':
    case 'Int32Value':
    case 'UInt32Value':
      return typeof m.value === 'number' ? m.value : 0;
    case 'Int64Value':
    case 'UInt64Value':
      return longToString(m.value ?? 0);
    case 'BoolValue':
      return m.value === true;
    case 'StringValue':
      return typeof m.value === 'string' ? m.value : '';
    case 'BytesValue':
      return scalarToJson('bytes', m.value ?? new Uint8Array());
    default:
      return undefined;
  }
}

function structToJson(m: Record<string, unknown>, depth: number): JsonObject {
  const out: JsonObject = {};
  const fields = m.fields;
  if (typeof fields !== 'object' || fields === null) return out;
  for (const [k, v] of Object.entries(fields)) out[k] = valueMsgToJson(v as Record<string, unknown>, depth + 1);
  return out;
}

const VALUE_KINDS = new Set(['nullValue', 'numberValue', 'stringValue', 'boolValue', 'structValue', 'listValue']);

function valueMsgToJson(v: Record<string, unknown> | null | undefined, depth: number): Json {
  if (!v || typeof v !== 'object' || depth > 64) return null;
  // which member of the `kind` oneof is set: own property of a decoded message, or the virtual `kind` of a plain object
  const kind = v instanceof protobuf.Message ? Object.keys(v).find((k) => VALUE_KINDS.has(k)) ?? 'nullValue' : v.kind;
  const has = (k: string): boolean => (typeof kind === 'string' ? kind === k : v[k] !== undefined && v[k] !== null);
  if (has('stringValue')) return String(v.stringValue);
  if (has('numberValue')) return typeof v.numberValue === 'number' ? v.numberValue : Number(v.numberValue);
  if (has('boolValue')) return v.boolValue === true;
  if (has('structValue')) return structToJson(v.structValue as Record<string, unknown>, depth + 1);
  if (has('listValue')) {
    const vals = (v.listValue as { values?: unknown } | null)?.values;
    return Array.isArray(vals) ? vals.map((x) => valueMsgToJson(x as Record<string, unknown>, depth + 1)) : [];
  }
  return null;
}

/** RFC 3339 UTC with 0, 3, 6 or 9 fractional digits, as Google prints timestamps. */
export function timestampToJson(m: { seconds?: unknown; nanos?: unknown }): string {
  const secs = longToNumber(m.seconds ?? 0);
  const nanos = typeof m.nanos === 'number' ? m.nanos : Number(m.nanos ?? 0) || 0;
  const d = new Date(secs * 1000);
  if (Number.isNaN(d.getTime())) return '';
  const base = d.toISOString().slice(0, 19);
  return `${base}${fraction(nanos)}Z`;
}

function fraction(nanos: number): string {
  if (nanos <= 0 || nanos >= 1e9) return '';
  const s = String(Math.trunc(nanos)).padStart(9, '0');
  if (s.endsWith('000000')) return '.' + s.slice(0, 3);
  if (s.endsWith('000')) return '.' + s.slice(0, 6);
  return '.' + s;
}

function durationToJson(m: { seconds?: unknown; nanos?: unknown }): string {
  const secs = longToNumber(m.seconds ?? 0);
  const nanos = typeof m.nanos === 'number' ? m.nanos : 0;
  const neg = secs < 0 || nanos < 0;
  const f = fraction(Math.abs(nanos));
  return `${neg && secs === 0 ? '-' : ''}${secs}${f}s`;
}

function anyToJson(root: protobuf.Root, m: Record<string, unknown>, depth: number): JsonObject {
  const url = String(m.type_url ?? m.typeUrl ?? '');
  const value = m.value instanceof Uint8Array ? m.value : new Uint8Array();
  const inner = lookupType(root, url);
  if (!inner) return { '@type': url, valueBase64: Buffer.from(value).toString('base64') };
  let decoded: protobuf.Message;
  try {
    decoded = inner.decode(value);
  } catch {
    return { '@type': url, valueBase64: Buffer.from(value).toString('base64') };
  }
  const json = messageToJson(inner, decoded, root, depth + 1);
  if (inner.fullName.startsWith(WKT) && inner.fullName !== WKT + 'Any') return { '@type': url, value: json };
  return { '@type': url, ...(json as JsonObject) };
}

/** The message type an Any's type_url names (`type.googleapis.com/google.cloud.audit.AuditLog`), when known. */
export function lookupType(root: protobuf.Root, typeUrl: string): protobuf.Type | null {
  const name = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
  if (!name) return null;
  try {
    const t = root.lookup(name);
    return t instanceof protobuf.Type ? t : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- encode side

/**
 * The protobufjs object form (for `Type.fromObject`) of proto3 JSON `json`
 * for `type`. Accepts camelCase or snake_case names; unknown names are dropped.
 */
export function jsonToMessage(type: protobuf.Type, json: unknown, anyRoot?: protobuf.Root, depth = 0): Record<string, unknown> | null {
  if (depth > 64) return null;
  const special = wellKnownFromJson(type, json, anyRoot, depth);
  if (special !== undefined) return special;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const out: Record<string, unknown> = {};
  const src = json as Record<string, unknown>;
  for (const field of type.fieldsArray) {
    const snake = field.name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
    const v = src[field.name] !== undefined ? src[field.name] : src[snake];
    if (v === undefined || v === null) continue;
    field.resolve();
    if (field.map) {
      if (typeof v !== 'object' || Array.isArray(v)) continue;
      const obj: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as object)) obj[k] = valueFromJson(field, x, anyRoot, depth);
      out[field.name] = obj;
    } else if (field.repeated) {
      if (!Array.isArray(v)) continue;
      out[field.name] = v.map((x) => valueFromJson(field, x, anyRoot, depth));
    } else {
      out[field.name] = valueFromJson(field, v, anyRoot, depth);
    }
  }
  return out;
}

function valueFromJson(field: protobuf.Field, v: unknown, anyRoot: protobuf.Root | undefined, depth: number): unknown {
  const rt = field.resolvedType;
  if (rt instanceof protobuf.Type) return jsonToMessage(rt, v, anyRoot, depth + 1);
  if (rt instanceof protobuf.Enum) return typeof v === 'string' && v in rt.values ? v : typeof v === 'number' ? v : 0;
  switch (field.type) {
    case 'bytes':
      return typeof v === 'string' ? Buffer.from(v, 'base64') : new Uint8Array();
    case 'string':
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'bool':
      return v === true || v === 'true';
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return typeof v === 'number' || (typeof v === 'string' && /^-?\d+$/.test(v)) ? String(v) : '0';
    default: {
      const n = Number(v);
      return Number.isFinite(n) ? n : 0;
    }
  }
}

function wellKnownFromJson(type: protobuf.Type, json: unknown, anyRoot: protobuf.Root | undefined, depth: number): Record<string, unknown> | null | undefined {
  switch (type.fullName.startsWith(WKT) ? type.fullName.slice(WKT.length) : '') {
    case 'Struct':
      return structFromJson(json, depth);
    case 'Value':
      return valueMsgFromJson(json, depth);
    case 'ListValue':
      return { values: Array.isArray(json) ? json.map((x) => valueMsgFromJson(x, depth + 1)) : [] };
    case 'Timestamp':
      return timestampFromJson(json);
    case 'Duration':
      return durationFromJson(json);
    case 'Any':
      return anyFromJson(anyRoot ?? (type.root as protobuf.Root), json, depth);
    default:
      return undefined;
  }
}

function structFromJson(json: unknown, depth: number): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    for (const [k, v] of Object.entries(json)) fields[k] = valueMsgFromJson(v, depth + 1);
  }
  return { fields };
}

function valueMsgFromJson(v: unknown, depth: number): Record<string, unknown> {
  if (depth > 64 || v === null || v === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (Array.isArray(v)) return { listValue: { values: v.map((x) => valueMsgFromJson(x, depth + 1)) } };
  if (typeof v === 'object') return { structValue: structFromJson(v, depth + 1) };
  return { nullValue: 'NULL_VALUE' };
}

/** `{seconds, nanos}` of an RFC 3339 string (any fraction length, any offset); null when unparsable. */
export function timestampFromJson(json: unknown): { seconds: string; nanos: number } | null {
  if (typeof json !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/i.exec(json.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}${(m[4] ?? 'Z').toUpperCase()}`);
  if (Number.isNaN(ms)) return null;
  return { seconds: String(Math.floor(ms / 1000)), nanos: Number((m[3] ?? '').padEnd(9, '0')) };
}

function durationFromJson(json: unknown): { seconds: string; nanos: number } | null {
  if (typeof json !== 'string') return null;
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(json);
  if (!m) return null;
  const sign = m[1] ? -1 : 1;
  return { seconds: String(sign * Number(m[2])), nanos: sign * Number((m[3] ?? '').padEnd(9, '0')) };
}

function anyFromJson(root: protobuf.Root, json: unknown, depth: number): Record<string, unknown> | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const src = json as Record<string, unknown>;
  const url = typeof src['@type'] === 'string' ? src['@type'] : '';
  const inner = lookupType(root, url);
  if (!inner) {
    const b64 = typeof src.valueBase64 === 'string' ? src.valueBase64 : '';
    return { type_url: url, value: Buffer.from(b64, 'base64') };
  }
  const body = inner.fullName.startsWith(WKT) ? src.value : src;
  const obj = jsonToMessage(inner, body, root, depth + 1);
  const value = inner.encode(inner.fromObject(obj ?? {})).finish();
  return { type_url: url, value: Buffer.from(value) };
}
