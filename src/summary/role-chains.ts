/**
 * AssumeRole chains: who assumed which role, followed through roles that,
 * once assumed, assumed further roles (role chaining).
 */
import { timeText } from './report.js';

/** One AssumeRole relation seen in the data. */
export interface RoleEdge {
  fromName: string;
  fromType: string;
  toName: string;
  count: number;
  first: number;
}

/** The role name of a role ARN (`arn:aws:iam::1:role/path/Name` -> Name). */
export function roleName(arn: string): string {
  const m = /:role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? m[1]! : arn;
}

/**
 * AssumeRole edges followed into chains: each chain starts at a user (or a
 * role nobody in the data assumed) and follows roles that, once assumed,
 * assumed further roles. Rows: "a (IAMUser) -> RoleA -> RoleB", hops, first time.
 */
export function roleChains(edges: RoleEdge[]): unknown[][] {
  const out = new Map<string, { edges: typeof edges; first: number }>();
  const byCaller = new Map<string, typeof edges>();
  for (const e of edges) {
    const k = e.fromType === 'AssumedRole' ? `role:${e.fromName}` : `user:${e.fromName}`;
    const list = byCaller.get(k) ?? [];
    list.push(e);
    byCaller.set(k, list);
  }
  const assumed = new Set(edges.map((e) => e.toName));
  const starts = edges.filter((e) => e.fromType !== 'AssumedRole' || !assumed.has(e.fromName));
  const walk = (path: typeof edges) => {
    const lastRole = path[path.length - 1]!.toName;
    const next = (byCaller.get(`role:${lastRole}`) ?? []).filter((e) => !path.some((p) => p.toName === e.toName) && e.first >= path[path.length - 1]!.first);
    if (!next.length) {
      const head = path[0]!;
      const text = [`${head.fromName} (${head.fromType})`, ...path.map((p) => p.toName)].join(' -> ');
      if (!out.has(text)) out.set(text, { edges: path, first: head.first });
      return;
    }
    for (const e of next) walk([...path, e]);
  };
  for (const s of starts) walk([s]);
  return [...out]
    .sort((a, b) => b[1].edges.length - a[1].edges.length || a[1].first - b[1].first)
    .map(([text, c]) => [text, c.edges.length, timeText(c.first)]);
}
