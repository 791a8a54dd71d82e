/**
 * Reading gcp:// URLs through the Cloud Logging API: one explicit time
 * range (the client library would otherwise add "the last 24 hours"), the
 * pushed-down part of the filter, pages in time order with progress, the
 * whole filter applied locally to every page, stopping at the limit.
 */
import type { Expr } from '../../filter/ast.js';
import type { LoadOptions, LoadResult, LoadWarning } from '../types.js';
import { apiEntryToJson } from './api-entry.js';
import { describeApiError } from './api-errors.js';
import { compileFilter, inWindow } from './apply.js';
import { gaxOptions, makeLoggingClient, type GcpLiveOptions, type LoggingClient } from './client.js';
import { parseGcpUrl, type GcpTarget } from './gcp-url.js';
import { serverQuery } from './pushdown.js';
import { buildGcpTable, sortByTime, type TimedEntry } from './table.js';
import { entryTime } from './time.js';
import { parseTimeRange } from '../../frames/time.js';
import type { CompiledFilter } from '../../filter-api.js';

const DAY_MS = 86_400_000;
const MAX_PAGE = 1000;

/** The filter's syntax tree: from the compiled filter, else parsed here. */
async function filterAst(opts: LoadOptions, compiled: CompiledFilter | null): Promise<Expr | null> {
  if (!opts.filter) return null;
  const ast = compiled?.ast as Expr | undefined;
  if (ast && typeof ast === 'object' && 'kind' in ast) return ast;
  const { parse } = await import('../../filter/grammar.js');
  return parse(opts.filter);
}

/** The time window sent to the server; without --since, the last 24 hours (with a warning). */
export function liveWindow(opts: LoadOptions, now = new Date()): { since: Date; until: Date; defaulted: boolean } {
  const w = parseTimeRange(opts.since as any, opts.until as any, now);
  const until = w.until ?? now;
  return { since: w.since ?? new Date(until.getTime() - DAY_MS), until, defaulted: !w.since };
}

interface Ctx {
  opts: LoadOptions;
  gcp: GcpLiveOptions;
  compiled: CompiledFilter | null;
  ast: Expr | null;
  since: Date;
  until: Date;
  warn(w: LoadWarning): void;
  progress: { pages: number; events: number; label: string };
}

/** Matching entries of one target, at most `limit`. */
async function readTarget(target: GcpTarget, ctx: Ctx): Promise<TimedEntry[]> {
  const { opts, gcp } = ctx;
  const query = serverQuery({ logName: target.logName, since: ctx.since, until: ctx.until, ast: ctx.ast });
  const client = makeLoggingClient(target, gcp);
  const pageSize = Math.max(1, Math.min(MAX_PAGE, Math.trunc(gcp.pageSize ?? MAX_PAGE)));
  const matched: TimedEntry[] = [];
  const limit = opts.limit;
  let pageToken: string | undefined;
  try {
    do {
      if (opts.signal?.aborted) break;
      const resp = await fetchPage(client, {
        resourceNames: [target.parent],
        filter: query,
        orderBy: 'timestamp asc',
        pageSize,
        pageToken,
        autoPaginate: false,
        gaxOptions: gaxOptions(gcp),
      }, ctx, { parent: target.parent, query, endpoint: client.endpoint });
      const raw = (resp[2]?.entries ?? []) as unknown[];
      const page: TimedEntry[] = [];
      for (const r of raw) {
        const e = apiEntryToJson(r);
        if (!e) continue;
        const row: TimedEntry = { entry: e, t: entryTime(e).t };
        if (inWindow(row, ctx)) page.push(row);
      }
      for (const row of keepMatching(page, ctx.compiled)) matched.push(row);
      ctx.progress.pages++;
      ctx.progress.events += raw.length;
      opts.onProgress?.({ label: ctx.progress.label, objectsDone: ctx.progress.pages, bytesDone: 0, events: ctx.progress.events });
      if (limit !== undefined && matched.length >= limit) break;
      pageToken = resp[1]?.pageToken || undefined;
    } while (pageToken);
  } finally {
    await client.close();
  }
  return limit !== undefined ? matched.slice(0, limit) : matched;
}

const RESOURCE_EXHAUSTED = 8;

/**
 * One page. The client library retries DEADLINE_EXCEEDED / UNAVAILABLE /
 * INTERNAL itself; quota errors (entries.list allows 60 requests a minute
 * per project) are retried here with exponential backoff, as Falco's plugin
 * does for "quota exceeded", before giving up with a clear error.
 */
async function fetchPage(
  client: LoggingClient,
  request: Record<string, unknown>,
  { gcp, opts, warn }: Ctx,
  ctx: { parent: string; query: string; endpoint: string },
): Promise<any[]> {
  const retries = gcp.quotaRetries ?? 5;
  let delay = gcp.quotaBackoffMs ?? 2000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.logging.getEntries(request as any);
    } catch (err: any) {
      if (err?.code !== RESOURCE_EXHAUSTED || attempt >= retries || opts.signal?.aborted) throw describeApiError(err, ctx);
      warn({ where: ctx.parent, message: `Cloud Logging quota exceeded; retrying in ${Math.round(delay / 100) / 10} s` });
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }
}

/** The rows of `page` the whole filter accepts (through a table, as every other source). */
function keepMatching(page: TimedEntry[], compiled: CompiledFilter | null): TimedEntry[] {
  if (!compiled || page.length === 0) return page;
  const table = compiled.filter(buildGcpTable(page, { sorted: true }));
  const times = table.array('time') as (Date | null)[];
  const raws = table.array('raw') as TimedEntry['entry'][];
  return raws.map((entry, i) => ({ entry, t: times[i] ? times[i]!.getTime() : null }));
}

/** Loads gcp:// URLs (see gcp-url.ts) per `opts` (filter pushed down, since/until, limit; `opts.gcp`: client options). */
export async function loadGcpLive(urls: readonly string[], opts: LoadOptions = {}): Promise<LoadResult> {
  const started = performance.now();
  const targets = urls.map(parseGcpUrl);
  const compiled = await compileFilter(opts);
  const ast = await filterAst(opts, compiled);
  const { since, until, defaulted } = liveWindow(opts);
  const warnings: LoadWarning[] = [];
  const warn = (w: LoadWarning) => {
    warnings.push(w);
    opts.onWarning?.(w);
  };
  if (defaulted) warn({ where: urls.join(' '), message: `no --since given: reading the last 24 hours (${since.toISOString()} to ${until.toISOString()})` });
  const ctx: Ctx = {
    opts,
    gcp: (opts.gcp ?? {}) as GcpLiveOptions,
    compiled,
    ast,
    since,
    until,
    warn,
    progress: { pages: 0, events: 0, label: urls.join(' ') },
  };
  let rows: TimedEntry[] = [];
  for (const t of targets) rows.push(...(await readTarget(t, ctx)));
  if (targets.length > 1) rows = sortByTime(rows);
  if (opts.limit !== undefined) rows = rows.slice(0, Math.max(0, opts.limit));
  const table = buildGcpTable(rows, { fields: opts.fields, sorted: true });
  opts.onProgress?.({ label: ctx.progress.label, objectsDone: ctx.progress.pages, bytesDone: 0, events: ctx.progress.events, done: true });
  return {
    table,
    warnings,
    failed: [],
    stats: {
      objectsListed: ctx.progress.pages,
      objectsFetched: ctx.progress.pages,
      bytes: 0,
      eventsRead: ctx.progress.events,
      eventsMatched: table.numRows(),
      pages: ctx.progress.pages,
      seconds: (performance.now() - started) / 1000,
    },
  };
}
