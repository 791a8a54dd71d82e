/**
 * Which objects to fetch for a prefix and a time range. From a prefix at any
 * depth, the accounts and regions not given are discovered with delimiter
 * listings; under each region only the days in range are listed (StartAfter
 * the first day, stop past the last), and files whose name timestamp is
 * outside the range plus a delivery margin are skipped.
 */
import { classifyPrefix, dayPath, isLogKey, nameTimestamp, ACCOUNT_ID, ORG_ID, type TrailPrefix } from './layout.js';
import { listFolders, listObjects, type ListContext, type S3Object } from './list.js';
import { limiter } from './pool.js';
import type { TimeRange } from './interval.js';
import type { LoadWarning } from '../types.js';

/** CloudTrail names a file after its delivery, a few minutes after its events: how far to look around the range. */
export interface Margins {
  /** files named up to this long before the start are read (clock skew, minute truncation); default 15 min */
  beforeMs: number;
  /** files named up to this long after the end are read (delivery delay); default 1 h */
  afterMs: number;
}
export const DEFAULT_MARGINS: Margins = { beforeMs: 15 * 60_000, afterMs: 60 * 60_000 };

export interface PlanOptions {
  range: TimeRange | null;
  accounts?: readonly string[];
  regions?: readonly string[];
  margins?: Margins;
  /** parallel listing requests (default 16) */
  concurrency?: number;
  onWarning?: (w: LoadWarning) => void;
  /** log files listed so far (called every 500, for progress during long listings) */
  onListed?: (n: number) => void;
  /** a region listing that fills this many keys switches to listing its days in parallel (default 1000, one page) */
  denseAfter?: number;
  /** a listing below the URL failed: the rest goes on */
  onListFailure?: (prefix: string, err: unknown) => void;
}

/** A listing root: date-structured under `regionRoot`, or a plain prefix listed whole. */
export interface Target {
  prefix: string;
  regionRoot?: string;
}

export interface Plan {
  objects: S3Object[];
  /** log files listed (before the name-timestamp cut) */
  listed: number;
  /** listed files left out because their name timestamp is outside the range plus margins */
  skippedByName: number;
  targets: Target[];
}

/** How many folder levels below a non-CloudTrail prefix we look for `AWSLogs/`. */
const ABOVE_DEPTH = 3;
/** At most this many folder listings in that search; past it, the prefix is listed whole. */
const ABOVE_BUDGET = 200;

/** The listing roots under `tp`, discovering accounts and regions that were not given. */
export async function discoverTargets(ctx: ListContext, tp: TrailPrefix, o: PlanOptions): Promise<Target[]> {
  const run = limiter(o.concurrency ?? 16);
  // The first listing must work (else the URL is unreadable: thrown); a later one that fails
  // (a denied account or region prefix) is reported in `failed` and the rest is read.
  let first = true;
  const folders = async (p: string): Promise<string[]> => {
    const isFirst = first;
    first = false;
    try {
      return await run(() => listFolders(ctx, p));
    } catch (e) {
      if (isFirst || ctx.signal?.aborted) throw e;
      o.onListFailure?.(p, e);
      return [];
    }
  };
  const name = (folder: string) => folder.slice(0, -1).split('/').pop() ?? '';
  const wantAccount = (a: string) => !o.accounts?.length || o.accounts.includes(a);
  const wantRegion = (r: string) => !o.regions?.length || o.regions.includes(r);
  let aboveListings = 0;

  const walk = async (t: TrailPrefix, depth: number): Promise<Target[]> => {
    if (t.account && !wantAccount(t.account)) return [];
    if (t.region && !wantRegion(t.region)) return [];
    const all = async (prefixes: string[]) => (await Promise.all(prefixes.map((p) => walk(classifyPrefix(p), depth)))).flat();
    switch (t.level) {
      case 'above': {
        // trails may sit at several prefixes (`AWSLogs/`, `org/prod/AWSLogs/`): search every folder, bounded
        if (++aboveListings > ABOVE_BUDGET) return [];
        const subs = await folders(t.prefix);
        const logs = subs.filter((s) => name(s) === 'AWSLogs');
        const deeper = depth < ABOVE_DEPTH ? subs.filter((s) => name(s) !== 'AWSLogs') : [];
        const found = [
          ...(await all(logs)),
          ...(await Promise.all(deeper.map((s) => walk({ level: 'above', prefix: s }, depth + 1)))).flat(),
        ];
        if (depth > 0) return found;
        if (aboveListings > ABOVE_BUDGET) {
          o.onWarning?.({
            where: t.prefix || '(bucket root)',
            message: `stopped looking for AWSLogs/ after ${ABOVE_BUDGET} folder listings; ` + (found.length ? 'reading the trails found so far' : 'listing the prefix whole') + ': give a deeper prefix',
          });
        }
        // no trail layout here: list the prefix whole (the name-time cut still applies)
        return found.length ? found : [{ prefix: t.prefix }];
      }
      case 'awslogs': {
        const subs = (await folders(t.prefix)).filter((s) => ORG_ID.test(name(s)) || ACCOUNT_ID.test(name(s)));
        return all(subs);
      }
      case 'org': {
        if (o.accounts?.length) return all(o.accounts.map((a) => `${t.prefix}${a}/`));
        return all((await folders(t.prefix)).filter((s) => ACCOUNT_ID.test(name(s))));
      }
      case 'account':
        return all([`${t.prefix}CloudTrail/`]);
      case 'cloudtrail': {
        if (o.regions?.length) return all(o.regions.map((r) => `${t.prefix}${r}/`));
        return all(await folders(t.prefix));
      }
      case 'region':
      case 'date':
        return [{ prefix: t.prefix, regionRoot: t.regionRoot }];
      default:
        return [{ prefix: t.prefix }];
    }
  };
  return walk(tp, 0);
}

