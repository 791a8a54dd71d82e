/**
 * Test helpers for the scap format layer: the real captures, sysdig (the oracle) and the
 * spec's rules for which events sysdig 0.29.3 numbers and shows with -D (scap-format.md §4.4).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { EC, EVENT_MAX_0293, EVENT_TABLE_0293, PPM_SC_NAMES_0293 } from '../../../src/sources/scap/event-table.js';
import type { ScapBlock, ScapEvent } from '../../../src/sources/scap/types.js';
import { sharedData } from '../../helpers.js';

/** The real captures under ../shared/data/scap. */
export function captures(): string[] {
  try {
    return readdirSync(sharedData('scap')).filter((f) => f.endsWith('.scap')).sort();
  } catch {
    return [];
  }
}

/** A capture's bytes, decompressed if gzip. */
export function plainBytes(file: string): Uint8Array {
  const b = readFileSync(file);
  // a fresh, unshared Uint8Array (Buffer.slice would alias it)
  return new Uint8Array(b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b);
}

/** stdout of `sysdig -r FILE ARGS...` (stderr dropped; a non-zero exit is tolerated). */
export function sysdig(file: string, ...args: string[]): string {
  return execFileSync('sh', ['-c', 'sysdig -r "$@" 2>/dev/null; true', 'sh', file, ...args], {
    maxBuffer: 1 << 30,
  }).toString();
}

/** Does sysdig fail to open this file? (its error text, or null) */
export function sysdigError(file: string): string | null {
  const out = execFileSync('sh', ['-c', 'sysdig -r "$1" >/dev/null 2>/tmp/sysdig-err.$$; r=$?; cat /tmp/sysdig-err.$$; rm -f /tmp/sysdig-err.$$; exit 0', 'sh', file]).toString();
  return /Could not|error|truncated/i.test(out) ? out : null;
}

export const TUPLE_FORMAT = '*%evt.num %evt.rawtime %evt.type %evt.dir %thread.tid';

/** sysdig -D lines "num rawtime type dir tid". */
export function sysdigTuples(file: string): string[] {
  return sysdig(file, '-D', '-p', TUPLE_FORMAT).split('\n').filter(Boolean);
}

/** evt.type as 0.29.3 prints it: the table name, or the syscall name of generic events. */
export function typeName0293(e: ScapEvent): string {
  if (e.type < 2) {
    const p = e.params[0];
    const id = p && p.length >= 2 ? p[0]! | (p[1]! << 8) : 0;
    return PPM_SC_NAMES_0293[id] ?? '<unknown>';
  }
  return EVENT_TABLE_0293[e.type]!.name;
}

const INITIAL_STATE = new Set([228, 272, 324]);

/**
 * The -D lines sysdig 0.29.3 prints for these blocks, by the spec's rules (§4.4): events with a
 * type beyond its table are skipped and not numbered; every other event is numbered; container
 * events at the start of the first section's event stream are consumed at open (numbered, not
 * shown), those at the start of a later section are consumed by restart_capture (neither
 * numbered nor shown: observed with concatenated captures); state-only EVF events are numbered,
 * not shown, except EC_INTERNAL ones (procinfo), which -D still shows (observed).
 */
export function expectedTuples(blocks: Iterable<ScapBlock>): string[] {
  return [...visibleEvents(blocks)].map(
    ([num, e]) => `${num} ${e.ts} ${typeName0293(e)} ${EVENT_TABLE_0293[e.type]!.dir} ${e.tid}`,
  );
}

/** The events sysdig 0.29.3 shows with -D, keyed by the evt.num it gives them (rules above). */
export function visibleEvents(blocks: Iterable<ScapBlock>): Map<number, ScapEvent> {
  const out = new Map<number, ScapEvent>();
  let num = 0;
  let atStart = true;
  let sections = 0;
  for (const b of blocks) {
    if (b.kind !== 'event') {
      if (b.kind === 'section') {
        atStart = true;
        sections++;
      }
      continue;
    }
    const e = b.event;
    if (e.type >= EVENT_MAX_0293) continue;
    if (atStart && INITIAL_STATE.has(e.type)) {
      if (sections <= 1) num++;
      continue;
    }
    num++;
    atStart = false;
    if ((e.flags ?? 0) & 1 && !(EVENT_TABLE_0293[e.type]!.category & EC.EC_INTERNAL)) continue;
    out.set(num, e);
  }
  return out;
}

/** The offsets of every block of a plain capture, by the spec's framing (§1.2). */
export function blockOffsets(b: Uint8Array): { offset: number; type: number; length: number }[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: { offset: number; type: number; length: number }[] = [];
  for (let p = 0; p + 8 <= b.length; ) {
    const length = dv.getUint32(p + 4, true);
    out.push({ offset: p, type: dv.getUint32(p, true), length });
    p += length;
  }
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
