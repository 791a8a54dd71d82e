/**
 * The table of a loaded capture, built event by event: the `raw` column is
 * the packed rows (packed.ts), the eager columns are typed arrays and
 * dictionary codes computed once per distinct thread, fd and event type
 * rather than once per row.
 */
import { DictBuilder, DictColumn, NsTimeColumn, grown } from '../../frames/columns.js';
import type { Table } from '../../frames/table.js';
import { splitFieldSpec } from '../../fields/spec.js';
import type { FdInfo } from './fds.js';
import { EF, EVENT_TABLE_0293 } from './event-table.js';
import { errnoName } from './errno.js';
import { snapshotAux } from './args.js';
import { fieldValue, resValue } from './fields.js';
import { PackedRows } from './packed.js';
import { eventTypeName } from './print.js';
import type { EventCtx } from './state.js';
import { cmdline } from './threads.js';

type Arquero = typeof import('arquero');

/** The columns every scap table has (others come lazily from `raw`). */
export const SCAP_COLUMNS = [
  'time', 'source', 'evt.num', 'evt.rawtime', 'evt.type', 'evt.dir', 'evt.cpu', 'evt.hostname', 'thread.tid', 'proc.pid',
  'proc.ppid', 'proc.name', 'proc.exe', 'proc.cmdline', 'user.name', 'container.id', 'fd.num', 'fd.type', 'fd.name',
  'evt.res', 'evt.rawres', 'raw',
] as const;

const EF_FD_ANY = EF.EF_CREATES_FD | EF.EF_USES_FD | EF.EF_DESTROYS_FD;

function sameAux(a: readonly (string | undefined)[], b: readonly (string | undefined)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Nullable numbers (NaN = null) as a plain array of numbers and nulls. */
function nullable(a: Float64Array, n: number): (number | null)[] {
  const out = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    out[i] = v === v ? v : null;
  }
  return out;
}

/** Column codes of a per-record value: codes[row] = recCodes[recOf[row]]. */
function remap(recOf: Int32Array, recCodes: Int32Array, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = recCodes[recOf[i]!]!;
  return out;
}

/** Per fd object: its fd.type and fd.name codes. */
interface FdCodes {
  type: number;
  name: number;
}

export class ScapTableBuilder {
  /** the `raw` column, and the per-row data the eager columns share with it */
  readonly rows = new PackedRows();
  // per-row codes of the columns that are not a function of the thread
  private typeCode = new Int32Array(0);
  private fdTypeCode = new Int32Array(0);
  private fdNameCode = new Int32Array(0);
  private resCode = new Int32Array(0);
  /** evt.rawres, NaN for null */
  private rawres = new Float64Array(0);
  private readonly extra = new Map<string, { name: string; arg?: string; values: unknown[] }>();
  private readonly type = new DictBuilder<string>();
  private readonly fdtype = new DictBuilder<string>();
  private readonly fdname = new DictBuilder<string>();
  private readonly res = new DictBuilder<string>();
  /** evt.type code per event type (-1: not yet known; generic syscall events are named per event) */
  private readonly typeCodes = new Int32Array(65536).fill(-1);
  private readonly fdCodes = new Map<FdInfo, FdCodes>();
  private lastFd: FdInfo | null = null;
  private lastFdCodes: FdCodes | null = null;
  private readonly resCodes = new Map<number, number>();
  private success = -1;

  constructor(fields: readonly string[] = []) {
    for (const f of fields) {
      if ((SCAP_COLUMNS as readonly string[]).includes(f)) continue;
      this.extra.set(f, { ...splitFieldSpec(f), values: [] });
    }
  }

  get length(): number {
    return this.rows.length;
  }