const DAY_RE = /^\d{4}\/\d{2}\/\d{2}$/;

/** The objects to read under `prefix` for the range. */
export async function planObjects(ctx: ListContext, prefix: string, o: PlanOptions): Promise<Plan> {
  const margins = o.margins ?? DEFAULT_MARGINS;
  const targets = await discoverTargets(ctx, classifyPrefix(prefix), o);
  const lo = o.range?.start ? o.range.start.getTime() - margins.beforeMs : undefined;
  const hi = o.range?.end ? o.range.end.getTime() + margins.afterMs : undefined;
  const run = limiter(o.concurrency ?? 16);
  let listed = 0;
  let skippedByName = 0;
  const seen = new Set<string>();
  const objects: S3Object[] = [];

  const take = (obj: S3Object) => {
    if (!isLogKey(obj.key) || seen.has(obj.key)) return;
    seen.add(obj.key);
    if (++listed % 500 === 0) o.onListed?.(listed);
    const ts = nameTimestamp(obj.key);
    if (ts !== null && ((lo !== undefined && ts < lo) || (hi !== undefined && ts > hi))) {
      skippedByName++;
      return;
    }
    objects.push(obj);
  };
  const listAll = async (p: string, range: { startAfter?: string; stop?: (key: string) => boolean } = {}) => {
    for await (const obj of listObjects(ctx, p, range)) take(obj);
  };
  // day listings spawned by a dense region run beside the region listings, in their own slots
  const dayRun = limiter(o.concurrency ?? 16);
  const dense = o.denseAfter ?? 1000;

  const listTarget = async (t: Target) => {
    const root = t.regionRoot;
    if (root === undefined || lo === undefined) return listAll(t.prefix);
    const dayOf = (key: string) => key.slice(root.length, root.length + 10);
    const lastDay = dayPath(hi ?? Date.now() + margins.afterMs);
    const pastEnd = (key: string) => DAY_RE.test(dayOf(key)) && dayOf(key) > lastDay;
    const first = `${root}${dayPath(lo)}`;
    const startAfter = first > t.prefix ? first : undefined;
    // A sparse region costs one request. A dense one (a full page) finishes its current
    // day in sequence and lists the remaining days of the range in parallel.
    let n = 0;
    let last: string | undefined;
    for await (const obj of listObjects(ctx, t.prefix, { startAfter, stop: pastEnd })) {
      take(obj);
      last = obj.key;
      if (++n >= dense) break;
    }
    if (n < dense || last === undefined) return;
    const day = dayOf(last);
    if (!DAY_RE.test(day)) return listAll(t.prefix, { startAfter: last, stop: pastEnd });
    const later: string[] = [];
    for (let d = Date.parse(`${day.replace(/\//g, '-')}T00:00:00Z`) + 86_400_000; dayPath(d) <= lastDay; d += 86_400_000) {
      const p = `${root}${dayPath(d)}/`;
      if (p.startsWith(t.prefix)) later.push(p);
    }
    await Promise.all([
      listAll(t.prefix, { startAfter: last, stop: (key) => DAY_RE.test(dayOf(key)) && dayOf(key) > day }),
      ...later.map((p) => dayRun(() => listAll(p))),
    ]);
  };

  // one failing region or account prefix is reported and the others are read; all failing is an error
  const errors: { prefix: string; err: unknown }[] = [];
  await Promise.all(
    targets.map((t) =>
      run(async () => {
        try {
          await listTarget(t);
        } catch (err) {
          if (ctx.signal?.aborted) throw err;
          errors.push({ prefix: t.prefix, err });
        }
      }),
    ),
  );
  if (errors.length && errors.length === targets.length) throw errors[0]!.err;
  for (const e of errors) o.onListFailure?.(e.prefix, e.err);
  objects.sort(byDelivery);
  return { objects, listed, skippedByName, targets };
}

/** Delivery order: name timestamp, then key; unnamed files last. */
export function byDelivery(a: S3Object, b: S3Object): number {
  const ta = nameTimestamp(a.key) ?? Infinity;
  const tb = nameTimestamp(b.key) ?? Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
