/**
 * From any parsed JSON value in a GCP audit log file to LogEntry objects:
 * LogEntry itself, arrays of them (gcloud logging read --format=json), the
 * REST `entries.list` response ({entries}), Pub/Sub messages (push
 * {message:{data}}, pull [{ackId, message}], {receivedMessages}) whose data is
 * a base64 LogEntry, and Eventarc CloudEvents ({specversion, data}).
 */
import { isObject } from './json.js';

/** A LogEntry as parsed from JSON (attacker-controlled; fields are checked when read). */
export type LogEntry = Record<string, unknown>;

/** Keys that only a LogEntry has (Panther's lower-cased spellings included). */
const ENTRY_KEYS = [
  'protoPayload', 'logName', 'insertId', 'textPayload', 'jsonPayload', 'receiveTimestamp',
  'logname', 'insertid', 'receivetimestamp',
];

/** True when `v` looks like a LogEntry. */
export function looksLikeEntry(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const k of ENTRY_KEYS) if (k in v) return true;
  return 'resource' in v && 'timestamp' in v && isObject(v.resource);
}

const MAX_DEPTH = 6;

export interface Unwrapped {
  entries: LogEntry[];
  /** objects that are none of the known shapes */
  unknown: number;
}

/** The LogEntries inside `v`. */
export function unwrap(v: unknown, out: Unwrapped = { entries: [], unknown: 0 }, depth = 0): Unwrapped {
  if (depth > MAX_DEPTH) {
    out.unknown++;
    return out;
  }
  if (Array.isArray(v)) {
    for (const x of v) unwrap(x, out, depth + 1);
    return out;
  }
  if (!isObject(v)) {
    out.unknown++;
    return out;
  }
  if (looksLikeEntry(v)) {
    out.entries.push(v as LogEntry);
    return out;
  }
  if (Array.isArray(v.entries)) return unwrap(v.entries, out, depth + 1);
  if (Array.isArray(v.receivedMessages)) return unwrap(v.receivedMessages, out, depth + 1);
  if (isObject(v.message) && (typeof v.message.data === 'string' || isObject(v.message.data))) {
    return unwrap(decodeData(v.message.data), out, depth + 1);
  }
  if ('specversion' in v || 'data' in v || 'data_base64' in v) {
    const data = 'data' in v ? v.data : v.data_base64;
    return unwrap(decodeData(data), out, depth + 1);
  }
  out.unknown++;
  return out;
}

/** A Pub/Sub or CloudEvent `data`: an object as is, base64 (or plain) JSON text parsed; undefined if neither. */
function decodeData(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  const text = data.trimStart().startsWith('{') || data.trimStart().startsWith('[') ? data : Buffer.from(data, 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
