/**
 * Loading .scap captures (plain or gzip) into one table, or streaming them
 * event by event without building a table (captures larger than memory).
 *
 *   loadScap(paths, opts)            -> LoadResult (table: columns by field name + `raw` event contexts)
 *   streamScap(path, {filter, onRow}) -> rows as `{get(field, arg)}`, filtered one by one
 *   scapLoader                       -> the SourceLoader (files whose first bytes are a scap SHB, plain or gzip)
 *
 * Events are numbered and hidden as sysdig 0.29.3 does (see state.ts);
 * `showInternal` shows internal events like `sysdig -D`.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
// arquero is imported by loadScap only: streaming never builds a table
type Arquero = typeof import('arquero');
import { parseTimeRange } from '../../frames/time.js';
import type { Table } from '../../frames/table.js';
import type { LoadOptions, LoadResult, LoadStats, LoadWarning, SourceLoader } from '../types.js';
import { BlockWalker } from './walker.js';
import { ScapError, type ScapBlock } from './types.js';
import { ScapState, type EventCtx } from './state.js';
import { ScapRow, registerScapFields } from './fields.js';
import { ScapTableBuilder } from './table-build.js';
import { rememberOrigin } from './origin.js';

export { SCAP_COLUMNS } from './table-build.js';

registerScapFields();

export interface ScapLoadOptions extends LoadOptions {
  /** show internal events (procinfo, ...) as `sysdig -D` does */
  showInternal?: boolean;
}

/** What a compiled filter must offer to be used here (src/filter's CompiledFilter does). */
interface RowTest {
  test(row: ScapRow): boolean;
}

async function compileFilter(expr: string | undefined): Promise<RowTest | null> {
  if (!expr || !expr.trim()) return null;
  const mod: { compile(e: string): RowTest } = await import('../../filter/index.js');
  return mod.compile(expr);
}

const SHB = [0x0a, 0x0d, 0x0d, 0x0a];

/** True when the file starts with a scap section header block (directly or inside gzip). */
export async function isScapFile(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'r');
    const head = Buffer.alloc(12);
    const { bytesRead } = await fh.read(head, 0, 12, 0);
    if (bytesRead >= 12 && SHB.every((b, i) => head[i] === b) && head.readUInt32LE(8) === 0x1a2b3c4d) return true;
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      // peek into the gzip stream
      const first = await new Promise<Buffer | null>((resolve) => {
        const s = createReadStream(path, { start: 0, end: 65535 }).pipe(createGunzip());
        let got: Buffer | null = null;
        s.on('data', (d: Buffer) => {
          got = got ? Buffer.concat([got, d]) : d;
          if (got.length >= 12) {
            s.destroy();
            resolve(got);
          }
        });
        s.on('error', () => resolve(got));
        s.on('end', () => resolve(got));
        s.on('close', () => resolve(got));
      });
      return !!first && first.length >= 12 && SHB.every((b, i) => first[i] === b) && first.readUInt32LE(8) === 0x1a2b3c4d;
    }
    return false;
  } catch {
    return false;
  } finally {
    await fh?.close();
  }
}

/**
 * Walks one capture file block by block with bounded memory: the file is
 * read (and gunzipped) in chunks, every complete block goes to `fn`
 * synchronously. `fn` returns false to stop early.
 */
