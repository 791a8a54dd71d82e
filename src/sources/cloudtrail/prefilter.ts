/**
 * A text prefilter derived from a display filter: substrings the raw JSON of
 * any matching record must contain, so that records which cannot match are
 * skipped before JSON.parse (most of the cost of a selective query).
 *
 * Only sound cases are used: top-level AND-ed, case-sensitive `==`,
 * `contains`, `startswith`, `endswith`, `in {...}` of non-empty literals on
 * fields whose value is copied verbatim from a JSON string of the record
 * (ct.name, ct.user, s3.bucket...). A record whose text has a `\u` or `\/`
 * escape is always parsed (its strings may be spelled differently), and a
 * literal that JSON would escape gives no requirement. OR of two required
 * sets becomes their union; NOT, XOR and everything else give none.
 */
import type { Expr, Operand } from '../../filter/ast.js';

/** Fields whose non-empty value appears verbatim in the record text (ct.user's literals are its identity type). */
const VERBATIM = new Set([
  'ct.id', 'ct.error', 'ct.errormessage', 'ct.src', 'ct.shortsrc', 'ct.name', 'ct.user', 'ct.originaluser',
  'ct.user.accountid', 'ct.user.identitytype', 'ct.user.principalid', 'ct.user.arn', 'ct.region',
  'ct.response.subnetid', 'ct.response.reservationid', 'ct.request.availabilityzone', 'ct.request.cluster',
  'ct.request.functionname', 'ct.request.groupname', 'ct.request.host', 'ct.request.name', 'ct.request.policy',
  'ct.request.reason', 'ct.request.target', 'ct.request.documentname', 'ct.request.serialnumber',
  'ct.request.servicename', 'ct.request.subnetid', 'ct.request.taskdefinition', 'ct.request.username',
  'ct.useragent', 'ct.requestid', 'ct.eventtype', 'ct.apiversion', 'ct.recipientaccountid', 'ct.sharedeventid',
  'ct.vpcendpointid', 'ct.eventcategory', 'ct.addendum.reason', 'ct.addendum.updatedfields',
  'ct.addendum.originalrequestid', 'ct.addendum.originaleventid', 'ct.tlsdetails.tlsversion',
  'ct.tlsdetails.ciphersuite', 'ct.tlsdetails.clientprovidedhostheader', 's3.bucket', 's3.key', 'ecr.repository',
  'ecr.imagetag', 'iam.role', 'iam.policy',
]);

const SUBSTRING_OPS = new Set(['eq', 'all_eq', 'contains', 'startswith', 'endswith']);

/** Each inner array: the text must contain at least one of its strings. */
type Requirement = string[][];

function fieldOf(o: Operand): string | null {
  return o.kind === 'field' && o.arg === undefined && VERBATIM.has(o.name) ? o.name : null;
}

/** A literal usable as a substring: non-empty, spelled the same inside JSON text. */
function needle(o: Operand): string | null {
  if (o.kind !== 'literal' || o.style === 'number' || o.value === '') return null;
  return JSON.stringify(o.value).slice(1, -1) === o.value ? o.value : null;
}

function requirements(e: Expr): Requirement {
  switch (e.kind) {
    case 'and':
      return [...requirements(e.left), ...requirements(e.right)];
    case 'or': {
      const l = requirements(e.left);
      const r = requirements(e.right);
      return l.length && r.length ? [[...l[0]!, ...r[0]!]] : [];
    }
    case 'cmp': {
      if (!SUBSTRING_OPS.has(e.op)) return [];
      const pair = fieldOf(e.left) ? needle(e.right) : fieldOf(e.right) && (e.op === 'eq' || e.op === 'all_eq') ? needle(e.left) : null;
      return pair ? [[pair]] : [];
    }
    case 'set': {
      if (e.op !== 'in' || e.negated || !fieldOf(e.left)) return [];
      const alts: string[] = [];
      for (const it of e.items) {
        const n = it.kind === 'range' ? null : needle(it);
        if (n === null) return [];
        alts.push(n);
      }
      return alts.length ? [alts] : [];
    }
    default:
      return [];
  }
}

/** The prefilter of a checked filter tree, or null when it implies no substring. */
export function textPrefilter(ast: Expr): ((text: string) => boolean) | null {
  const req = requirements(ast);
  if (req.length === 0) return null;
  return (text) => {
    if (text.includes('\\u') || text.includes('\\/')) return true;
    for (const alts of req) {
      let ok = false;
      for (const s of alts) {
        if (text.includes(s)) {
          ok = true;
          break;
        }
      }
      if (!ok) return false;
    }
    return true;
  };
}
