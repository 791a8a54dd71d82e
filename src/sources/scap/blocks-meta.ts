/**
 * Machine info (MI), interface list (IL, IL_V2) and user list (UL, UL_V2) blocks.
 * Spec: scap-format.md §1.5, §1.6.
 */
import { Cursor, bytesToString } from './cursor.js';
import { ipv4ToString, ipv6ToString } from './net.js';
import type { GroupEntry, InterfaceEntry, UserEntry } from './types.js';

export interface MachineInfo {
  numCpus: number;
  memoryBytes: bigint;
  maxPid: bigint;
  hostname: string;
  bootTimeNs: bigint;
  flags: bigint;
}

/** MI body: a packed 180-byte struct; older/shorter bodies yield zeros for the missing tail. */
export function parseMachineInfo(c: Cursor): MachineInfo {
  const body = new Uint8Array(180);
  body.set(c.bytes.subarray(c.pos, c.pos + Math.min(180, c.remaining)));
  const dv = new DataView(body.buffer);
  let nameEnd = 20;
  while (nameEnd < 148 && body[nameEnd] !== 0) nameEnd++;
  c.pos = c.end;
  return {
    numCpus: dv.getUint32(0, true),
    memoryBytes: dv.getBigUint64(4, true),
    maxPid: dv.getBigUint64(12, true),
    hostname: bytesToString(body, 20, nameEnd),
    bootTimeNs: dv.getBigUint64(148, true),
    flags: dv.getBigUint64(156, true),
  };
}

/** scap_ifinfo types */
export const IFINFO = { IPV4: 1, IPV6: 2, IPV4_NOLINKSPEED: 3, IPV6_NOLINKSPEED: 4 } as const;

function parseInterface(c: Cursor): InterfaceEntry {
  const type = c.u16('interface type');
  const nameLen = c.u16('interface name length');
  let e: InterfaceEntry;
  if (type === IFINFO.IPV4 || type === IFINFO.IPV4_NOLINKSPEED) {
    const b = c.raw(12, 'IPv4 interface addresses');
    e = { name: '', family: 'ipv4', addr: ipv4ToString(b, 0), netmask: ipv4ToString(b, 4), bcast: ipv4ToString(b, 8) };
    if (type === IFINFO.IPV4) e.linkspeed = c.u64('interface link speed');
  } else if (type === IFINFO.IPV6 || type === IFINFO.IPV6_NOLINKSPEED) {
    const b = c.raw(48, 'IPv6 interface addresses');
    e = { name: '', family: 'ipv6', addr: ipv6ToString(b, 0), netmask: ipv6ToString(b, 16), bcast: ipv6ToString(b, 32) };
    if (type === IFINFO.IPV6) e.linkspeed = c.u64('interface link speed');
  } else {
    return c.fail(`unknown interface entry type ${type}`, c.pos - 4);
  }
  if (nameLen > 1024) c.fail(`interface name length ${nameLen} exceeds 1024`);
  c.need(nameLen, 'interface name');
  e.name = bytesToString(c.bytes, c.pos, c.pos + nameLen);
  c.pos += nameLen;
  return e;
}

/** IL (v1: back to back) or IL_V2 (u32 entrylen prefix that EXCLUDES itself). */
export function parseInterfaces(c: Cursor, v2: boolean): InterfaceEntry[] {
  const out: InterfaceEntry[] = [];
  const end = c.end;
  while (c.remaining >= 4) {
    if (v2) {
      const len = c.u32('interface entry length');
      const entryEnd = c.pos + len;
      if (entryEnd > end) c.fail(`interface entry length ${len} overruns the block`, c.pos - 4);
      c.end = entryEnd;
      out.push(parseInterface(c));
      c.pos = entryEnd;
      c.end = end;
    } else {
      out.push(parseInterface(c));
    }
  }
  return out;
}

function parseUserOrGroup(c: Cursor, users: UserEntry[], groups: GroupEntry[]): void {
  const type = c.u8('user list entry type');
  if (type === 0) {
    const uid = c.u32('uid');
    const gid = c.u32('gid');
    const name = c.str16('user name', 255);
    const homedir = c.str16('user home', 1023);
    const shell = c.str16('user shell', 1023);
    users.push({ uid, gid, name, homedir, shell });
  } else if (type === 1) {
    const gid = c.u32('gid');
    const name = c.str16('group name', 255);
    groups.push({ gid, name });
  } else {
    c.fail(`unknown user list entry type ${type}`, c.pos - 1);
  }
}

/** UL (v1: back to back) or UL_V2 (u32 sub_len prefix that INCLUDES itself). */
export function parseUsers(c: Cursor, v2: boolean): { users: UserEntry[]; groups: GroupEntry[] } {
  const users: UserEntry[] = [];
  const groups: GroupEntry[] = [];
  const end = c.end;
  while (c.remaining >= 4) {
    if (v2) {
      const start = c.pos;
      const subLen = c.u32('user entry length');
      if (subLen < 5 || start + subLen > end) c.fail(`user entry length ${subLen} is invalid`, start);
      c.end = start + subLen;
      parseUserOrGroup(c, users, groups);
      c.pos = start + subLen;
      c.end = end;
    } else {
      parseUserOrGroup(c, users, groups);
    }
  }
  return { users, groups };
}
