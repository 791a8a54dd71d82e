/**
 * Filter push-down: the part of a display filter that Cloud Logging's query
 * language can express, as a Logging query. The translation is a necessary
 * condition of the filter (every entry the filter accepts satisfies it), so
 * the server returns a superset and the whole filter, run locally on what
 * comes back, gives exactly the local result.
 *
 * Pushed: positive comparisons of mapped fields (method, service, principal,
 * caller IP, resource type/name, project, bucket, location, severity, log,
 * insertId, status code, gcp.time) with a literal — `==`, `in {...}` (an OR of
 * equalities), contains / icontains / startswith / endswith (as RE2
 * regexes) and time ordering — under AND and OR. Everything else (negation,
 * `!=`, regexes, globs, functions, unmapped fields) becomes "true" (not
 * pushed) and runs only locally.
 */
import type { CmpNode, Expr, Literal, Operand, SetNode } from '../../filter/ast.js';
import { getField } from '../../fields/registry.js';
import { formatNs, parseTimestamp } from '../../filter/values.js';

/** A Logging query under construction: TRUE, an atom, or AND/OR of parts. */
export type Q = { k: 'true' } | { k: 'atom'; text: string } | { k: 'and' | 'or'; parts: Q[] };

const TRUE: Q = { k: 'true' };

/** How a gcp.* field maps to a LogEntry path Cloud Logging can filter. */
interface Mapping {
  path: string;
  kind: 'string' | 'number' | 'time' | 'logType' | 'location';
}

/** Fields whose local value is exactly the LogEntry value at `path` (when present as a string). */
export const PUSHABLE: Readonly<Record<string, Mapping>> = {
  'gcp.methodName': { path: 'protoPayload.methodName', kind: 'string' },
  'gcp.serviceName': { path: 'protoPayload.serviceName', kind: 'string' },
  'gcp.user': { path: 'protoPayload.authenticationInfo.principalEmail', kind: 'string' },
  'gcp.callerIP': { path: 'protoPayload.requestMetadata.callerIp', kind: 'string' },
  'gcp.userAgent': { path: 'protoPayload.requestMetadata.callerSuppliedUserAgent', kind: 'string' },
  'gcp.resourceName': { path: 'protoPayload.resourceName', kind: 'string' },
  'gcp.resourceType': { path: 'resource.type', kind: 'string' },
  'gcp.projectId': { path: 'resource.labels.project_id', kind: 'string' },
  'gcp.storage.bucket': { path: 'resource.labels.bucket_name', kind: 'string' },
  'gcp.cloudfunctions.function': { path: 'resource.labels.function_name', kind: 'string' },
  'gcp.cloudsql.databaseId': { path: 'resource.labels.database_id', kind: 'string' },
  'gcp.compute.instanceId': { path: 'resource.labels.instance_id', kind: 'string' },
  'gcp.iam.serviceAccount': { path: 'resource.labels.email_id', kind: 'string' },
  'gcp.severity': { path: 'severity', kind: 'string' },
  'gcp.logName': { path: 'logName', kind: 'string' },
  'gcp.insertId': { path: 'insertId', kind: 'string' },
  'gcp.status.code': { path: 'protoPayload.status.code', kind: 'number' },
  'gcp.time': { path: 'timestamp', kind: 'time' },
  'gcp.logType': { path: 'logName', kind: 'logType' },
  'gcp.location': { path: 'resource.labels', kind: 'location' },
};

/** A Logging query string literal. */
export function quote(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') + '"';
}

