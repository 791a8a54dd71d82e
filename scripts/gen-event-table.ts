/**
 * Generates src/sources/scap/event-table.ts from the reference event tables:
 *   /work/shared/reference/event_table.json       (falcosecurity/libs HEAD 48dfd53c)
 *   /work/shared/reference/event_table_0293.json  (libs e5c53d64, compiled into sysdig 0.29.3)
 *
 * Usage: node --import tsx scripts/gen-event-table.ts [referenceDir]
 *
 * The driver tables are dual licensed GPL-2.0-only OR MIT; the generated file is used under MIT
 * and carries the copyright and permission notice.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const refDir = process.argv[2] ?? path.resolve(here, '../../shared/reference');
const outFile = path.resolve(here, '../src/sources/scap/event-table.ts');

interface JsonParam {
  name: string;
  type: string;
  fmt: string;
  info?: string;
  ninfo?: string;
  dirfd_param?: number;
}
interface JsonEvent {
  code: number;
  enum: string;
  name: string;
  dir: '>' | '<';
  category: string[];
  flags: string[];
  nparams: number;
  params: JsonParam[];
}
interface JsonTable {
  event_max: number;
  param_types: Record<string, number>;
  print_formats: Record<string, number>;
  events: JsonEvent[];
  ppm_sc_names: string[];
  name_value_tables: Record<string, [string, number][]>;
  dynamic_param_tables: Record<string, { type: string; fmt: string }[]>;
}

/** enum ppm_event_category (driver/ppm_events_public.h) */
const EC: Record<string, number> = {
  EC_UNKNOWN: 0, EC_OTHER: 1, EC_FILE: 2, EC_NET: 3, EC_IPC: 4, EC_MEMORY: 5, EC_PROCESS: 6,
  EC_SLEEP: 7, EC_SYSTEM: 8, EC_SIGNAL: 9, EC_USER: 10, EC_TIME: 11, EC_PROCESSING: 12,
  EC_IO_READ: 32, EC_IO_WRITE: 33, EC_IO_OTHER: 34, EC_WAIT: 64, EC_SCHEDULER: 128,
  EC_INTERNAL: 256, EC_SYSCALL: 1 << 9, EC_TRACEPOINT: 1 << 10, EC_PLUGIN: 1 << 11,
  EC_METAEVENT: 1 << 12, EC_ITER: 1 << 13,
};
/** enum ppm_event_flags */
const EF: Record<string, number> = {
  EF_NONE: 0, EF_CREATES_FD: 1, EF_DESTROYS_FD: 2, EF_USES_FD: 4, EF_READS_FROM_FD: 8,
  EF_WRITES_TO_FD: 16, EF_MODIFIES_STATE: 32, EF_UNUSED: 64, EF_WAITS: 128,
  EF_SKIPPARSERESET: 256, EF_OLD_VERSION: 512, EF_DROP_SIMPLE_CONS: 1024,
  EF_LARGE_PAYLOAD: 2048, EF_CONVERTER_MANAGED: 4096,
};

function bits(names: string[], table: Record<string, number>, what: string): number {
  let v = 0;
  for (const n of names) {
    const b = table[n];
    if (b === undefined) throw new Error(`unknown ${what} ${n}`);
    v |= b;
  }
  return v;
}

function load(file: string): JsonTable {
  return JSON.parse(readFileSync(path.join(refDir, file), 'utf8')) as JsonTable;
}

function eventLiteral(t: JsonTable, e: JsonEvent): string {
  const params = e.params.map((p) => {
    const type = t.param_types[p.type];
    const fmt = t.print_formats[p.fmt];
    if (type === undefined || fmt === undefined) throw new Error(`event ${e.code}: bad param ${JSON.stringify(p)}`);
    const parts = [JSON.stringify(p.name), String(type), String(fmt)];
    if (p.info !== undefined || p.dirfd_param !== undefined) parts.push(p.info ? JSON.stringify(p.info) : 'undefined');
    if (p.dirfd_param !== undefined) parts.push(String(p.dirfd_param));
    return `[${parts.join(', ')}]`;
  });
  const cat = bits(e.category, EC, 'category');
  const flags = bits(e.flags, EF, 'flag');
  return `  ev(${e.code}, ${JSON.stringify(e.enum)}, ${JSON.stringify(e.name)}, ${cat}, ${flags}, ${e.nparams}, [${params.join(', ')}]),`;
}

