/**
 * File descriptors as libsinsp (sysdig 0.29.3) tracks them: one table per
 * thread group (threads created with CLONE_FILES use their main thread's),
 * seeded from the FDL blocks and updated by open/socket/connect/accept/...
 *
 * An FdInfo is never mutated once it is in a table: every change stores a new
 * object. A row can therefore keep a reference to "the fd as it was" when the
 * event happened, at no cost.
 */
import type { FdEntry } from './types.js';
import { VersionLog, type EpochClock } from './epoch.js';

/** scap_fd_type */
export const FdType = {
  UNKNOWN: 0,
  FILE: 1,
  DIRECTORY: 2,
  IPV4_SOCK: 3,
  IPV6_SOCK: 4,
  IPV4_SERVSOCK: 5,
  IPV6_SERVSOCK: 6,
  FIFO: 7,
  UNIX_SOCK: 8,
  EVENT: 9,
  UNSUPPORTED: 10,
  SIGNALFD: 11,
  EVENTPOLL: 12,
  INOTIFY: 13,
  TIMERFD: 14,
  NETLINK: 15,
  FILE_V2: 16,
  BPF: 17,
  USERFAULTFD: 18,
  IOURING: 19,
  MEMFD: 20,
  PIDFD: 21,
} as const;

/** scap_l4_proto */
export const L4 = { UNKNOWN: 0, NA: 1, TCP: 2, UDP: 3, ICMP: 4, RAW: 5 } as const;

/** connection role of a socket */
export const Role = { NONE: 0, CLIENT: 1, SERVER: 2 } as const;

export interface FdInfo {
  readonly num: number;
  /** scap_fd_type */
  readonly type: number;
  /** fd.name: path, socket tuple text, unix path... */
  readonly name: string;
  /** PPM_O_* open flags (files) */
  readonly openFlags: number;
  readonly ino: number;
  readonly dev: number;
  /** sockets: tuple as client->server once the role is known (sip = source) */
  readonly sip: string;
  readonly sport: number;
  readonly dip: string;
  readonly dport: number;
  /** scap_l4_proto */
  readonly l4: number;
  readonly role: number;
  /** unix sockets: kernel pointers */
  readonly usource: bigint;
  readonly udest: bigint;
  /** a successful read/write happened on this socket */
  readonly connected: boolean;
}

export type FdTable = Map<number, FdInfo>;

/**
 * An fd table that remembers its past (tables of loaded captures, whose rows
 * outlive the state): every set/delete ticks the shared clock and is noted,
 * so a row keeping the epoch of its event reads the table as it was then
 * (fd lists of poll, proc.fdopencount, fd.types, proc.stdout...).
 */
export class VersionedFdTable extends Map<number, FdInfo> {
  private readonly clock: EpochClock;
  private readonly log = new VersionLog<number, FdInfo>();

  constructor(clock: EpochClock, from?: FdTable) {
    super();
    this.clock = clock;
    if (from) for (const [k, v] of from) this.set(k, v);
  }

  override set(fd: number, info: FdInfo): this {
    this.log.note(fd, super.get(fd), info, this.clock.tick());
    super.set(fd, info);
    return this;
  }
  override delete(fd: number): boolean {
    const old = super.get(fd);
    if (!super.delete(fd)) return false;
    this.log.note(fd, old, undefined, this.clock.tick());
    return true;
  }
  override clear(): void {
    for (const fd of [...this.keys()]) this.delete(fd);
  }

  private now(epoch: number | undefined): boolean {
    return epoch === undefined || epoch >= this.clock.epoch;
  }

  /** fd `fd` as it was at `epoch` */
  getAt(fd: number, epoch: number | undefined): FdInfo | undefined {
    if (this.now(epoch)) return this.get(fd);
    return this.log.at(fd, epoch!, this.get(fd));
  }

  /** the open fds at `epoch`, in the order the table iterated them then (insertion order) */
  valuesAt(epoch: number | undefined): FdInfo[] {
    if (this.now(epoch)) return [...this.values()];
    return this.log.valuesAt(epoch!, (fd) => this.get(fd));
  }

  /** the number of open fds at `epoch` */
  sizeAt(epoch: number | undefined): number {
    return this.now(epoch) ? this.size : this.valuesAt(epoch).length;
  }
}

/** `table.get(fd)` as it was at `epoch` (plain tables: now). */
export function fdAt(table: FdTable | null | undefined, fd: number, epoch: number | undefined): FdInfo | undefined {
  if (!table) return undefined;
  return table instanceof VersionedFdTable ? table.getAt(fd, epoch) : table.get(fd);
}