async function walkFile(
  path: string,
  fn: (b: ScapBlock) => boolean | void,
  opts: { onWarning?: (w: ScapError) => void; onBytes?: (n: number) => void; signal?: AbortSignal },
): Promise<void> {
  const head = Buffer.alloc(2);
  const fh = await open(path, 'r');
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  const gz = head[0] === 0x1f && head[1] === 0x8b;
  // fn uses each block before the next (it keeps only events): one event block object for all
  const walker = new BlockWalker({ file: path, onWarning: opts.onWarning, truncated: 'warn', reuseEventBlock: true });
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  if (opts.onBytes) raw.on('data', (d) => opts.onBytes!((d as Buffer).length));
  const stream = gz ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  if (gz) raw.on('error', (e) => stream.destroy(e));
  let stopped = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
      walker.push(chunk);
      for (let b = walker.next(); b !== undefined; b = walker.next()) {
        if (fn(b) === false) {
          stopped = true;
          break;
        }
      }
      if (stopped) break;
    }
  } catch (e: any) {
    if (stopped) return;
    if (gz && e?.code && String(e.code).startsWith('Z_')) {
      // a damaged or truncated gzip stream: keep what was read, as libscap's gzread does
      opts.onWarning?.(new ScapError(`gzip: ${e.message}`, path, walker.streamLength));
    } else throw e;
  } finally {
    if (stopped) {
      raw.destroy();
      if (gz) (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
    }
  }
  if (stopped) return;
  walker.end();
  for (let b = walker.next(); b !== undefined; b = walker.next()) if (fn(b) === false) return;
}

function timeBounds(opts: { since?: Date | string; until?: Date | string }): { lo: bigint | null; hi: bigint | null } {
  if (opts.since === undefined && opts.until === undefined) return { lo: null, hi: null };
  const r = parseTimeRange(opts.since, opts.until);
  return {
    lo: r.since ? BigInt(r.since.getTime()) * 1000000n : null,
    hi: r.until ? BigInt(r.until.getTime()) * 1000000n : null,
  };
}

/**
 * The visible events of one capture (as sysdig 0.29.3 numbers and shows them)
 * inside [lo, hi) that pass the filter, each as a ScapRow on `state`; counts
 * eventsRead. Events that do not pass reuse one context and one row (no garbage
 * per event); `keepsRows`: the consumer keeps every row it gets, so a passing
 * event's context and row are never reused. `onRow` returns false to stop.
 */
async function walkEvents(
  path: string,
  state: ScapState,
  sel: { lo: bigint | null; hi: bigint | null; filter: RowTest | null; keepsRows: boolean },
  stats: LoadStats,
  onRow: (row: ScapRow) => boolean | void,
  walk: { onWarning?: (w: ScapError) => void; onBytes?: (n: number) => void; signal?: AbortSignal },
): Promise<void> {
  const { lo, hi, filter, keepsRows } = sel;
  let spare: EventCtx | undefined;
  let row: ScapRow | undefined;
  await walkFile(
    path,
    (b) => {
      if (b.kind !== 'event') {
        state.block(b);
        return;
      }
      const ctx = state.process(b.event, spare);
      if (!ctx) return;
      spare = ctx;
      if (ctx.hidden) return;
      stats.eventsRead++;
      const ts = ctx.ev.ts;
      if ((lo !== null && ts < lo) || (hi !== null && ts >= hi)) return;
      if (row) row.ctx = ctx;
      else row = new ScapRow(ctx);
      if (filter && !filter.test(row)) return;
      const out = row;
      if (keepsRows) {
        spare = undefined;
        row = undefined;
      }
      return onRow(out);
    },
    walk,
  );
}

export interface StreamScapOptions {
  /** a filter expression (Falco or Wireshark syntax), evaluated per event */
  filter?: string;
  /** called for every matching event; return false to stop */
  onRow: (row: ScapRow) => boolean | void;
  /** show internal events (sysdig -D) */
  showInternal?: boolean;
  since?: Date | string;
  until?: Date | string;
  limit?: number;
  onWarning?: (w: LoadWarning) => void;
  signal?: AbortSignal;
}

/**
 * Streams one capture: every visible event (as sysdig 0.29.3 numbers and
 * shows them) that passes the filter goes to `onRow` as a `{get(field, arg)}`
 * row, computed on the live state — no table, memory bounded by the state.
 */
