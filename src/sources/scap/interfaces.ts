/**
 * Network interfaces of the capture host (IL block), used as libsinsp's
 * sinsp_network_interfaces::update_fd does: a socket tuple whose source (or
 * destination) is the unspecified address gets the local interface address
 * that would have been used.
 */
import type { InterfaceEntry } from './types.js';
import { parseIpv4, parseIpv6, ipv6ToString, ipv4ToString } from './net.js';
import { History, type EpochClock } from './epoch.js';

interface V4 { addr: number; mask: number; text: string }
interface V6 { addr: Uint8Array; text: string }

function v4num(s: string): number | null {
  try {
    const b = parseIpv4(s);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  } catch {
    return null;
  }
}
function v6bytes(s: string): Uint8Array | null {
  try {
    return parseIpv6(s);
  } catch {
    return null;
  }
}

const LOOPBACK4 = 0x7f000001;

export class InterfaceTable {
  private v4: V4[] = [];
  private v6: V6[] = [];
  /** versioned (loaded tables): the address lists over time */
  private clock: EpochClock | null = null;
  private readonly hist = new History<{ v4: V4[]; v6: V6[] }>();

  /** Record every change from now on, so rows read the interfaces as they were at their epoch. */
  keepHistory(clock: EpochClock): void {
    this.clock = clock;
    this.hist.push(-1, { v4: this.v4, v6: this.v6 });
  }

  set(list: readonly InterfaceEntry[]): void {
    this.v4 = [];
    this.v6 = [];
    if (this.clock !== null) this.hist.push(this.clock.tick(), { v4: this.v4, v6: this.v6 });
    for (const i of list) {
      if (i.family === 'ipv4') {
        const a = v4num(i.addr);
        const m = i.netmask ? v4num(i.netmask) : 0;
        if (a !== null) this.v4.push({ addr: a, mask: m ?? 0, text: i.addr });
      } else {
        const a = v6bytes(i.addr);
        if (a) this.v6.push({ addr: a, text: ipv6ToString(a) });
      }
    }
  }

  /** is_ipv4addr_in_local_machine / is_ipv6addr_in_local_machine (interface addresses only), at `epoch` (undefined: now) */
  isLocal(ip: string, epoch?: number): boolean {
    let { v4, v6 } = this;
    if (epoch !== undefined && this.clock !== null && epoch < this.clock.epoch) ({ v4, v6 } = this.hist.at(epoch, { v4: [], v6: [] }));
    if (ip.includes(':')) {
      // ipv6addr::in_subnet: the first 64 bits
      const b = v6bytes(ip);
      return !!b && v6.some((i) => i.addr.subarray(0, 8).every((x, k) => x === b[k]));
    }
    const n = v4num(ip);
    return n !== null && v4.some((i) => i.addr === n);
  }

  /** infer_ipv4_address: the local address used to reach `dest` (text), or null. */
  inferV4(dest: string): string | null {
    const d = v4num(dest);
    if (d === null) return null;
    for (const i of this.v4) if (i.addr === d) return i.text;
    for (const i of this.v4) if (((i.addr & i.mask) >>> 0) === ((d & i.mask) >>> 0)) return i.text;
    for (const i of this.v4) if (i.addr !== LOOPBACK4) return i.text;
    return null;
  }

  /** infer_ipv6_address */
  inferV6(dest: string): string | null {
    const d = v6bytes(dest);
    if (!d) return null;
    const eq = (a: Uint8Array, n: number) => {
      for (let k = 0; k < n; k++) if (a[k] !== d[k]) return false;
      return true;
    };
    for (const i of this.v6) if (eq(i.addr, 16)) return i.text;
    for (const i of this.v6) if (eq(i.addr, 8)) return i.text;
    for (const i of this.v6) if (!(i.addr.every((x, k) => (k === 15 ? x === 1 : x === 0)))) return i.text;
    return null;
  }
}

export function isUnspecified(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::' || ip === '';
}

void ipv4ToString;
