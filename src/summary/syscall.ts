/**
 * A first look at a sysdig capture: processes (with their events and
 * command lines), executed commands, outbound connections, files opened,
 * and the most frequent syscalls.
 */
import { countBy } from '../frames/count-by.js';
import { rowIndices } from '../frames/rows.js';
import { fieldAccessor, type Table } from '../frames/table.js';
import { toEpochMs } from '../frames/time.js';
import { textValue } from '../frames/format-value.js';
import { timeText, type Report, type Section } from './report.js';

const OPENS = new Set(['open', 'openat', 'openat2', 'creat']);

export function summarizeSyscalls(table: Table, opts: { top?: number } = {}): Report {
  const top = opts.top ?? 10;
  const get = (f: string) => fieldAccessor(table, f) ?? (() => null);
  const [time, type, dir, proc, pid, cmdline, fdname, res, user, pname, container] = [
    'time', 'evt.type', 'evt.dir', 'proc.name', 'proc.pid', 'proc.cmdline', 'fd.name', 'evt.res', 'user.name', 'proc.pname', 'container.id',
  ].map(get);
  const rows = rowIndices(table);
  const procs = new Map<string, { name: string; pid: string; events: number; cmd: string; user: string; container: string }>();
  const execs: unknown[][] = [];
  const connects = new Map<string, { proc: string; n: number; failed: number }>();
  const files = new Map<string, { procs: Set<string>; n: number }>();
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const t = toEpochMs(time!(row) as any);
    if (t < first) first = t;
    if (t > last) last = t;
    const name = textValue(proc!(row)) || '?';
    const p = textValue(pid!(row));
    const key = `${name}\u0000${p}`;
    let e = procs.get(key);
    if (!e) procs.set(key, (e = { name, pid: p, events: 0, cmd: '', user: '', container: '' }));
    e.events++;
    const cmd = textValue(cmdline!(row));
    if (cmd) e.cmd = cmd;
    if (!e.user) e.user = textValue(user!(row));
    if (!e.container) e.container = textValue(container!(row));
    const ty = textValue(type!(row));
    const exit = textValue(dir!(row)) !== '>';
    if (!exit) continue;
    const r = textValue(res!(row));
    // a non-blocking connect in progress is not a failure
    const failed = r !== '' && r !== 'SUCCESS' && r !== 'EINPROGRESS' && !/^\d+$/.test(r);
    if (ty === 'execve' || ty === 'execveat') {
      if (!failed) execs.push([timeText(t), p, textValue(user!(row)), textValue(pname!(row)), cmd || name]);
    } else if (ty === 'connect') {
      const dest = textValue(fdname!(row)) || '?';
      const k = `${name}\u0000${dest}`;
      const c = connects.get(k);
      if (c) {
        c.n++;
        if (failed) c.failed++;
      } else connects.set(k, { proc: name, n: 1, failed: failed ? 1 : 0 });
    } else if (OPENS.has(ty) && !failed) {
      const f = textValue(fdname!(row));
      if (f) {
        let x = files.get(f);
        if (!x) files.set(f, (x = { procs: new Set(), n: 0 }));
        x.n++;
        x.procs.add(name);
      }
    }
  }
  const sec = (title: string, columns: string[], rows: unknown[][]): Section => ({ title, columns, rows });
  const syscalls = countBy(table, 'evt.type', { top }).objects().map((o: any) => [o['evt.type'], o.count]);
  return {
    title: 'Syscall capture summary',
    facts: [
      ['events', String(rows.length)],
      ['time span', Number.isFinite(first) ? `${timeText(first)} .. ${timeText(last)}` : '-'],
      ['processes', String(procs.size)],
    ],
    sections: [
      sec('Processes', ['process', 'pid', 'user', 'container', 'events', 'command line'], [...procs.values()].sort((a, b) => b.events - a.events).slice(0, top * 2).map((p) => [p.name, p.pid, p.user, p.container, p.events, p.cmd])),
      sec('Commands executed', ['time', 'pid', 'user', 'parent', 'command line'], execs.slice(0, top * 3)),
      sec('Outbound connections', ['process', 'connection', 'count', 'failed'], [...connects].sort((a, b) => b[1].n - a[1].n).slice(0, top * 2).map(([k, c]) => [c.proc, k.split('\u0000')[1], c.n, c.failed])),
      sec('Files opened', ['file', 'opens', 'processes'], [...files].sort((a, b) => b[1].n - a[1].n).slice(0, top * 2).map(([f, x]) => [f, x.n, [...x.procs].slice(0, 4).join(', ')])),
      sec('Top syscalls', ['syscall', 'count'], syscalls),
    ],
  };
}