function tableLiteral(t: JsonTable, name: string): string {
  const sorted = [...t.events].sort((a, b) => a.code - b.code);
  sorted.forEach((e, i) => {
    if (e.code !== i) throw new Error(`${name}: event codes not dense at ${i}`);
    if ((e.code & 1) === 0 ? e.dir !== '>' : e.dir !== '<') throw new Error(`${name}: direction of ${e.code}`);
  });
  return `export const ${name}: readonly EventInfo[] = [\n${sorted.map((e) => eventLiteral(t, e)).join('\n')}\n];\n`;
}

function nvTables(t: JsonTable, name: string, only?: (k: string) => boolean): string {
  const lines = Object.entries(t.name_value_tables)
    .filter(([k]) => !only || only(k))
    .map(([k, v]) => `  ${k}: ${JSON.stringify(v)},`);
  return `export const ${name}: Readonly<Record<string, readonly (readonly [string, number])[]>> = {\n${lines.join('\n')}\n};\n`;
}

function dynTables(t: JsonTable, name: string): string {
  const lines = Object.entries(t.dynamic_param_tables).map(
    ([k, v]) => `  ${k}: [${v.map((d) => `{ type: ${t.param_types[d.type]}, fmt: ${t.print_formats[d.fmt]} }`).join(', ')}],`,
  );
  return `export const ${name}: Readonly<Record<string, readonly DynamicParamInfo[]>> = {\n${lines.join('\n')}\n};\n`;
}

const head = load('event_table.json');
const old = load('event_table_0293.json');

// Both tables must agree on the numbering of param types and print formats.
for (const [k, v] of Object.entries(old.param_types)) {
  if (k !== "PT_MAX" && head.param_types[k] !== v) throw new Error(`param type ${k} differs between tables`);
}

/** Fixed wire sizes (scap_event_encode_params_v); 0 = variable length. */
const FIXED: Record<string, number> = {
  PT_INT8: 1, PT_UINT8: 1, PT_FLAGS8: 1, PT_ENUMFLAGS8: 1, PT_SIGTYPE: 1, PT_L4PROTO: 1, PT_SOCKFAMILY: 1,
  PT_INT16: 2, PT_UINT16: 2, PT_FLAGS16: 2, PT_ENUMFLAGS16: 2, PT_SYSCALLID: 2, PT_PORT: 2,
  PT_INT32: 4, PT_UINT32: 4, PT_FLAGS32: 4, PT_ENUMFLAGS32: 4, PT_UID: 4, PT_GID: 4, PT_MODE: 4,
  PT_SIGSET: 4, PT_BOOL: 4, PT_IPV4ADDR: 4, PT_FD32: 4, PT_PID32: 4,
  PT_INT64: 8, PT_UINT64: 8, PT_ERRNO: 8, PT_FD: 8, PT_PID: 8, PT_RELTIME: 8, PT_ABSTIME: 8, PT_DOUBLE: 8,
  PT_IPV6ADDR: 16,
};

const ptLines = Object.entries(head.param_types).map(([k, v]) => `  ${k}: ${v},`);
const pfLines = Object.entries(head.print_formats).map(([k, v]) => `  ${k}: ${v},`);
const sizeLines = Object.entries(head.param_types)
  .filter(([k]) => FIXED[k] !== undefined)
  .map(([k]) => `  [PT.${k}]: ${FIXED[k]},`);
const oldOnlyTables = Object.keys(old.name_value_tables).filter(
  (k) => JSON.stringify(old.name_value_tables[k]) !== JSON.stringify(head.name_value_tables[k]),
);

