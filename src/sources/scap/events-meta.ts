/**
 * Meta events carried as ordinary events (scap-format.md §2.4): container events (old 4-param
 * CONTAINER_E and the JSON ones), plugin events and async events.
 */
import { decodeParam, cString } from './params.js';
import { PT } from './event-table.js';
import type { ScapEvent } from './types.js';

export const META_EVENT = {
  CONTAINER_E: 228,
  CONTAINER_JSON_E: 272,
  CONTAINER_JSON_2_E: 324,
  PLUGINEVENT_E: 322,
  ASYNCEVENT_E: 402,
  USER_ADDED_E: 354,
  USER_DELETED_E: 356,
  GROUP_ADDED_E: 358,
  GROUP_DELETED_E: 360,
} as const;

/** What a container event says; `json` holds the parsed payload of the JSON versions. */
export interface ContainerInfo {
  id: string;
  /** sinsp_container_type: DOCKER 0, LXC 1, ..., CRI 6, CONTAINERD 7, CRIO 8, PODMAN 11 */
  type?: number;
  name?: string;
  image?: string;
  json?: Record<string, unknown>;
}

/**
 * Decode a container event (228, 272 or 324). Returns undefined for other event types or when
 * the JSON payload is not a {"container": {...}} object.
 */
export function decodeContainerEvent(e: ScapEvent): ContainerInfo | undefined {
  if (e.type === META_EVENT.CONTAINER_E) {
    const [id, type, name, image] = e.params;
    return {
      id: id ? cString(id) : '',
      type: decodeParam(PT.PT_UINT32, type) as number | undefined,
      name: name ? cString(name) : undefined,
      image: image ? cString(image) : undefined,
    };
  }
  if (e.type !== META_EVENT.CONTAINER_JSON_E && e.type !== META_EVENT.CONTAINER_JSON_2_E) return undefined;
  const raw = e.params[0];
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(cString(raw));
  } catch {
    return undefined;
  }
  const c = (parsed as { container?: Record<string, unknown> } | null)?.container;
  if (!c || typeof c !== 'object') return undefined;
  return {
    id: String(c.id ?? ''),
    type: typeof c.type === 'number' ? c.type : undefined,
    name: typeof c.name === 'string' ? c.name : undefined,
    image: typeof c.image === 'string' ? c.image : undefined,
    json: parsed as Record<string, unknown>,
  };
}

/** pluginevent: the source plugin's id and its opaque payload. */
export function decodePluginEvent(e: ScapEvent): { pluginId: number; data: Uint8Array } | undefined {
  if (e.type !== META_EVENT.PLUGINEVENT_E) return undefined;
  const [id, data] = e.params;
  return { pluginId: (decodeParam(PT.PT_UINT32, id) as number | undefined) ?? 0, data: data ?? new Uint8Array(0) };
}

/** asyncevent: plugin id, event name (e.g. "container") and payload. */
export function decodeAsyncEvent(e: ScapEvent): { pluginId: number; name: string; data: Uint8Array } | undefined {
  if (e.type !== META_EVENT.ASYNCEVENT_E) return undefined;
  const [id, name, data] = e.params;
  return {
    pluginId: (decodeParam(PT.PT_UINT32, id) as number | undefined) ?? 0,
    name: name ? cString(name) : '',
    data: data ?? new Uint8Array(0),
  };
}
