/**
 * A live capture from one or many hosts into one time-ordered table.
 *
 *   const cap = capture(['ssh://web1', 'ssh://db1'], { filter: 'evt.type=connect', duration: '30s', write: 'caps/' });
 *   cap.table()      // a snapshot, growing while the capture runs, rows ordered by time
 *   cap.hosts        // per-host state, bytes, events, file, exit status, error
 *   cap.on('progress', p => ...), cap.on('rows', n => ...), cap.on('host', s => ...)
 *   await cap.stop() // or: await cap.done (duration, count, AbortSignal)
 *
 * Each host has its own connection, state engine and raw file; one host
 * failing never stops the others.
 */
import { EventEmitter } from 'node:events';
import type { Table } from '../../frames/table.js';
import { parseDuration } from '../../frames/time.js';
import { compile, type CompiledFilter } from '../../filter/index.js';
import type { LoadWarning, Progress } from '../types.js';
import type { ConnectOptions } from './connect.js';
import { SshSourceError } from './errors.js';
import { captureHost, type HostCapture, type HostStatus } from './host-capture.js';
import { writeTarget } from './raw-file.js';
import { sysdigCommand, type SysdigInvocation } from './remote-command.js';
import { defaultRowModel, type RowModel } from './rows.js';
import { serverFilter } from './server-filter.js';
import { statusText } from './status-text.js';
import { parseSshSpec, type SshTarget } from './target.js';

export interface CaptureOptions extends ConnectOptions, SysdigInvocation {
  /** replaces the sysdig invocation: any command writing a scap stream (plain or gzip) to stdout */
  remoteCommand?: string;
  /** stop after this long: milliseconds or `30s`, `5m`, `1h` */
  duration?: number | string;
  /** -w: a directory (one file per host) or a file (one host) for the raw streams */
  write?: string;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  onWarning?: (w: LoadWarning) => void;
  /** how blocks become rows and rows a table (default: the scap state engine) */
  rowModel?: RowModel<unknown>;
  /** keep sysdig's internal events (procinfo, ...), like sysdig -D / read --internal */
  showInternal?: boolean;
}

export interface CaptureResult {
  table: Table;
  hosts: HostStatus[];
  warnings: LoadWarning[];
  /** hosts that failed, with the reason */
  failed: { key: string; reason: string }[];
  seconds: number;
}

export interface LiveCapture {
  /** the hosts, as named by the user, with their live status */
  readonly hosts: readonly HostStatus[];
  /** the rows read so far from every host, ordered by time */
  table(): Table;
  /** one aligned line per host (state, events, bytes, file or error): for a live notebook cell */
  statusText(): string;
  /** in a notebook: one display updated in place with the hosts and the latest rows; returns a function to stop redrawing */
  show(opts?: { every?: number; tail?: number }): Promise<() => void>;
  /** total rows so far */
  readonly events: number;
  /** ends every host cleanly (remote process terminated, files closed) */
  stop(): Promise<CaptureResult>;
  /** settles when every host has ended (duration, count, stop, abort, or their commands ended) */
  readonly done: Promise<CaptureResult>;
  on(event: 'progress', fn: (p: Progress) => void): this;
  on(event: 'rows', fn: (total: number) => void): this;
  on(event: 'host', fn: (s: HostStatus) => void): this;
  on(event: 'warning', fn: (w: LoadWarning) => void): this;
  off(event: string, fn: (...args: any[]) => void): this;
}

/** The remote command line for these options. */
export function remoteCommandFor(opts: CaptureOptions): string {
  if (opts.remoteCommand !== undefined) {
    if (!opts.remoteCommand.trim()) throw new Error('--remote-command is empty');
    return opts.remoteCommand;
  }
  return sysdigCommand({ ...opts, ...(opts.filter !== undefined ? { filter: serverFilter(opts.filter) } : {}) });
}

/** With --remote-command nothing filtered remotely: the filter applies here, to each row as it is decoded. */
function localFilter(opts: CaptureOptions, warn: (w: LoadWarning) => void): CompiledFilter | undefined {
  if (opts.remoteCommand === undefined || !opts.filter?.trim()) return undefined;
  try {
    return compile(opts.filter);
  } catch (err) {
    warn({ where: 'filter', message: `not applied (${(err as Error).message}); --remote-command output is not filtered remotely` });
    return undefined;
  }
}

function durationMs(d: number | string | undefined): number | undefined {
  if (d === undefined) return undefined;
  if (typeof d === 'number') return d;
  const ms = parseDuration(d.trim());
  if (ms === null || ms <= 0) throw new Error(`bad duration "${d}": use e.g. 30s, 5m, 1h`);
  return ms;
}

/**
 * The stratolab Jupyter kernel's signal for the running cell (aborted by an
 * interrupt): a capture started in a notebook cell stops when that cell is
 * interrupted, unless the caller passed its own signal.
 */
function kernelSignal(): AbortSignal | undefined {
  const s = (globalThis as { __stratolab_signal__?: unknown }).__stratolab_signal__;
  return s instanceof AbortSignal && !s.aborted ? s : undefined;
}

/** Serializes calls of an async function (prompts must not interleave on one terminal). */
function oneAtATime<A extends unknown[], R>(fn: (...a: A) => Promise<R>): (...a: A) => Promise<R> {
  let last: Promise<unknown> = Promise.resolve();
  return (...a) => {
    const next = last.then(() => fn(...a), () => fn(...a));
    last = next.catch(() => undefined);
    return next;
  };
}