export async function streamScap(path: string, opts: StreamScapOptions): Promise<{ stats: LoadStats }> {
  const started = performance.now();
  const filter = await compileFilter(opts.filter);
  const { lo, hi } = timeBounds(opts);
  // rows are read before the next event: no need to snapshot parents
  const state = new ScapState({ showInternal: opts.showInternal, snapshot: false });
  const stats: LoadStats = { objectsListed: 1, objectsFetched: 0, bytes: 0, eventsRead: 0, eventsMatched: 0, seconds: 0 };
  const limit = opts.limit ?? Infinity;
  await walkEvents(path, state, { lo, hi, filter, keepsRows: true }, stats, (row) => {
    stats.eventsMatched++;
    if (opts.onRow(row) === false) return false;
    if (stats.eventsMatched >= limit) return false;
  }, {
    signal: opts.signal,
    onBytes: (n) => (stats.bytes += n),
    onWarning: (w) => opts.onWarning?.({ where: path, offset: w.offset, message: w.message }),
  });
  stats.objectsFetched = 1;
  stats.seconds = (performance.now() - started) / 1000;
  return { stats };
}

/**
 * Loads captures into one table (events of each file numbered as sysdig
 * numbers them; `evt.hostname` from each file's machine block).
 */
export async function loadScap(paths: readonly string[], opts: ScapLoadOptions = {}): Promise<LoadResult> {
  const started = performance.now();
  const filter = await compileFilter(opts.filter);
  const { lo, hi } = timeBounds(opts);
  const warnings: LoadWarning[] = [];
  const failed: { key: string; reason: string }[] = [];
  const stats: LoadStats = { objectsListed: paths.length, objectsFetched: 0, bytes: 0, eventsRead: 0, eventsMatched: 0, seconds: 0 };
  const builder = new ScapTableBuilder(opts.fields ?? []);
  const limit = opts.limit ?? Infinity;
  let bytesTotal = 0;
  for (const p of paths) {
    try {
      bytesTotal += (await stat(p)).size;
    } catch {
      /* reported below */
    }
  }
  const warn = (w: LoadWarning) => {
    warnings.push(w);
    opts.onWarning?.(w);
  };
  const progress = (done = false) =>
    opts.onProgress?.({
      label: paths.length === 1 ? paths[0]! : `${paths.length} scap files`, objectsDone: stats.objectsFetched, objectsTotal: paths.length,
      bytesDone: stats.bytes, bytesTotal, events: stats.eventsMatched, done,
    });
  let lastReport = 0;
  for (const path of paths) {
    if (builder.length >= limit) break;
    const state = new ScapState({ showInternal: opts.showInternal === true });
    rememberOrigin(state, path);
    try {
      // the builder copies what a row needs: the walk reuses one context and row for every event
      await walkEvents(path, state, { lo, hi, filter, keepsRows: false }, stats, (row) => {
        builder.add(row.ctx);
        stats.eventsMatched++;
        if ((stats.eventsRead & 0xffff) === 0 && performance.now() - lastReport > 200) {
          lastReport = performance.now();
          progress();
        }
        if (builder.length >= limit) return false;
      }, {
        signal: opts.signal,
        onBytes: (n) => (stats.bytes += n),
        onWarning: (w) => warn({ where: path, offset: w.offset, message: w.message }),
      });
      stats.objectsFetched++;
    } catch (e: any) {
      if (opts.signal?.aborted) throw e;
      const reason = e instanceof ScapError ? e.message : String(e?.message ?? e);
      failed.push({ key: path, reason });
      warn({ where: path, offset: e instanceof ScapError ? e.offset : undefined, message: reason });
    }
  }
  stats.seconds = (performance.now() - started) / 1000;
  progress(true);
  const aq = await import('arquero');
  return { table: builder.finish(aq), warnings, failed, stats };
}

/** The scap SourceLoader: local files whose first bytes are a scap section header (plain or gzip). */
export const scapLoader: SourceLoader = {
  name: 'scap',
  matches: (spec: string) => isScapFile(spec.startsWith('file://') ? new URL(spec).pathname : spec),
  load: (specs, opts) => loadScap(specs.map((s) => (s.startsWith('file://') ? new URL(s).pathname : s)), opts as ScapLoadOptions),
};