  add(ctx: EventCtx): void {
    const i = this.rows.length;
    if (i >= this.typeCode.length) {
      this.typeCode = grown(this.typeCode, i, undefined, 4096);
      this.fdTypeCode = grown(this.fdTypeCode, i, undefined, 4096);
      this.fdNameCode = grown(this.fdNameCode, i, undefined, 4096);
      this.resCode = grown(this.resCode, i, undefined, 4096);
      this.rawres = grown(this.rawres, i, undefined, 4096);
    }
    const ev = ctx.ev;
    const info = ctx.info;
    let tc = this.typeCodes[ev.type]!;
    if (info.code <= 1) tc = this.type.code(eventTypeName(ev, info));
    else if (tc < 0) this.typeCodes[ev.type] = tc = this.type.code(info.name);
    this.typeCode[i] = tc;
    this.addFd(i, ctx);
    const r = resValue(ctx);
    if (r === null) {
      this.resCode[i] = -1;
      this.rawres[i] = NaN;
    } else {
      this.rawres[i] = r;
      if (r >= 0) this.resCode[i] = this.success >= 0 ? this.success : (this.success = this.res.code('SUCCESS'));
      else {
        let c = this.resCodes.get(r);
        if (c === undefined) this.resCodes.set(r, (c = this.res.code(errnoName(-r) ?? String(r))));
        this.resCode[i] = c;
      }
    }
    for (const x of this.extra.values()) x.values.push(fieldValue(ctx, x.name, x.arg));
    // state that lazy fields need but later events change (fd/pid arguments of evt.args)
    snapshotAux(ctx);
    if (ctx.aux) this.shareAux(ctx, ctx.aux);
    this.rows.add(ctx);
  }

  /** fd.type / fd.name: once per fd object (they are immutable), per event where the event matters. */
  private addFd(i: number, ctx: EventCtx): void {
    if ((ctx.info.flags & EF_FD_ANY) === 0 || ctx.fdNum === null) {
      this.fdTypeCode[i] = -1;
      this.fdNameCode[i] = -1;
      return;
    }
    const fd = ctx.fd;
    // a failed connect names its tuple, an event without its fd names its path argument
    if (fd === null || (ctx.info.name === 'connect' && (ctx.ev.type & 1) === 1)) {
      this.fdTypeCode[i] = this.fdtype.code(fieldValue(ctx, 'fd.type') as string | null);
      this.fdNameCode[i] = this.fdname.code(fieldValue(ctx, 'fd.name') as string | null);
      return;
    }
    let codes = fd === this.lastFd ? this.lastFdCodes : this.fdCodes.get(fd);
    if (!codes) {
      codes = { type: this.fdtype.code(fieldValue(ctx, 'fd.type') as string | null), name: this.fdname.code(fieldValue(ctx, 'fd.name') as string | null) };
      this.fdCodes.set(fd, codes);
    }
    this.lastFd = fd;
    this.lastFdCodes = codes;
    this.fdTypeCode[i] = codes.type;
    this.fdNameCode[i] = codes.name;
  }

  private readonly strings = new Map<string, string>();
  private readonly auxes = new Map<string, (string | undefined)[]>();
  private readonly singleAux = new Map<string, (string | undefined)[][]>();
  private intern(s: string): string {
    const hit = this.strings.get(s);
    if (hit !== undefined) return hit;
    if (this.strings.size < 1_000_000) this.strings.set(s, s);
    return s;
  }

  /** Rows with the same resolved argument texts (same fd, same pid) share one array. */
  private shareAux(ctx: EventCtx, aux: (string | undefined)[]): void {
    // the common case, one resolved text: found by that string (its hash is cached once interned)
    let only = -1;
    for (let i = 0; i < aux.length; i++) {
      if (aux[i] === undefined) continue;
      if (only >= 0) {
        only = -2;
        break;
      }
      only = i;
    }
    if (only >= 0) {
      const s = this.intern(aux[only]!);
      const list = this.singleAux.get(s);
      if (list !== undefined) {
        for (const a of list) {
          if (a.length === aux.length && a[only] === s) {
            ctx.aux = a;
            return;
          }
        }
      }
      aux[only] = s;
      if (list !== undefined) {
        if (list.length < 8) list.push(aux);
      } else if (this.singleAux.size < 1_000_000) this.singleAux.set(s, [aux]);
      return;
    }
    let key = '';
    for (let i = 0; i < aux.length; i++) {
      const a = aux[i];
      if (a !== undefined) {
        const s = this.intern(a);
        aux[i] = s;
        key += i + '\u0000' + s + '\u0000';
      }
    }
    key += aux.length;
    const hit = this.auxes.get(key);
    if (hit !== undefined && sameAux(hit, aux)) ctx.aux = hit;
    else if (hit === undefined && this.auxes.size < 1_000_000) this.auxes.set(key, aux);
  }