/** The connection options among the capture options. */
function connectOptions(o: CaptureOptions): ConnectOptions {
  const { remoteCommand, duration, write, signal, onProgress, onWarning, rowModel, showInternal, filter, count, snaplen, modernBpf, privilege, sysdigPath, ...rest } = o;
  return rest;
}

/** Starts capturing from every `ssh://` spec at once. */
export function capture(specs: string | readonly string[], opts: CaptureOptions = {}): LiveCapture {
  const list = typeof specs === 'string' ? [specs] : [...specs];
  if (!list.length) throw new Error('capture needs at least one ssh://host');
  const targets: SshTarget[] = list.map(parseSshSpec);
  const labels = new Set<string>();
  for (const t of targets) {
    if (labels.has(t.label)) throw new Error(`host ${t.label} is named twice`);
    labels.add(t.label);
  }
  const command = remoteCommandFor(opts);
  const ms = durationMs(opts.duration);
  const write = opts.write ? writeTarget(opts.write, targets.length) : undefined;
  const model = (opts.rowModel ?? defaultRowModel({ showInternal: opts.showInternal === true })) as RowModel<unknown>;
  const started = performance.now();
  const emitter = new EventEmitter();
  const warnings: LoadWarning[] = [];
  const rows = model.collector(targets.map((t) => t.label));
  // every host shares the keys read (one passphrase prompt per key file) and asks one question at a time
  const shared: ConnectOptions = { keyCache: new Map(), ...(opts.askPassphrase ? { askPassphrase: oneAtATime(opts.askPassphrase) } : {}) };
  let total = 0;

  const warn = (w: LoadWarning) => {
    warnings.push(w);
    opts.onWarning?.(w);
    emitter.emit('warning', w);
  };
  const progress = (done = false): Progress => {
    const p: Progress = {
      label: list.join(' '),
      objectsDone: captures.filter((c) => c.status.state === 'done' || c.status.state === 'failed').length,
      objectsTotal: captures.length,
      bytesDone: captures.reduce((n, c) => n + c.status.bytes, 0),
      events: total,
      ...(done ? { done: true } : {}),
    };
    opts.onProgress?.(p);
    emitter.emit('progress', p);
    return p;
  };
  const filterLocally = localFilter(opts, warn);
  const fieldsOf = model.fields?.bind(model);
  let lastProgress = 0;
  const captures: HostCapture[] = [];
  targets.forEach((t, hostIndex) => {
    captures.push(
      captureHost(t, {
        ...connectOptions(opts),
        ...shared,
        command,
        ...(opts.count !== undefined ? { count: opts.count } : {}),
        ...(write ? { write } : {}),
        decoder: model.decoder(t.label),
        ...(filterLocally && fieldsOf ? { accept: (row: unknown) => filterLocally.test(fieldsOf(row, t.label)) } : {}),
        onRow: (row) => {
          rows.add(hostIndex, row);
          total++;
          const now = performance.now();
          if (now - lastProgress > 250) {
            lastProgress = now;
            emitter.emit('rows', total);
            progress();
          }
        },
        onWarning: warn,
        onStatus: (s) => {
          emitter.emit('host', s);
          progress();
        },
      }),
    );
  });

  // a row model without per-row fields gets the filter on the table instead
  const filterTable = filterLocally && !fieldsOf ? filterLocally : undefined;
  let filtered: { n: number; table: Table } | undefined;
  const table = (): Table => {
    if (!filterTable) return rows.snapshot();
    if (filtered?.n !== total) filtered = { n: total, table: filterTable.filter(rows.snapshot()) };
    return filtered.table;
  };

  let timer: NodeJS.Timeout | undefined;
  const stopAll = () => {
    for (const c of captures) void c.stop();
  };
  if (ms !== undefined) timer = setTimeout(stopAll, ms);
  const onAbort = () => stopAll();
  const signal = opts.signal ?? kernelSignal();
  if (signal) {
    if (signal.aborted) stopAll();
    else signal.addEventListener('abort', onAbort, { once: true });
  }

  const done: Promise<CaptureResult> = Promise.all(captures.map((c) => c.done)).then((hosts) => {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    emitter.emit('rows', total);
    progress(true);
    const failed = hosts.filter((h) => h.error).map((h) => ({ key: h.host, reason: h.error!.message }));
    for (const h of hosts) {
      if (h.error && h.events === 0) warn({ where: h.host, message: h.error.reason });
    }
    return { table: table(), hosts: hosts.map((h) => ({ ...h })), warnings, failed, seconds: (performance.now() - started) / 1000 };
  });

  const live = {
    get hosts() {
      return captures.map((c) => c.status);
    },
    get events() {
      return total;
    },
    table,
    statusText: () => statusText(captures.map((c) => c.status)),
    // the display modules load only when a view is asked for
    show: async (o?: { every?: number; tail?: number }) => (await import('./live-view.js')).showCapture(live as LiveCapture, o),
    stop: () => {
      stopAll();
      return done;
    },
    done,
    on(event: string, fn: (...args: any[]) => void) {
      emitter.on(event, fn);
      return live;
    },
    off(event: string, fn: (...args: any[]) => void) {
      emitter.off(event, fn);
      return live;
    },
  };
  return live as LiveCapture;
}

export { SshSourceError };
