/**
 * Process trees from syscall events: parent/child by pid/ppid, exec chains,
 * processes that existed before the capture (from the state engine's
 * process list, or inferred from ppid), marked processes (those that did
 * what a filter selects), siblings beyond a limit folded into "+N more".
 */
import type { Table } from '../frames/table.js';
import type { Value } from '../fields/types.js';
import { compile } from '../filter/index.js';
import { CONFIG, type ChartOptions, emptyChart, titleOf, truncate, VL_SCHEMA, type VegaLiteSpec } from './spec.js';
import { getter, rowIndices, timeGetter } from './rows.js';

/** One process as the tree knows it. */
export interface ProcessInfo {
  pid: number;
  ppid: number | null;
  name: string;
  exe?: string;
  cmdline?: string;
  user?: string;
  container?: string;
  /** epoch ms of the first event seen, or of the process start */
  start?: number;
  /** epoch ms of procexit */
  exit?: number;
  /** the images it ran, in order (bash -> curl when bash exec'd curl) */
  execs?: string[];
  /** true when no event of it was seen: known only as someone's parent */
  inferred?: boolean;
  /** true when one of its events matched the `mark` filter */
  marked?: boolean;
  /** the value of the colorBy field */
  group?: string;
}

export interface ProcessTreeNode {
  proc: ProcessInfo;
  children: ProcessTreeNode[];
  /** siblings folded away below this node's parent ("+N more") */
  folded?: number;
}

export interface ProcessTreeOptions extends ChartOptions {
  /** field coloring the nodes: user.name (default), container.id, proc.name... */
  colorBy?: string;
  /** filter marking processes that did something of interest, e.g. `evt.type = connect` */
  mark?: string;
  /** most children shown under one parent; the rest become "+N more" (marked ones are always kept) */
  maxChildren?: number;
  /** processes known from the capture's process list (state engine), so pre-existing ones appear */
  processes?: readonly ProcessInfo[];
}

function num(v: Value): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
}
function str(v: Value): string | undefined {
  return v === null || v === undefined || v === '' ? undefined : String(v);
}

/** Builds the process forest of a syscall table (roots sorted by start time). */
export function buildProcessTree(table: Table, opts: ProcessTreeOptions = {}): ProcessTreeNode[] {
  const procs = new Map<number, ProcessInfo>();
  for (const p of opts.processes ?? []) procs.set(p.pid, { ...p, execs: p.execs ? [...p.execs] : undefined });
  const g = {
    pid: getter(table, 'proc.pid'),
    ppid: getter(table, 'proc.ppid'),
    name: getter(table, 'proc.name'),
    pname: getter(table, 'proc.pname'),
    exe: getter(table, 'proc.exe'),
    cmd: getter(table, 'proc.cmdline'),
    user: getter(table, 'user.name'),
    container: getter(table, 'container.id'),
    type: getter(table, 'evt.type'),
    dir: getter(table, 'evt.dir'),
    color: getter(table, opts.colorBy ?? 'user.name'),
  };
  const time = timeGetter(table);
  const marked = new Set<number>();
  if (opts.mark) {
    const sub = compile(opts.mark).filter(table);
    for (const r of rowIndices(sub)) {
      const pid = num(g.pid(r));
      if (pid !== null) marked.add(pid);
    }
  }
  const parentNames = new Map<number, string>();
  for (const r of rowIndices(table)) {
    const pid = num(g.pid(r));
    if (pid === null) continue;
    const t = time(r);
    const name = str(g.name(r)) ?? '?';
    let p = procs.get(pid);
    if (!p || p.inferred) {
      p = { ...(p ?? {}), pid, ppid: num(g.ppid(r)), name, inferred: false };
      procs.set(pid, p);
    }
    if (p.start === undefined && Number.isFinite(t)) p.start = t;
    const cmd = str(g.cmd(r));
    const type = g.type(r);
    if (type === 'execve' || type === 'execveat') {
      if (g.dir(r) === '<' && cmd && cmd !== p.cmdline) {
        p.execs = [...(p.execs ?? (p.name && p.name !== name ? [p.name] : [])), name];
      }
    }
    if (type === 'procexit' && Number.isFinite(t)) p.exit = t;
    p.name = name;
    p.cmdline = cmd ?? p.cmdline;
    p.exe = str(g.exe(r)) ?? p.exe;
    p.user = str(g.user(r)) ?? p.user;
    p.container = str(g.container(r)) ?? p.container;
    p.group = str(g.color(r)) ?? p.group;
    const ppid = num(g.ppid(r));
    if (ppid !== null) p.ppid = ppid;
    const pname = str(g.pname(r));
    if (ppid !== null && pname) parentNames.set(ppid, pname);
    if (marked.has(pid)) p.marked = true;
  }
  // parents never seen: inferred nodes, named from the children's proc.pname
  for (const p of [...procs.values()]) {
    if (p.ppid !== null && p.ppid !== p.pid && p.ppid > 0 && !procs.has(p.ppid)) {
      procs.set(p.ppid, { pid: p.ppid, ppid: null, name: parentNames.get(p.ppid) ?? `pid ${p.ppid}`, inferred: true });
    }
  }
  const nodes = new Map<number, ProcessTreeNode>();
  for (const p of procs.values()) nodes.set(p.pid, { proc: p, children: [] });
  const roots: ProcessTreeNode[] = [];
  for (const n of nodes.values()) {
    const pp = n.proc.ppid;
    const parent = pp !== null && pp !== n.proc.pid ? nodes.get(pp) : undefined;
    if (parent && !isAncestor(n, parent, nodes)) parent.children.push(n);
    else roots.push(n);
  }
  const byStart = (a: ProcessTreeNode, b: ProcessTreeNode) => (a.proc.start ?? -Infinity) - (b.proc.start ?? -Infinity) || a.proc.pid - b.proc.pid;
  const sortRec = (ns: ProcessTreeNode[]) => {
    ns.sort(byStart);
    for (const n of ns) sortRec(n.children);
  };
  sortRec(roots);
  return roots;
}

