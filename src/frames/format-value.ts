/**
 * How a field value is written as text (`-T fields`, CSV) and as JSON
 * (`-T json`, JSON lines). One place, so the CLI and the exports agree.
 */
import type { Value } from '../fields/types.js';
import { formatTime } from './time.js';

const decoder = new TextDecoder('utf-8', { fatal: false });

/** A plain object (a raw record), not a Date, array or typed array. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** Text of a value: absent = '', lists joined by ',', Date as RFC 3339, objects as compact JSON. */
export function textValue(v: Value | unknown): string {
  if (v === null || v === undefined) return '';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'bigint':
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : formatTime(v);
  if (Array.isArray(v)) return v.map((x) => textValue(x)).join(',');
  if (v instanceof Uint8Array) return decoder.decode(v);
  return JSON.stringify(jsonValue(v));
}

/** Escapes `\`, tab, newline and CR as `\\`, `\t`, `\n`, `\r` (one line per event, tab-separated). */
export function escapeField(s: string): string {
  if (!/[\\\t\n\r]/.test(s)) return s;
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** RFC 4180 quoting: fields with a comma, quote, CR or LF are quoted, quotes doubled. */
export function csvQuote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A JSON-safe value: bigint as its decimal string, Date as RFC 3339, bytes as text; objects deeply (cycles as "[circular]"). */
export function jsonValue(v: unknown): unknown {
  return toJsonSafe(v, new WeakSet(), 0);
}

const MAX_DEPTH = 64;

function toJsonSafe(v: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'string':
    case 'boolean':
      return v;
    case 'function':
    case 'symbol':
      return null;
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : formatTime(v);
  if (v instanceof Uint8Array) return decoder.decode(v);
  const obj = v as object;
  if (seen.has(obj) || depth >= MAX_DEPTH) return '[circular]';
  seen.add(obj);
  const next = (x: unknown) => toJsonSafe(x, seen, depth + 1);
  let out: unknown;
  if (Array.isArray(v)) out = v.map(next);
  else if (ArrayBuffer.isView(v)) out = Array.from(v as unknown as ArrayLike<number | bigint>, next);
  else if (v instanceof Map) out = Object.fromEntries([...v].map(([k, x]) => [String(k), next(x)]));
  else {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(obj)) o[k] = next(x);
    out = o;
  }
  seen.delete(obj);
  return out;
}

/** JSON text of a value that may hold bigints and Dates. */
export function toJSONText(v: unknown): string {
  return JSON.stringify(jsonValue(v));
}

/** 1536 -> "1.5 KB" (powers of 1024, as file sizes are shown). */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}
