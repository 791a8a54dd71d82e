/**
 * `gcp://` URLs: what to read through the Cloud Logging API.
 *
 *   gcp://projects/PROJECT                   all logs of a project
 *   gcp://projects/PROJECT/logs/LOG          one log (LOG URL-encoded or not)
 *   gcp://PROJECT[/logs/LOG]                 shorthand for projects/PROJECT
 *   gcp://organizations/ID, folders/ID, billingAccounts/ID  (optionally /logs/LOG)
 *
 * LOG may be an audit log's short name: activity, data_access,
 * system_event, policy (→ cloudaudit.googleapis.com/<name>).
 */

export interface GcpTarget {
  /** the URL as given */
  url: string;
  /** resource name the entries are listed from: `projects/P`, `organizations/O`... */
  parent: string;
  kind: 'projects' | 'organizations' | 'folders' | 'billingAccounts';
  id: string;
  /** full logName when the URL names a log (`projects/P/logs/cloudaudit.googleapis.com%2Factivity`) */
  logName?: string;
  /** the decoded log id (`cloudaudit.googleapis.com/activity`) */
  logId?: string;
}

export class GcpUrlError extends Error {
  constructor(readonly url: string, detail: string) {
    super(`invalid GCP URL ${url}: ${detail}. Use gcp://projects/PROJECT[/logs/LOG] (LOG: activity, data_access, system_event, policy or a log id)`);
    this.name = 'GcpUrlError';
  }
}

const KINDS = ['projects', 'organizations', 'folders', 'billingAccounts'] as const;
const AUDIT_LOGS = new Set(['activity', 'data_access', 'system_event', 'policy']);
const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Parses a gcp:// URL; throws GcpUrlError saying what is wrong. */
export function parseGcpUrl(url: string): GcpTarget {
  const m = /^gcp:\/\/(.*)$/i.exec(url.trim());
  if (!m) throw new GcpUrlError(url, 'it does not start with gcp://');
  let rest = m[1]!.replace(/[?#].*$/, '').replace(/\/+$/, '');
  if (rest === '') throw new GcpUrlError(url, 'no project');
  let kind: GcpTarget['kind'] = 'projects';
  const first = rest.split('/')[0]!;
  if ((KINDS as readonly string[]).includes(first)) {
    kind = first as GcpTarget['kind'];
    rest = rest.slice(first.length + 1);
  }
  const slash = rest.indexOf('/');
  const id = decode(slash < 0 ? rest : rest.slice(0, slash));
  if (!ID.test(id)) throw new GcpUrlError(url, `"${id}" is not a ${kind.replace(/s$/, '')} id`);
  const parent = `${kind}/${id}`;
  const target: GcpTarget = { url, parent, kind, id };
  if (slash < 0) return target;
  const tail = rest.slice(slash + 1);
  if (!tail.startsWith('logs/') || tail.length <= 5) throw new GcpUrlError(url, `expected /logs/LOG after ${parent}`);
  let logId = decode(tail.slice(5));
  if (AUDIT_LOGS.has(logId)) logId = `cloudaudit.googleapis.com/${logId}`;
  if (!/^[A-Za-z0-9_./-]{1,512}$/.test(logId)) throw new GcpUrlError(url, `"${logId}" is not a log id`);
  target.logId = logId;
  target.logName = `${parent}/logs/${encodeURIComponent(logId)}`;
  return target;
}
