/**
 * The generated event table against the reference JSON and the facts the spec states (§2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EF, EC, EVENT_MAX, EVENT_MAX_0293, EVENT_TABLE, EVENT_TABLE_0293, NAME_VALUE_TABLES, PARAM_TYPE_SIZE, PPM_SC_NAMES,
  PPM_SC_NAMES_0293, PT,
} from '../../../src/sources/scap/event-table.js';
import { errnoName } from '../../../src/sources/scap/errno.js';
import { skip } from '../../helpers.js';

const ref = '/work/shared/reference/event_table.json';
const haveRef = existsSync(ref) ? null : `skipped: ${ref} is absent`;

describe('event table facts from the spec (§2)', () => {
  it('has 454 current and 336 sysdig-0.29.3 events, even = enter', () => {
    expect([EVENT_MAX, EVENT_TABLE.length, EVENT_MAX_0293, EVENT_TABLE_0293.length]).toEqual([454, 454, 336, 336]);
    for (const e of EVENT_TABLE) expect(e.dir).toBe(e.code % 2 === 0 ? '>' : '<');
  });

  it('exactly pluginevent, container JSON_2 and asyncevent carry EF_LARGE_PAYLOAD', () => {
    expect(EVENT_TABLE.filter((e) => e.flags & EF.EF_LARGE_PAYLOAD).map((e) => e.code)).toEqual([322, 324, 402]);
  });

  it('counts: 35 unused, 223 old versions, 224 converter-managed', () => {
    expect(EVENT_TABLE.filter((e) => e.flags & EF.EF_UNUSED)).toHaveLength(35);
    expect(EVENT_TABLE.filter((e) => e.flags & EF.EF_OLD_VERSION)).toHaveLength(223);
    expect(EVENT_TABLE.filter((e) => e.flags & EF.EF_CONVERTER_MANAGED)).toHaveLength(224);
  });

  it('names and layouts the spec quotes', () => {
    expect(EVENT_TABLE[293]!.params).toHaveLength(31);
    expect(EVENT_TABLE_0293[293]!.nparams).toBe(20);
    expect(EVENT_TABLE_0293[196]!.name).toBe('sysdigevent');
    expect(EVENT_TABLE[196]!.name).toBe('scapevent');
    expect(EVENT_TABLE[234]!.category & EC.EC_INTERNAL).toBeTruthy();
    expect(EVENT_TABLE[0]!.params.map((p) => p.type)).toEqual([PT.PT_SYSCALLID, PT.PT_UINT16]);
    expect(EVENT_TABLE_0293[18]!.params[0]!.type).toBe(PT.PT_FLAGS32);
    expect(EVENT_TABLE[18]!.params[0]!.type).toBe(PT.PT_ENUMFLAGS32);
    expect(EVENT_TABLE[18]!.params[0]!.info).toBe('socket_families');
    expect(PPM_SC_NAMES[0]).toBe('unknown');
    expect(PPM_SC_NAMES_0293[0]).toBe('<unknown>');
    expect(PPM_SC_NAMES_0293[298]).toBe('sigreturn');
    expect(PPM_SC_NAMES[298]).toBe('rt_sigreturn');
    expect(NAME_VALUE_TABLES.file_flags!.find(([n]) => n === 'O_DIRECTORY')![1]).toBe(1 << 10);
    expect([PARAM_TYPE_SIZE[PT.PT_FD], PARAM_TYPE_SIZE[PT.PT_PORT], PARAM_TYPE_SIZE[PT.PT_CHARBUF]]).toEqual([8, 2, undefined]);
  });

  it('errno names', () => {
    expect([errnoName(2), errnoName(115), errnoName(512), errnoName(11)]).toEqual(['ENOENT', 'EINPROGRESS', 'ERESTARTSYS', 'EAGAIN']);
  });
});

describe.skipIf(skip(haveRef))('event table vs the reference JSON', () => {
  it('every event and parameter matches event_table.json', () => {
    const j = JSON.parse(readFileSync(ref, 'utf8')) as {
      events: { code: number; name: string; nparams: number; params: { name: string; type: string; fmt: string; info?: string }[] }[];
      param_types: Record<string, number>;
    };
    for (const e of j.events) {
      const mine = EVENT_TABLE[e.code]!;
      expect([mine.name, mine.nparams]).toEqual([e.name, e.nparams]);
      expect(mine.params.map((p) => [p.name, p.type, p.info])).toEqual(e.params.map((p) => [p.name, j.param_types[p.type], p.info]));
    }
  });
});
