/**
 * Which capture file a loaded event came from, so writeScap can re-read the
 * events and state a table's rows were filtered out of. The loader registers
 * each file's ScapState; an EventCtx finds it through `ctx.host.containers`,
 * the one object a state keeps for all of its sections.
 */
import { resolve } from 'node:path';
import type { EventCtx, ScapState } from './state.js';

const origins = new WeakMap<object, string>();

/** Record that `state` parsed the capture at `path` (called by the loader). */
export function rememberOrigin(state: ScapState, path: string): void {
  origins.set(state.containers, resolve(path));
}

/** The capture file an event context was loaded from, if the loader recorded it. */
export function originOf(ctx: EventCtx): string | undefined {
  return origins.get(ctx.host.containers);
}