/** `table.size` as it was at `epoch`. */
export function fdCountAt(table: FdTable | null | undefined, epoch: number | undefined): number {
  if (!table) return 0;
  return table instanceof VersionedFdTable ? table.sizeAt(epoch) : table.size;
}

/** The fds of `table` as they were at `epoch`, in iteration order. */
export function fdsAt(table: FdTable | null | undefined, epoch: number | undefined): FdInfo[] {
  if (!table) return [];
  return table instanceof VersionedFdTable ? table.valuesAt(epoch) : [...table.values()];
}

const EMPTY: FdInfo = {
  num: -1, type: FdType.UNKNOWN, name: '', openFlags: 0, ino: 0, dev: 0,
  sip: '', sport: 0, dip: '', dport: 0, l4: L4.UNKNOWN, role: Role.NONE, usource: 0n, udest: 0n, connected: false,
};

/** A new FdInfo with defaults for what is not given. */
export function makeFd(fields: Partial<FdInfo> & { num: number; type: number }): FdInfo {
  return { ...EMPTY, ...fields };
}

/** A copy of `fd` with some fields changed. */
export function withFd(fd: FdInfo, changes: Partial<FdInfo>): FdInfo {
  return { ...fd, ...changes };
}

export function isIpSocket(t: number): boolean {
  return t === FdType.IPV4_SOCK || t === FdType.IPV6_SOCK;
}
export function isServSocket(t: number): boolean {
  return t === FdType.IPV4_SERVSOCK || t === FdType.IPV6_SERVSOCK;
}
export function isFile(t: number): boolean {
  return t === FdType.FILE || t === FdType.FILE_V2 || t === FdType.DIRECTORY;
}

const TYPE_NAMES: Record<number, string> = {
  [FdType.FILE]: 'file', [FdType.FILE_V2]: 'file', [FdType.DIRECTORY]: 'directory',
  [FdType.IPV4_SOCK]: 'ipv4', [FdType.IPV6_SOCK]: 'ipv6', [FdType.IPV4_SERVSOCK]: 'ipv4', [FdType.IPV6_SERVSOCK]: 'ipv6',
  [FdType.FIFO]: 'pipe', [FdType.UNIX_SOCK]: 'unix', [FdType.EVENT]: 'event', [FdType.UNSUPPORTED]: 'unsupported',
  [FdType.SIGNALFD]: 'signalfd', [FdType.EVENTPOLL]: 'eventpoll', [FdType.INOTIFY]: 'inotify', [FdType.TIMERFD]: 'timerfd',
  [FdType.NETLINK]: 'netlink', [FdType.BPF]: 'bpf', [FdType.USERFAULTFD]: 'userfaultfd', [FdType.IOURING]: 'io_uring',
  [FdType.MEMFD]: 'memfd', [FdType.PIDFD]: 'pidfd',
};
const TYPE_CHARS: Record<number, string> = {
  [FdType.FILE]: 'f', [FdType.FILE_V2]: 'f', [FdType.DIRECTORY]: 'd',
  [FdType.IPV4_SOCK]: '4', [FdType.IPV6_SOCK]: '6', [FdType.IPV4_SERVSOCK]: '4', [FdType.IPV6_SERVSOCK]: '6',
  [FdType.FIFO]: 'p', [FdType.UNIX_SOCK]: 'u', [FdType.EVENT]: 'e', [FdType.UNSUPPORTED]: 'X',
  [FdType.SIGNALFD]: 's', [FdType.EVENTPOLL]: 'l', [FdType.INOTIFY]: 'i', [FdType.TIMERFD]: 't',
  [FdType.NETLINK]: 'n', [FdType.BPF]: 'b', [FdType.USERFAULTFD]: 'u', [FdType.IOURING]: 'r',
  [FdType.MEMFD]: 'm', [FdType.PIDFD]: 'P',
};

/** fd.type */
export function fdTypeName(fd: FdInfo): string {
  return TYPE_NAMES[fd.type] ?? 'unknown';
}
/** fd.typechar */
export function fdTypeChar(fd: FdInfo): string {
  return TYPE_CHARS[fd.type] ?? 'o';
}

/** The l4 char sysdig puts after the type char (`<4t>`): only for sockets with a role. */
export function l4Char(fd: FdInfo): string {
  if (!(isIpSocket(fd.type) || isServSocket(fd.type))) return '';
  if (fd.role === Role.NONE && !isServSocket(fd.type)) return '';
  switch (fd.l4) {
    case L4.TCP: return 't';
    case L4.UDP: return 'u';
    case L4.ICMP: return 'i';
    case L4.RAW: return 'r';
    default: return '';
  }
}