  finish(aq: Arquero): Table {
    const n = this.rows.length;
    const rows = this.rows;
    // the columns that are a function of the row's thread record, decided once per record
    const recs = rows.threadRecords;
    const name = new DictBuilder<string>();
    const exe = new DictBuilder<string>();
    const cmd = new DictBuilder<string>();
    const user = new DictBuilder<string>();
    const cid = new DictBuilder<string>();
    const host = new DictBuilder<string>();
    const codes = { name: new Int32Array(recs.length), exe: new Int32Array(recs.length), cmd: new Int32Array(recs.length),
      user: new Int32Array(recs.length), cid: new Int32Array(recs.length), host: new Int32Array(recs.length) };
    const pidOf = new Array<number | null>(recs.length);
    recs.forEach((r, k) => {
      const t = r.thread;
      codes.host[k] = host.code(r.host.hostname || null);
      codes.name[k] = name.code(t ? t.comm : null);
      codes.exe[k] = exe.code(t ? t.exe : null);
      codes.cmd[k] = cmd.code(t ? cmdline(t) : null);
      codes.user[k] = user.code(t ? r.host.users.user(t.uid)?.name ?? null : null);
      codes.cid[k] = cid.code(t ? t.containerId : null);
      pidOf[k] = t ? t.pid : null;
    });
    const recOf = rows.threadRec.subarray(0, n);
    const dict = (b: DictBuilder<string>, c: Int32Array) => new DictColumn<string>(c, b.values(), n);
    const pid = new Array<number | null>(n);
    for (let i = 0; i < n; i++) pid[i] = pidOf[recOf[i]!]!;
    // evt.dir is a function of the event type
    const dir = new DictBuilder<string>();
    const dirCodes = new Int32Array(n);
    const dirOf = new Int32Array(65536).fill(-2);
    const types = rows.type;
    for (let i = 0; i < n; i++) {
      const ty = types[i]!;
      let d = dirOf[ty]!;
      if (d === -2) d = dirOf[ty] = dir.code(EVENT_TABLE_0293[ty]?.dir ?? null);
      dirCodes[i] = d;
    }
    const rawtime = rows.ts.subarray(0, n);
    const cols: Record<string, unknown> = {
      time: new NsTimeColumn(rawtime),
      // every row is a syscall event: one code
      source: new DictColumn<string>(new Int32Array(n), n ? ['syscall'] : [], n),
      'evt.num': rows.num.subarray(0, n),
      'evt.rawtime': rawtime,
      'evt.type': dict(this.type, this.typeCode.subarray(0, n)),
      'evt.dir': dict(dir, dirCodes),
      'evt.cpu': rows.cpu.subarray(0, n),
      'evt.hostname': dict(host, remap(recOf, codes.host, n)),
      'thread.tid': rows.tid.subarray(0, n),
      'proc.pid': pid,
      'proc.ppid': nullable(rows.ppid, n),
      'proc.name': dict(name, remap(recOf, codes.name, n)),
      'proc.exe': dict(exe, remap(recOf, codes.exe, n)),
      'proc.cmdline': dict(cmd, remap(recOf, codes.cmd, n)),
      'user.name': dict(user, remap(recOf, codes.user, n)),
      'container.id': dict(cid, remap(recOf, codes.cid, n)),
      'fd.num': nullable(rows.fdNum, n),
      'fd.type': dict(this.fdtype, this.fdTypeCode.subarray(0, n)),
      'fd.name': dict(this.fdname, this.fdNameCode.subarray(0, n)),
      'evt.res': dict(this.res, this.resCode.subarray(0, n)),
      'evt.rawres': nullable(this.rawres, n),
    };
    for (const [f, x] of this.extra) cols[f] = x.values;
    cols.raw = rows;
    return aq.table(cols as Record<string, any>);
  }
}
