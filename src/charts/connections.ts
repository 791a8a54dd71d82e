/**
 * Connect timeline: connect/accept/sendto/sendmsg over time, one lane per
 * remote endpoint (ip:port), colored by process, failed attempts drawn as
 * hollow crosses so they stand out from the filled successful ones.
 */
import type { Table } from '../frames/table.js';
import type { Value } from '../fields/types.js';
import { CONFIG, type ChartOptions, emptyChart, titleOf, truncate, VL_SCHEMA, type VegaLiteSpec, WIDTH } from './spec.js';
import { getter, rowIndices, timeGetter } from './rows.js';

export interface ConnectOptions extends ChartOptions {
  /** event types to show; default connect, accept, accept4, sendto, sendmsg */
  types?: readonly string[];
  /** field coloring the points; default proc.name */
  colorBy?: string;
  /** most lanes before the rest fold into "other endpoints" */
  maxLanes?: number;
}

const DEFAULT_TYPES = ['connect', 'accept', 'accept4', 'sendto', 'sendmsg'];

/** `ip:port`, with IPv6 addresses bracketed. */
export function endpoint(ip: Value, port: Value): string | null {
  if (ip === null || ip === undefined || ip === '') return null;
  const host = String(ip).includes(':') ? `[${String(ip)}]` : String(ip);
  return port === null || port === undefined || port === '' ? host : `${host}:${String(port)}`;
}

/** The remote end of a socket tuple text like `10.0.0.1:3456->1.2.3.4:80`. */
function remoteFromName(name: Value): string | null {
  if (typeof name !== 'string') return null;
  const i = name.indexOf('->');
  return i >= 0 ? name.slice(i + 2) : null;
}

function isFailed(failed: Value, rawres: Value, res: Value): boolean {
  // a non-blocking connect returns EINPROGRESS: pending, not failed
  if ((typeof rawres === 'number' || typeof rawres === 'bigint') && Number(rawres) === -115) return false;
  if (typeof failed === 'boolean') return failed;
  if (typeof rawres === 'number' || typeof rawres === 'bigint') return Number(rawres) < 0;
  if (typeof res === 'string') return res !== 'SUCCESS' && !/^\d+$/.test(res);
  return false;
}