/** fd.l4proto */
export function l4Name(fd: FdInfo): string | null {
  switch (fd.l4) {
    case L4.TCP: return 'tcp';
    case L4.UDP: return 'udp';
    case L4.ICMP: return 'icmp';
    case L4.RAW: return 'raw';
    default: return null;
  }
}

/** `ip:port`, IPv6 without brackets as sysdig prints it */
export function hostPort(ip: string, port: number): string {
  return `${ip}:${port}`;
}

/** The name of an IP socket from its tuple: `sip:sport->dip:dport` (ICMP/RAW: `sip->dip`). */
export function tupleName(sip: string, sport: number, dip: string, dport: number, l4: number): string {
  if (l4 === L4.ICMP || l4 === L4.RAW) return `${sip}->${dip}`;
  return `${sip}:${sport}->${dip}:${dport}`;
}

/** The FdInfo of one FDL entry (before fix_sockets_coming_from_proc). */
export function fdFromEntry(e: FdEntry): FdInfo {
  const num = Number(e.fd);
  const ino = e.ino === undefined ? 0 : Number(e.ino);
  const t = e.type;
  switch (t) {
    case FdType.IPV4_SOCK:
    case FdType.IPV6_SOCK: {
      const sip = e.sip ?? '';
      const dip = e.dip ?? '';
      const l4 = e.l4proto ?? L4.UNKNOWN;
      // sockets read from /proc are connected (fd.connected)
      return makeFd({ num, type: t, ino, sip, dip, sport: e.sport ?? 0, dport: e.dport ?? 0, l4, name: tupleName(sip, e.sport ?? 0, dip, e.dport ?? 0, l4), connected: true });
    }
    case FdType.IPV4_SERVSOCK:
    case FdType.IPV6_SERVSOCK: {
      const ip = e.sip ?? e.dip ?? '';
      const port = e.sport ?? e.dport ?? 0;
      return makeFd({ num, type: t, ino, sip: ip, sport: port, l4: e.l4proto ?? L4.UNKNOWN, role: Role.SERVER, name: hostPort(ip, port) });
    }
    case FdType.UNIX_SOCK:
      // sysdig 0.29.3 gives unix sockets read from /proc a role (fd.cport prints 0, not <NA>)
      return makeFd({ num, type: t, ino, name: sanitize(e.name ?? ''), usource: e.source ?? 0n, udest: e.destination ?? 0n, role: Role.CLIENT });
    case FdType.FILE_V2:
      return makeFd({ num, type: FdType.FILE_V2, ino, name: sanitize(e.name ?? ''), openFlags: e.flags ?? 0, dev: e.dev ?? 0 });
    default:
      return makeFd({ num, type: t, ino, name: sanitize(e.name ?? '') });
  }
}

/** sysdig removes non-printable characters from fd names. */
export function sanitize(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f]/.test(s) ? s.replace(/[\x00-\x1f\x7f]/g, '') : s;
}

/**
 * libsinsp's fix_sockets_coming_from_proc: IPv4 sockets read from /proc have
 * no role; those whose source port is a listening port of the capture are
 * turned around (server side), the others are clients.
 */
export function fixSocketsFromProc(tables: Iterable<FdTable>): void {
  const all = [...tables];
  const serverPorts = new Set<number>();
  for (const t of all) for (const fd of t.values()) if (fd.type === FdType.IPV4_SERVSOCK) serverPorts.add(fd.sport);
  for (const t of all) {
    for (const fd of t.values()) {
      if (fd.type !== FdType.IPV4_SOCK) continue;
      if (serverPorts.has(fd.sport)) {
        t.set(fd.num, withFd(fd, { sip: fd.dip, sport: fd.dport, dip: fd.sip, dport: fd.sport, role: Role.SERVER, name: tupleName(fd.dip, fd.dport, fd.sip, fd.sport, fd.l4) }));
      } else {
        t.set(fd.num, withFd(fd, { role: Role.CLIENT }));
      }
    }
  }
}

/** libsinsp concatenate_paths: join a relative path to a base and normalise `.`/`..`. */
export function concatenatePaths(base: string, path: string): string {
  if (path.startsWith('/') || base === '') return normalizePath(path);
  const b = base.endsWith('/') ? base : base + '/';
  return normalizePath(b + path);
}

export function normalizePath(p: string): string {
  if (!p.includes('/.') && !p.includes('//')) return p;
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      out.pop();
      continue;
    }
    out.push(seg);
  }
  const r = (abs ? '/' : '') + out.join('/');
  return r === '' ? (abs ? '/' : '') : r;
}
