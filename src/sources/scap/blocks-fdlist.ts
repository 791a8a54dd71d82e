/**
 * Per-thread fd table blocks FDL (v1) and FDL_V2 (u32 sub_len per entry, including itself).
 * Spec: scap-format.md §1.8. Server sockets (IPV4/IPV6_SERVSOCK) put their address in
 * sip/sport; unix sockets their kernel pointers in source/destination.
 */
import type { Cursor } from './cursor.js';
import { ipv4ToString, ipv6ToString } from './net.js';
import type { FdEntry } from './types.js';

/** scap_fd_type */
export const FD_TYPE = {
  UNINITIALIZED: -1, UNKNOWN: 0, FILE: 1, DIRECTORY: 2, IPV4_SOCK: 3, IPV6_SOCK: 4, IPV4_SERVSOCK: 5,
  IPV6_SERVSOCK: 6, FIFO: 7, UNIX_SOCK: 8, EVENT: 9, UNSUPPORTED: 10, SIGNALFD: 11, EVENTPOLL: 12,
  INOTIFY: 13, TIMERFD: 14, NETLINK: 15, FILE_V2: 16, BPF: 17, USERFAULTFD: 18, IOURING: 19,
  MEMFD: 20, PIDFD: 21,
} as const;

/** Types whose payload is just a str16 name. */
const NAME_ONLY = new Set<number>([1, 2, 7, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21]);

function parseFd(c: Cursor, v2: boolean): FdEntry {
  const start = c.pos;
  const blockEnd = c.end;
  let subLen = 0;
  if (v2) {
    subLen = c.u32('fd entry length');
    if (subLen < 4 || start + subLen > blockEnd) c.fail(`fd entry length ${subLen} is invalid`, start);
    c.end = start + subLen;
  }
  const fd = c.i64('fd');
  const ino = c.u64('ino');
  const type = c.u8('fd type');
  const e: FdEntry = { fd, ino, type };
  if (NAME_ONLY.has(type)) {
    e.name = c.str16('fd name', 1024);
  } else if (type === FD_TYPE.FILE_V2) {
    e.flags = c.u32('open flags');
    e.name = c.str16('fd name', 1024);
    if (v2 && c.remaining >= 4) e.dev = c.u32('dev');
  } else if (type === FD_TYPE.IPV4_SOCK) {
    const b = c.raw(8, 'IPv4 socket addresses');
    e.sip = ipv4ToString(b, 0);
    e.dip = ipv4ToString(b, 4);
    e.sport = c.u16('sport');
    e.dport = c.u16('dport');
    e.l4proto = c.u8('l4proto');
  } else if (type === FD_TYPE.IPV6_SOCK) {
    const b = c.raw(32, 'IPv6 socket addresses');
    e.sip = ipv6ToString(b, 0);
    e.dip = ipv6ToString(b, 16);
    e.sport = c.u16('sport');
    e.dport = c.u16('dport');
    e.l4proto = c.u8('l4proto');
  } else if (type === FD_TYPE.IPV4_SERVSOCK) {
    e.sip = ipv4ToString(c.raw(4, 'IPv4 server address'));
    e.sport = c.u16('port');
    e.l4proto = c.u8('l4proto');
  } else if (type === FD_TYPE.IPV6_SERVSOCK) {
    e.sip = ipv6ToString(c.raw(16, 'IPv6 server address'));
    e.sport = c.u16('port');
    e.l4proto = c.u8('l4proto');
  } else if (type === FD_TYPE.UNIX_SOCK) {
    e.source = c.u64('unix source');
    e.destination = c.u64('unix destination');
    e.name = c.str16('unix socket path', 1024);
  } else if (type === FD_TYPE.UNKNOWN) {
    // nothing
  } else if (v2) {
    // newer type: HEAD turns it into UNSUPPORTED and relies on sub_len to skip it
    e.type = FD_TYPE.UNSUPPORTED;
    e.name = `unknown-type:[${type}]`;
  } else {
    c.fail(`unknown fd type ${type} in a v1 fd list (cannot be skipped)`, c.pos - 1);
  }
  if (v2) {
    c.pos = start + subLen;
    c.end = blockEnd;
  }
  return e;
}

/** An FDL block body: the thread id, then its fds. */
export function parseFdList(c: Cursor, v2: boolean): { tid: bigint; fds: FdEntry[] } {
  const tid = c.i64('fd list tid');
  const fds: FdEntry[] = [];
  while (c.remaining >= 4) fds.push(parseFd(c, v2));
  return { tid, fds };
}