/** The connect timeline of a syscall table (a filtered subset works too). */
export function connectTimeline(table: Table, opts: ConnectOptions = {}): VegaLiteSpec {
  const title = opts.title ?? 'Network connections over time';
  const types = new Set(opts.types ?? DEFAULT_TYPES);
  const type = getter(table, 'evt.type');
  const dir = getter(table, 'evt.dir');
  const time = timeGetter(table);
  const rip = getter(table, 'fd.rip');
  const rport = getter(table, 'fd.rport');
  const sip = getter(table, 'fd.sip');
  const sport = getter(table, 'fd.sport');
  const cip = getter(table, 'fd.cip');
  const lport = getter(table, 'fd.lport');
  const fdname = getter(table, 'fd.name');
  const proc = getter(table, 'proc.name');
  const pid = getter(table, 'proc.pid');
  const cmd = getter(table, 'proc.cmdline');
  const res = getter(table, 'evt.res');
  const rawres = getter(table, 'evt.rawres');
  const failed = getter(table, 'evt.failed');
  const addr = getter(table, 'evt.arg[addr]');
  const colorBy = getter(table, opts.colorBy ?? 'proc.name');
  const fdnum = getter(table, 'fd.num');
  /** which side opened each socket (pid:fd): connect = outbound, accept = inbound */
  const role = new Map<string, 'out' | 'in'>();
  const points: Record<string, unknown>[] = [];
  for (const r of rowIndices(table)) {
    const t = type(r);
    if (typeof t !== 'string' || !types.has(t)) continue;
    const d = dir(r);
    if (d !== null && d !== '<') continue; // exit events carry the result and the tuple
    // outbound: the destination ip:port; inbound (accept): the client address and the local service port,
    // so that one client's many ephemeral ports share a lane
    // A TCP/UDP tuple is client -> server. connect: we are the client, the lane is the server
    // ip:port. accept: we are the server, the lane is the client address and our service port.
    // Other calls (sendto, sendmsg): by the local port, as libsinsp decides it.
    const lp = lport(r);
    const sock = `${String(pid(r))}:${String(fdnum(r))}`;
    if (t === 'connect') role.set(sock, 'out');
    else if (t === 'accept' || t === 'accept4') role.set(sock, 'in');
    const known = role.get(sock);
    const inbound = known ? known === 'in' : lp !== null && lp === sport(r);
    const lane = inbound
      ? `${endpoint(cip(r) ?? rip(r), null) ?? '?'} → :${String(sport(r) ?? lp ?? '?')} (in)`
      : (endpoint(sip(r), sport(r)) ?? endpoint(rip(r), rport(r)) ?? remoteFromName(fdname(r)) ?? (addr(r) ? String(addr(r)) : null) ?? '(unknown endpoint)');
    const ms = time(r);
    if (!Number.isFinite(ms)) continue;
    const bad = isFailed(failed(r), rawres(r), res(r));
    points.push({
      time: new Date(ms).toISOString(),
      endpoint: truncate(lane, 60),
      type: t,
      process: String(proc(r) ?? '?'),
      pid: pid(r) === null ? null : String(pid(r)),
      cmdline: truncate(String(cmd(r) ?? ''), 120),
      fd: truncate(String(fdname(r) ?? ''), 120),
      result: res(r) === null ? '' : String(res(r)),
      outcome: bad ? 'failed' : 'ok',
      color: String(colorBy(r) ?? '?'),
    });
  }
  if (points.length === 0) return emptyChart(title, 'no connect/accept/sendto events', opts);
  const maxLanes = opts.maxLanes ?? 40;
  const counts = new Map<string, number>();
  for (const p of points) counts.set(p.endpoint as string, (counts.get(p.endpoint as string) ?? 0) + 1);
  if (counts.size > maxLanes) {
    const keep = new Set([...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, maxLanes - 1).map(([k]) => k));
    for (const p of points) if (!keep.has(p.endpoint as string)) p.endpoint = `other endpoints (${counts.size - keep.size})`;
  }
  const lanes = new Set(points.map((p) => p.endpoint)).size;
  return {
    $schema: VL_SCHEMA,
    title: titleOf(title, opts.subtitle ?? `${points.length} events, ${lanes} endpoints (outbound: server ip:port; inbound: client → local port); hollow crosses: failed attempts`),
    width: opts.width ?? WIDTH,
    height: opts.height ?? Math.max(120, lanes * 26),
    config: CONFIG,
    data: { values: points },
    mark: { type: 'point', size: 90, strokeWidth: 2, tooltip: true },
    encoding: {
      x: { field: 'time', type: 'temporal', title: 'Time (UTC)', scale: { padding: 16 }, axis: { format: '%H:%M:%S.%L', labelAngle: -30, tickCount: 8, labelOverlap: true } },
      y: { field: 'endpoint', type: 'nominal', title: 'Remote endpoint', sort: { field: 'time', op: 'min' } },
      color: { field: 'color', type: 'nominal', title: opts.colorBy ?? 'Process', scale: { scheme: 'tableau10' } },
      shape: { field: 'outcome', type: 'nominal', title: 'Result', scale: { domain: ['ok', 'failed'], range: ['circle', 'cross'] } },
      fill: { condition: { test: "datum.outcome === 'ok'", field: 'color', type: 'nominal' }, value: 'transparent' },
      tooltip: [
        { field: 'time', type: 'temporal', title: 'Time', format: '%Y-%m-%d %H:%M:%S.%L' },
        { field: 'type', title: 'Syscall' },
        { field: 'process', title: 'Process' },
        { field: 'pid', title: 'PID' },
        { field: 'cmdline', title: 'Command line' },
        { field: 'fd', title: 'fd.name' },
        { field: 'result', title: 'Result' },
      ],
    },
  };
}
