/**
 * Containers with sysdig 0.29.3's semantics: `container.id` comes from the
 * thread's cgroups (first 12 hex chars of a runc-style 64-hex id, or an lxc
 * name; `host` otherwise); name, image, ... come from container events
 * (CONTAINER_E, CONTAINER_JSON_E, CONTAINER_JSON_2_E) keyed by id, last one wins.
 */

import { History, type EpochClock } from './epoch.js';

export interface ContainerInfo {
  id: string;
  fullId?: string;
  /** sinsp_container_type number */
  type: number;
  name: string;
  image: string;
  imageId?: string;
  imageRepo?: string;
  imageTag?: string;
  imageDigest?: string;
  privileged?: boolean;
  ip?: string;
  labels?: Record<string, string>;
  mounts?: { Source?: string; Destination?: string; Mode?: string; RW?: boolean; Propagation?: string }[];
  isPodSandbox?: boolean;
  json?: string;
}

export const CONTAINER_TYPES = ['docker', 'lxc', 'libvirt-lxc', 'mesos', 'rkt', 'custom', 'cri', 'containerd', 'cri-o', 'bpm', 'static', 'podman'];

const RUNC_LAYOUTS: [string, string][] = [
  ['/', ''],
  ['/docker-', '.scope'],
  ['/crio-', ''],
  ['/cri-containerd-', '.scope'],
  ['/crio-', '.scope'],
  [':cri-containerd:', ''],
  ['/libpod-', '.scope'],
];

function isHex64(s: string, at: number): boolean {
  for (let i = at; i < at + 64; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** The runc-style id at the end of one cgroup path, or null. */
function matchRunc(path: string): string | null {
  for (const [prefix, suffix] of RUNC_LAYOUTS) {
    if (!path.endsWith(suffix)) continue;
    const idEnd = path.length - suffix.length;
    const idStart = idEnd - 64;
    if (idStart < prefix.length) continue;
    if (path.slice(idStart - prefix.length, idStart) !== prefix) continue;
    if (isHex64(path, idStart)) return path.slice(idStart, idStart + 12);
  }
  return null;
}

/** matchRunc results by cgroup entry (the same long docker paths repeat in every thread and section) */
const runcCache = new Map<string, string | null>();

/** container.id for a list of `subsys=/path` cgroups: a 12-char id, an lxc name, or `host`. */
export function containerIdFromCgroups(cgroups: readonly string[]): string {
  for (const cg of cgroups) {
    // a runc id needs 64 hex chars: short paths (host cgroups like cpu=/user.slice) are skipped at once
    if (cg.length < 65) continue;
    let m = runcCache.get(cg);
    if (m === undefined) {
      const eq = cg.indexOf('=');
      m = matchRunc(eq >= 0 ? cg.slice(eq + 1) : cg);
      if (runcCache.size > 50000) runcCache.clear();
      runcCache.set(cg, m);
    }
    if (m) return m;
  }
  for (const cg of cgroups) {
    if (!cg.includes('/lxc')) continue;
    const eq = cg.indexOf('=');
    const lxc = /^\/lxc(?:\.payload)?\/([^/]+)/.exec(eq >= 0 ? cg.slice(eq + 1) : cg);
    if (lxc) return lxc[1]!;
  }
  return 'host';
}

export class ContainerTable {
  readonly byId = new Map<string, ContainerInfo>();
  /** versioned (loaded tables): each container's info over time */
  private clock: EpochClock | null = null;
  private readonly hist = new Map<string, History<ContainerInfo>>();

  /** Record every change from now on, so rows read containers as they were at their epoch. */
  keepHistory(clock: EpochClock): void {
    this.clock = clock;
  }

  private put(info: ContainerInfo): void {
    this.byId.set(info.id, info);
    if (this.clock === null) return;
    let h = this.hist.get(info.id);
    if (h === undefined) this.hist.set(info.id, (h = new History()));
    h.push(this.clock.tick(), info);
  }

  /** A CONTAINER_JSON event's payload; returns the container id or null on bad JSON. */
  addJson(json: string): string | null {
    let obj: any;
    try {
      obj = JSON.parse(json);
    } catch {
      return null;
    }
    const c = obj?.container;
    if (!c || typeof c !== 'object' || typeof c.id !== 'string') return null;
    const info: ContainerInfo = {
      id: c.id,
      fullId: typeof c.full_id === 'string' ? c.full_id : undefined,
      type: typeof c.type === 'number' ? c.type : 0,
      name: typeof c.name === 'string' ? c.name : '',
      image: typeof c.image === 'string' ? c.image : '',
      imageId: c.imageid,
      imageRepo: c.imagerepo,
      imageTag: c.imagetag,
      imageDigest: c.imagedigest,
      privileged: typeof c.privileged === 'boolean' ? c.privileged : undefined,
      ip: c.ip,
      labels: c.labels && typeof c.labels === 'object' ? c.labels : undefined,
      mounts: Array.isArray(c.Mounts) ? c.Mounts : undefined,
      isPodSandbox: c.is_pod_sandbox,
      json,
    };
    this.put(info);
    return info.id;
  }

  /** A legacy CONTAINER_E event (id, type, name, image). */
  addLegacy(id: string, type: number, name: string, image: string): void {
    this.put({ id, type, name, image });
  }

  get(id: string): ContainerInfo | undefined {
    return this.byId.get(id);
  }

  /** the container `id` as it was at `epoch` (undefined, or a table without history: now) */
  getAt(id: string, epoch: number | undefined): ContainerInfo | undefined {
    if (epoch === undefined || this.clock === null || epoch >= this.clock.epoch) return this.byId.get(id);
    return this.hist.get(id)?.at(epoch, undefined);
  }
}