/** Guards against pid cycles (pid reuse): true if `candidate` descends from `node`. */
function isAncestor(node: ProcessTreeNode, candidate: ProcessTreeNode, nodes: Map<number, ProcessTreeNode>): boolean {
  let cur: ProcessTreeNode | undefined = candidate;
  for (let i = 0; cur && i < 10_000; i++) {
    if (cur === node) return true;
    const pp: number | null = cur.proc.ppid;
    cur = pp !== null && pp !== cur.proc.pid ? nodes.get(pp) : undefined;
  }
  return false;
}

function hasMark(n: ProcessTreeNode): boolean {
  return !!n.proc.marked || n.children.some(hasMark);
}

/** Folds children beyond `max` into a "+N more" count, keeping marked subtrees. */
export function foldTree(roots: ProcessTreeNode[], max: number): ProcessTreeNode[] {
  const fold = (ns: ProcessTreeNode[]): ProcessTreeNode[] => {
    let kept = ns;
    let folded = 0;
    if (ns.length > max) {
      const keep = new Set<ProcessTreeNode>(ns.filter(hasMark));
      for (const n of ns) if (keep.size < max) keep.add(n);
      kept = ns.filter((n) => keep.has(n));
      folded = ns.length - kept.length;
    }
    const out = kept.map((n) => ({ ...n, children: fold(n.children) }));
    if (folded > 0) out.push({ proc: { pid: -1, ppid: null, name: `+${folded} more` }, children: [], folded });
    return out;
  };
  return fold(roots);
}

/** A label for a node: command line (or name), pid, and the exec chain when there was one. */
export function nodeLabel(p: ProcessInfo): string {
  if (p.pid < 0) return p.name;
  const what = p.cmdline ?? p.name;
  const chain = p.execs && p.execs.length > 1 ? `  [${p.execs.join(' → ')}]` : '';
  const note = p.inferred ? ' — parent, no events' : p.start === undefined ? ' — running at capture start' : '';
  return `${truncate(what, 90)} (${p.pid})${note}${chain}`;
}

/** The tree as indented text, like msticpy's tree_to_text. */
export function processTreeText(roots: ProcessTreeNode[]): string {
  const lines: string[] = [];
  const walk = (n: ProcessTreeNode, prefix: string, last: boolean, top: boolean) => {
    lines.push(`${top ? '' : prefix + (last ? '└─ ' : '├─ ')}${nodeLabel(n.proc)}${n.proc.marked ? '  *' : ''}`);
    const next = top ? '' : prefix + (last ? '   ' : '│  ');
    n.children.forEach((c, i) => walk(c, next, i === n.children.length - 1, false));
  };
  for (const r of roots) walk(r, '', true, true);
  return lines.join('\n');
}

const ROW = 20;
const INDENT = 26;