const out = `// GENERATED by scripts/gen-event-table.ts — do not edit by hand.
//
// Source: falcosecurity/libs driver/event_table.c, flags_table.c, dynamic_params_table.c,
// ppm_events_public.h at HEAD 48dfd53c (EVENT_TABLE) and at e5c53d64, the snapshot compiled into
// sysdig 0.29.3 (EVENT_TABLE_0293), via /work/shared/reference/event_table*.json.
//
// Copyright (C) 2023 The Falco Authors.
// Those driver files are dual licensed under either the MIT or GPL 2; this file uses them under MIT:
//
// Permission is hereby granted, free of charge, to any person obtaining a copy of this software
// and associated documentation files (the "Software"), to deal in the Software without
// restriction, including without limitation the rights to use, copy, modify, merge, publish,
// distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
// Software is furnished to do so, subject to the following conditions:
// The above copyright notice and this permission notice shall be included in all copies or
// substantial portions of the Software.
// THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
// BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
// NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
// DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
// OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

/* eslint-disable */

/** enum ppm_param_type */
export const PT = {
${ptLines.join('\n')}
} as const;
export type ParamType = (typeof PT)[keyof typeof PT];

/** enum ppm_print_format */
export const PF = {
${pfLines.join('\n')}
} as const;

/** enum ppm_event_category: low bits are the category, the rest are bit flags. */
export const EC = ${JSON.stringify(EC, null, 2).replace(/"(\w+)":/g, '$1:')} as const;

/** enum ppm_event_flags */
export const EF = ${JSON.stringify(EF, null, 2).replace(/"(\w+)":/g, '$1:')} as const;

/** Fixed wire size of each fixed-width PT_* type; absent = variable length. */
export const PARAM_TYPE_SIZE: Readonly<Record<number, number>> = {
${sizeLines.join('\n')}
};

export interface ParamInfo {
  readonly name: string;
  /** PT_* */
  readonly type: number;
  /** PF_* */
  readonly fmt: number;
  /** name of the flag/enum table (NAME_VALUE_TABLES) or dynamic table (DYNAMIC_PARAM_TABLES) */
  readonly info?: string;
  /** for PT_FSRELPATH: index of the dirfd parameter the path is relative to */
  readonly dirfd?: number;
}

export interface EventInfo {
  readonly code: number;
  /** e.g. PPME_SYSCALL_OPEN_E */
  readonly enumName: string;
  /** e.g. open (all versions of one syscall share it) */
  readonly name: string;
  /** even codes are enter events, odd codes exit events */
  readonly dir: '>' | '<';
  /** EC_* bits */
  readonly category: number;
  /** EF_* bits */
  readonly flags: number;
  /** the table's nparams (may be smaller than params.length in the 0.29.3 table: seccomp) */
  readonly nparams: number;
  readonly params: readonly ParamInfo[];
}

export interface DynamicParamInfo {
  readonly type: number;
  readonly fmt: number;
}

function ev(
  code: number, enumName: string, name: string, category: number, flags: number, nparams: number,
  params: [string, number, number, string?, number?][],
): EventInfo {
  return {
    code, enumName, name, dir: (code & 1) === 0 ? '>' : '<', category, flags, nparams,
    params: params.map(([n, type, fmt, info, dirfd]) => {
      const p: { name: string; type: number; fmt: number; info?: string; dirfd?: number } = { name: n, type, fmt };
      if (info !== undefined) p.info = info;
      if (dirfd !== undefined) p.dirfd = dirfd;
      return p;
    }),
  };
}

/** PPM_EVENT_MAX of current libs */
export const EVENT_MAX = ${head.event_max};
/** PPM_EVENT_MAX of sysdig 0.29.3: events with a code >= this are skipped (and not numbered) by it. */
export const EVENT_MAX_0293 = ${old.event_max};

/** Current libs event table (g_event_info), indexed by event code. */
${tableLiteral(head, 'EVENT_TABLE')}
/** sysdig 0.29.3's event table, indexed by event code (names, param types and counts as it renders them). */
${tableLiteral(old, 'EVENT_TABLE_0293')}
/** ppm_sc_code -> syscall name (current libs), for generic events (PT_SYSCALLID). */
export const PPM_SC_NAMES: readonly string[] = ${JSON.stringify(head.ppm_sc_names)};

/** g_syscall_info_table names of sysdig 0.29.3 (code 0 is "<unknown>", 298 "sigreturn"). */
export const PPM_SC_NAMES_0293: readonly string[] = ${JSON.stringify(old.ppm_sc_names)};

/** Flag and enum tables (flags_table.c), in table order: [name, value]. */
${nvTables(head, 'NAME_VALUE_TABLES')}
/** The tables whose content differs in sysdig 0.29.3 (use NAME_VALUE_TABLES for the others). */
${nvTables(old, 'NAME_VALUE_TABLES_0293_OVERRIDES', (k) => oldOnlyTables.includes(k))}
/** Dynamic parameter tables (PT_DYN): the first byte of the param indexes them. */
${dynTables(head, 'DYNAMIC_PARAM_TABLES')}
`;

writeFileSync(outFile, out);
console.log(`wrote ${outFile}: ${head.events.length} + ${old.events.length} events, ${Object.keys(head.name_value_tables).length} flag tables (${oldOnlyTables.length} differ in 0.29.3)`);
