/**
 * `gcpInfo`: the one-line summary of an entry for the CLI's text output and
 * notebooks' Info column. Falco's gcpaudit has no info field (Stratoshark's
 * Info column is empty for GCP), so this follows ct.info's shape:
 * "<user> via <callerIP> [!]<method> <resource> (<status>)".
 */
import { getPath, getStr, isObject } from './json.js';
import { gcpLogType } from './fields.js';

/** google.rpc.Code names, for the status suffix. */
const CODES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE',
  'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
];

const MAX_MESSAGE = 80;

function clip(s: string, n = MAX_MESSAGE): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

/** The summary of a LogEntry, or of a table row object holding it in `raw`. */
export function gcpInfo(row: unknown): string {
  const entry = isObject(row) && isObject(row.raw) && !('protoPayload' in row) ? row.raw : row;
  if (!isObject(entry)) return '<invalid gcp entry>';
  const pp = getPath(entry, 'protoPayload');
  if (!isObject(pp)) return otherPayloadInfo(entry);
  const user = getStr(pp, 'authenticationInfo', 'principalEmail') || getStr(pp, 'authenticationInfo', 'principalSubject') || '<unknown principal>';
  const ip = getStr(pp, 'requestMetadata', 'callerIp');
  const method = getStr(pp, 'methodName') || '<no methodName>';
  const resource = getStr(pp, 'resourceName');
  const code = getPath(pp, 'status', 'code');
  const failed = typeof code === 'number' ? code !== 0 : typeof code === 'string' && code !== '' && code !== '0';
  let info = ip && ip !== user ? `${user} via ${ip} ` : `${user} `;
  info += `${failed ? '!' : ''}${method}`;
  if (resource) info += ` ${resource}`;
  if (failed) {
    const name = CODES[Number(code)] ?? `code ${String(code)}`;
    const msg = getStr(pp, 'status', 'message');
    info += msg && msg !== name ? ` (${name}: ${clip(msg)})` : ` (${name})`;
  }
  return info;
}

/** Entries without an audit payload: "[<log>] <text or JSON payload>". */
function otherPayloadInfo(entry: Record<string, unknown>): string {
  const log = gcpLogType(entry) ?? 'log';
  const text = getStr(entry, 'textPayload');
  if (text) return `[${log}] ${clip(text, 120)}`;
  const json = getPath(entry, 'jsonPayload');
  if (isObject(json)) {
    const msg = getStr(json, 'message');
    return `[${log}] ${clip(msg || JSON.stringify(json), 120)}`;
  }
  return `[${log}] <no payload>`;
}
