/**
 * Meta events built from values (spec §2.4 layouts) and decoded back: container (old 4-param
 * and JSON), pluginevent and asyncevent (u32 parameter lengths), useradded.
 */
import { describe, expect, it } from 'vitest';
import { BT } from '../../../src/sources/scap/block-types.js';
import { buildEvent } from '../../../src/sources/scap/encode.js';
import { decodeAsyncEvent, decodeContainerEvent, decodePluginEvent, META_EVENT } from '../../../src/sources/scap/events-meta.js';
import { paramsOf } from '../../../src/sources/scap/params.js';
import { readScapSync } from '../../../src/sources/scap/reader.js';
import type { ScapEvent } from '../../../src/sources/scap/types.js';
import { encodeScap } from '../../../src/sources/scap/writer.js';
import { blockOffsets } from './oracle.js';

/** Write events through the writer and read them back with the reader. */
function roundTrip(events: ScapEvent[]): ScapEvent[] {
  const bytes = encodeScap([{ kind: 'section', offset: 0, major: 1, minor: 2 }, ...events.map((event) => ({ kind: 'event' as const, event }))]);
  return [...readScapSync(bytes)].flatMap((b) => (b.kind === 'event' ? [b.event] : []));
}

function ev(type: number, values: Record<string, unknown>): ScapEvent {
  const e = buildEvent(type, values as never, { ts: 5n, tid: -1n });
  return { offset: 0, blockType: 0, ...e };
}

describe('meta events', () => {
  it('old container event (228): id, type, name, image', () => {
    const [e] = roundTrip([ev(META_EVENT.CONTAINER_E, { id: '697956520d89', type: 0, name: 'hopeful_taussig', image: 'nginx' })]);
    expect(decodeContainerEvent(e!)).toEqual({ id: '697956520d89', type: 0, name: 'hopeful_taussig', image: 'nginx' });
    expect(e!.tid).toBe(-1n);
  });

  it('container JSON_2 (324) is written as EV_V2_LARGE and its JSON decoded', () => {
    const json = { container: { id: 'abc123abc123', type: 6, name: 'web', image: 'nginx:1.25', privileged: false } };
    const written = encodeScap([{ kind: 'section', offset: 0, major: 1, minor: 2 }, { kind: 'event', event: ev(META_EVENT.CONTAINER_JSON_2_E, { json: JSON.stringify(json) }) as never }]);
    expect(blockOffsets(written).map((b) => b.type)).toEqual([BT.SHB, BT.EV_V2_LARGE]);
    const [e] = roundTrip([ev(META_EVENT.CONTAINER_JSON_2_E, { json: JSON.stringify(json) })]);
    expect(decodeContainerEvent(e!)).toEqual({ id: 'abc123abc123', type: 6, name: 'web', image: 'nginx:1.25', json });
  });

  it('pluginevent (322): plugin id and opaque payload with u32 lengths', () => {
    const payload = new TextEncoder().encode('{"eventName":"ConsoleLogin"}'.repeat(3000)); // > 64 KiB
    const [e] = roundTrip([ev(META_EVENT.PLUGINEVENT_E, { plugin_id: 2, event_data: payload })]);
    const p = decodePluginEvent(e!);
    expect(p?.pluginId).toBe(2);
    expect(Buffer.from(p!.data)).toEqual(Buffer.from(payload));
  });

  it('asyncevent (402): plugin id, name and data', () => {
    const [e] = roundTrip([ev(META_EVENT.ASYNCEVENT_E, { plugin_id: 999, name: 'container', data: new TextEncoder().encode('{"x":1}') })]);
    const a = decodeAsyncEvent(e!);
    expect([a?.pluginId, a?.name, new TextDecoder().decode(a!.data)]).toEqual([999, 'container', '{"x":1}']);
  });

  it('useradded (354) params by name', () => {
    const [e] = roundTrip([ev(META_EVENT.USER_ADDED_E, { uid: 1000, gid: 1000, name: 'ops', home: '/home/ops', shell: '/bin/bash', container_id: '' })]);
    const byName = Object.fromEntries(paramsOf(e!).map((p) => [p.name, p.value]));
    expect(byName).toMatchObject({ uid: 1000, gid: 1000, name: 'ops', home: '/home/ops', shell: '/bin/bash' });
  });

  it('non-meta events decode to undefined', () => {
    const [e] = roundTrip([ev(234, { cpu_usr: 1n, cpu_sys: 2n })]);
    expect([decodeContainerEvent(e!), decodePluginEvent(e!), decodeAsyncEvent(e!)]).toEqual([undefined, undefined, undefined]);
  });
});