/** The process tree of a syscall table as a Vega-Lite spec (indented tree, elbow edges). */
export function processTree(table: Table, opts: ProcessTreeOptions = {}): VegaLiteSpec {
  const title = opts.title ?? 'Process tree';
  const roots = foldTree(buildProcessTree(table, opts), opts.maxChildren ?? 20);
  if (roots.length === 0) return emptyChart(title, 'no processes', opts);
  const nodes: Record<string, unknown>[] = [];
  const edges: Record<string, unknown>[] = [];
  let row = 0;
  let maxX = 0;
  let total = 0;
  let nmarked = 0;
  const walk = (n: ProcessTreeNode, depth: number, parentY: number | null) => {
    const x = depth * INDENT;
    const y = row++ * ROW + ROW / 2;
    maxX = Math.max(maxX, x);
    const p = n.proc;
    if (p.pid >= 0) total++;
    if (p.marked) nmarked++;
    if (parentY !== null) {
      edges.push({ x: x - INDENT, x2: x - INDENT, y: parentY, y2: y });
      edges.push({ x: x - INDENT, x2: x, y, y2: y });
    }
    nodes.push({
      x,
      y,
      label: nodeLabel(p),
      pid: p.pid >= 0 ? p.pid : null,
      ppid: p.ppid,
      name: p.name,
      cmdline: p.cmdline ?? '',
      exe: p.exe ?? '',
      user: p.user ?? '',
      container: p.container ?? '',
      group: p.pid < 0 ? '(folded)' : p.inferred ? '(parent, no events)' : (p.group ?? '(none)'),
      start: p.start !== undefined ? new Date(p.start).toISOString() : '',
      exit: p.exit !== undefined ? new Date(p.exit).toISOString() : '',
      execs: p.execs?.join(' → ') ?? '',
      marked: p.marked ? 'yes' : 'no',
      kind: p.pid < 0 ? 'folded' : p.inferred || p.start === undefined ? 'inferred' : 'seen',
    });
    for (const c of n.children) walk(c, depth + 1, y);
  };
  for (const r of roots) walk(r, 0, null);
  const height = row * ROW;
  const width = maxX + 640;
  const xs = { type: 'quantitative', scale: null, axis: null } as const;
  const ys = { type: 'quantitative', scale: null, axis: null } as const;
  return {
    $schema: VL_SCHEMA,
    title: titleOf(title, opts.subtitle ?? `${total} processes${opts.mark ? `; red rings: ${nmarked} matching ${opts.mark}` : ''}; grey: no events in the capture (from its process list, or only seen as a parent)`),
    width,
    height,
    config: { ...CONFIG, view: { stroke: null } },
    layer: [
      {
        data: { values: edges },
        mark: { type: 'rule', color: '#999', strokeWidth: 1 },
        encoding: { x: { field: 'x', ...xs }, x2: { field: 'x2' }, y: { field: 'y', ...ys }, y2: { field: 'y2' } },
      },
      {
        data: { values: nodes },
        layer: [
          {
            mark: { type: 'circle', size: 110, opacity: 1, tooltip: true },
            encoding: {
              x: { field: 'x', ...xs },
              y: { field: 'y', ...ys },
              color: { field: 'group', type: 'nominal', title: opts.colorBy ?? 'user.name', scale: { scheme: 'tableau10' } },
              tooltip: [
                { field: 'name', title: 'Process' },
                { field: 'pid', title: 'PID' },
                { field: 'ppid', title: 'PPID' },
                { field: 'cmdline', title: 'Command line' },
                { field: 'exe', title: 'exe' },
                { field: 'user', title: 'User' },
                { field: 'container', title: 'Container' },
                { field: 'start', title: 'First seen' },
                { field: 'exit', title: 'Exit' },
                { field: 'execs', title: 'Exec chain' },
              ],
            },
          },
          {
            transform: [{ filter: "datum.marked === 'yes'" }],
            mark: { type: 'point', size: 320, color: '#d62728', strokeWidth: 3, filled: false },
            encoding: { x: { field: 'x', ...xs }, y: { field: 'y', ...ys } },
          },
          {
            mark: { type: 'text', align: 'left', baseline: 'middle', dx: 15, fontSize: 12 },
            encoding: {
              x: { field: 'x', ...xs },
              y: { field: 'y', ...ys },
              text: { field: 'label' },
              color: { condition: { test: "datum.kind !== 'seen'", value: '#888' }, value: '#222' },
            },
          },
        ],
      },
    ],
  };
}