/** RE2 pattern matching `s` literally. */
export function reEscape(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** The text of a literal operand usable as a constant, or null (field names written bare, calls, refs...). */
function literalText(o: Operand): string | null {
  if (o.kind !== 'literal') return null;
  const lit = o as Literal;
  // a bare word may name a field (Wireshark field-to-field comparison): not a constant
  if (lit.style === 'bare' && getField(lit.value)) return null;
  return lit.value;
}

function fieldOf(o: Operand): Mapping | null {
  if (o.kind !== 'field' || o.arg !== undefined) return null;
  return PUSHABLE[o.name] ?? null;
}

const atom = (text: string): Q => ({ k: 'atom', text });

/** `path = value` for one mapped field and constant, or TRUE when it cannot be expressed. */
function equality(m: Mapping, value: string): Q {
  switch (m.kind) {
    case 'string':
      // proto3 drops empty strings: "" cannot be told from absent server-side
      return value === '' ? TRUE : atom(`${m.path} = ${quote(value)}`);
    case 'number':
      return /^[1-9]\d{0,9}$/.test(value) ? atom(`${m.path} = ${value}`) : TRUE;
    case 'logType':
      if (value === '' || /["\\]/.test(value)) return TRUE;
      return or([atom(`log_id(${quote('cloudaudit.googleapis.com/' + value)})`), atom(`log_id(${quote(value)})`)]);
    case 'time': {
      const ns = parseTimestamp(value);
      return ns === null ? TRUE : atom(`${m.path} = ${quote(formatNs(ns))}`);
    }
    case 'location': {
      // gcp.location == v needs one of: labels.location == v, labels.region == v, labels.zone == v + 2 UTF-16
      // units (1 or 2 code points: an astral character is 2 units), or == v when that short
      if (value === '' || /[\uD800-\uDFFF]/.test(value)) return TRUE;
      const parts = [
        atom(`${m.path}.location = ${quote(value)}`),
        atom(`${m.path}.region = ${quote(value)}`),
        atom(`${m.path}.zone =~ ${quote(`^${reEscape(value)}[\\s\\S]{1,2}$`)}`),
      ];
      if (value.length <= 2) parts.push(atom(`${m.path}.zone = ${quote(value)}`));
      return or(parts);
    }
  }
}

function and(parts: Q[]): Q {
  const flat: Q[] = [];
  for (const p of parts) {
    if (p.k === 'true') continue;
    if (p.k === 'and') flat.push(...p.parts);
    else flat.push(p);
  }
  return flat.length === 0 ? TRUE : flat.length === 1 ? flat[0]! : { k: 'and', parts: flat };
}

function or(parts: Q[]): Q {
  const flat: Q[] = [];
  for (const p of parts) {
    if (p.k === 'true') return TRUE;
    if (p.k === 'or') flat.push(...p.parts);
    else flat.push(p);
  }
  return flat.length === 0 ? TRUE : flat.length === 1 ? flat[0]! : { k: 'or', parts: flat };
}

const ORDER: Record<string, string> = { lt: '<', le: '<=', gt: '>', ge: '>=' };

function comparison(c: CmpNode): Q {
  const m = fieldOf(c.left);
  const value = literalText(c.right);
  if (!m || value === null) return TRUE;
  switch (c.op) {
    case 'eq':
    case 'all_eq':
      return equality(m, value);
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      if (m.kind !== 'time') return TRUE;
      const ns = parseTimestamp(value);
      return ns === null ? TRUE : atom(`${m.path} ${ORDER[c.op]} ${quote(formatNs(ns))}`);
    }
    case 'contains':
    case 'icontains':
    case 'startswith':
    case 'endswith': {
      if (m.kind !== 'string' || value === '') return TRUE;
      const body = reEscape(value);
      const re = c.op === 'contains' ? body : c.op === 'icontains' ? `(?i)${body}` : c.op === 'startswith' ? `^${body}` : `${body}$`;
      return atom(`${m.path} =~ ${quote(re)}`);
    }
    default:
      return TRUE;
  }
}

function membership(s: SetNode): Q {
  if (s.op !== 'in' || s.negated) return TRUE;
  const m = fieldOf(s.left);
  if (!m) return TRUE;
  const parts: Q[] = [];
  for (const item of s.items) {
    if (item.kind === 'range') return TRUE;
    const v = literalText(item);
    if (v === null) return TRUE;
    parts.push(equality(m, v));
  }
  return or(parts);
}

/** The necessary condition of `e` as a query tree (negated when `neg`). */
export function translate(e: Expr, neg = false): Q {
  switch (e.kind) {
    case 'and':
      return neg ? or([translate(e.left, true), translate(e.right, true)]) : and([translate(e.left), translate(e.right)]);
    case 'or':
      return neg ? and([translate(e.left, true), translate(e.right, true)]) : or([translate(e.left), translate(e.right)]);
    case 'not':
      return translate(e.expr, !neg);
    case 'cmp':
      return neg ? TRUE : comparison(e);
    case 'set':
      return neg ? TRUE : membership(e);
    default:
      return TRUE;
  }
}

/** Query text of a tree ("" for TRUE). OR groups are parenthesized. */
export function print(q: Q, nested = false): string {
  switch (q.k) {
    case 'true':
      return '';
    case 'atom':
      return q.text;
    case 'and': {
      const s = q.parts.map((p) => print(p, true)).join(' AND ');
      return nested ? `(${s})` : s;
    }
    case 'or': {
      const s = q.parts.map((p) => print(p, true)).join(' OR ');
      return `(${s})`;
    }
  }
}

/** The Logging query for a filter AST ("" when nothing can be pushed). */
export function pushdownQuery(ast: Expr | null | undefined): string {
  return ast ? print(translate(ast)) : '';
}

/**
 * The whole query sent to Cloud Logging: the log (when the URL names one),
 * the explicit time range (always: the client otherwise adds "the last 24
 * hours"), and the pushed part of the filter.
 */
export function serverQuery(parts: { logName?: string; since: Date; until: Date; ast?: Expr | null }): string {
  const qs: string[] = [];
  if (parts.logName) qs.push(`logName = ${quote(parts.logName)}`);
  qs.push(`timestamp >= ${quote(parts.since.toISOString())}`, `timestamp < ${quote(parts.until.toISOString())}`);
  const base = qs.join(' AND ');
  const pushed = pushdownQuery(parts.ast);
  // Cloud Logging refuses queries over 20,000 characters: then the filter runs only locally
  return pushed && base.length + pushed.length + 5 <= MAX_QUERY ? `${base} AND ${pushed}` : base;
}

/** Cloud Logging's limit on the length of a query. */
export const MAX_QUERY = 20_000;
