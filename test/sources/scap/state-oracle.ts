/**
 * Differential-test helpers for the scap state engine: sysdig 0.29.3 (the
 * oracle) prints fields with `-p`, we compute the same fields from our state
 * engine, and both become comparable text rows.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { readScapFileSync } from '../../../src/sources/scap/reader.js';
import { ScapState, type EventCtx } from '../../../src/sources/scap/state.js';
import { fieldValue } from '../../../src/sources/scap/fields.js';
import { sharedData } from '../../helpers.js';

/** The real captures under ../shared/data/scap. */
export function scapCaptures(): string[] {
  try {
    return readdirSync(sharedData('scap')).filter((f) => f.endsWith('.scap')).sort();
  } catch {
    return [];
  }
}

const REC = '@@REC@@';
const SEP = '@@F@@';

/** sysdig's name for a field spec: `evt.arg[fd]` -> `evt.arg.fd` (sysdig accepts [N] only for numbers) */
function sysdigName(f: string): string {
  return f.replace(/^(evt\.arg|evt\.rawarg)\[([A-Za-z_]\w*)\]$/, '$1.$2');
}

/** `sysdig [-D] -r FILE -p '*%f1...'`: one array of field texts per printed event (`<NA>` = absent). */
export function sysdigFields(file: string, fields: readonly string[], opts: { debug?: boolean; filter?: string } = {}): string[][] {
  const fmt = '*' + REC + fields.map((f) => '%' + sysdigName(f)).join(SEP);
  const args = [...(opts.debug ? ['-D'] : []), '-r', file, '-p', fmt, ...(opts.filter ? [opts.filter] : [])];
  const out = execFileSync('sysdig', args, { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
  return out.split(REC).slice(1).map((rec) => rec.replace(/\n$/, '').split(SEP));
}

/** Text of a value as sysdig prints it in `-p` output. */
export function asSysdigText(v: unknown): string {
  if (v === null || v === undefined) return '<NA>';
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

/**
 * The visible events of a capture as our state engine computes them, each
 * mapped by `fn` right when it is parsed (the state moves on afterwards, as
 * when streaming).
 */
export function ourEvents<T>(file: string, fn: (c: EventCtx) => T, opts: { showInternal?: boolean } = {}): T[] {
  const st = new ScapState(opts);
  const out: T[] = [];
  for (const b of readScapFileSync(file)) {
    const c = st.block(b);
    if (c && !c.hidden) out.push(fn(c));
  }
  return out;
}

/** Our field texts for one event. */
export function ourFields(ctx: EventCtx, fields: readonly string[]): string[] {
  return fields.map((f) => {
    const m = /^([^[]+)\[(.*)\]$/.exec(f);
    return asSysdigText(m ? fieldValue(ctx, m[1]!, m[2]) : fieldValue(ctx, f));
  });
}

/** Per field, how many rows differ (and the first few examples). */
export function compareRows(
  fields: readonly string[],
  sys: string[][],
  ours: string[][],
): { rows: number; mismatches: Map<string, number>; examples: string[] } {
  const mismatches = new Map<string, number>();
  const examples: string[] = [];
  const n = Math.max(sys.length, ours.length);
  for (let i = 0; i < n; i++) {
    const a = sys[i];
    const b = ours[i];
    if (!a || !b) {
      mismatches.set('<row count>', (mismatches.get('<row count>') ?? 0) + 1);
      continue;
    }
    fields.forEach((f, k) => {
      if (a[k] !== b[k]) {
        mismatches.set(f, (mismatches.get(f) ?? 0) + 1);
        if (examples.length < 8) examples.push(`row ${i} (sysdig evt.num ${a[0]}) ${f}: sysdig=${JSON.stringify(a[k])} ours=${JSON.stringify(b[k])}`);
      }
    });
  }
  return { rows: n, mismatches, examples };
}
