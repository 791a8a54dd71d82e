/**
 * The contract between the .scap format layer (reader.ts, blocks, params,
 * writer.ts) and the state engine (threads.ts, fds.ts, users.ts,
 * containers.ts, fields.ts). The reader turns bytes into `ScapBlock`s; the
 * state engine turns blocks into rows with sysdig's field values.
 */

/** One thread entry of a process-list block (PL_V1..V9), all versions normalized. */
export interface ThreadEntry {
  tid: bigint;
  pid: bigint;
  ptid: bigint;
  sid?: bigint;
  vpgid?: bigint;
  comm: string;
  exe: string;
  exepath?: string;
  /** argv[1..] split on NUL */
  args: string[];
  cwd: string;
  fdlimit: bigint;
  flags: number;
  uid: number;
  gid: number;
  vmsizeKb?: number;
  vmrssKb?: number;
  vmswapKb?: number;
  pfmajor?: bigint;
  pfminor?: bigint;
  env?: string[];
  vtid?: bigint;
  vpid?: bigint;
  /** "subsys=/path" entries */
  cgroups?: string[];
  root?: string;
  pidnsInitStartTs?: bigint;
  tty?: number;
  loginuid?: number;
  exeWritable?: boolean;
  capInheritable?: bigint;
  capPermitted?: bigint;
  capEffective?: bigint;
  exeUpperLayer?: boolean;
  exeIno?: bigint;
  exeInoCtime?: bigint;
  exeInoMtime?: bigint;
  exeFromMemfd?: boolean;
  exeLowerLayer?: boolean;
  pgid?: bigint;
}

/** One fd of an fd-list block, as stored (scap_fd_type numbering). */
export interface FdEntry {
  fd: bigint;
  ino?: bigint;
  /** scap_fd_type: SCAP_FD_FILE, SCAP_FD_IPV4_SOCK, ... */
  type: number;
  /** file name, unix socket path, or empty */
  name?: string;
  flags?: number;
  mountId?: number;
  dev?: number;
  /** socket tuple info (IPv4/IPv6 as textual addresses) */
  sip?: string;
  dip?: string;
  sport?: number;
  dport?: number;
  l4proto?: number;
  /** unix socket source/dest pointers */
  source?: bigint;
  destination?: bigint;
}

export interface UserEntry {
  uid: number;
  gid: number;
  name: string;
  homedir: string;
  shell: string;
  container?: string;
}
export interface GroupEntry {
  gid: number;
  name: string;
  container?: string;
}

export interface InterfaceEntry {
  name: string;
  family: 'ipv4' | 'ipv6';
  addr: string;
  netmask?: string;
  bcast?: string;
  linkspeed?: bigint;
}

/** One event block. Parameters stay raw until a field needs them. */
export interface ScapEvent {
  /** byte offset of the block in the (decompressed) stream, for error messages */
  offset: number;
  blockType: number;
  /** ns since epoch */
  ts: bigint;
  tid: bigint;
  cpu: number;
  /** index into the event table (even = enter, odd = exit) */
  type: number;
  /** EVF blocks only */
  flags?: number;
  /** raw bytes of each parameter */
  params: Uint8Array[];
}

export type ScapBlock =
  | { kind: 'section'; offset: number; major: number; minor: number }
  | {
      kind: 'machine';
      offset: number;
      hostname: string;
      numCpus: number;
      memoryBytes: bigint;
      maxEventsPerCpu?: number;
      bootTimeNs?: bigint;
      /** MI max_pid */
      maxPid?: bigint;
      /** MI flags (reserved2 in older files) */
      flags?: bigint;
    }
  | { kind: 'threads'; offset: number; blockType: number; threads: ThreadEntry[] }
  | { kind: 'fds'; offset: number; blockType: number; tid: bigint; fds: FdEntry[] }
  | { kind: 'interfaces'; offset: number; blockType: number; interfaces: InterfaceEntry[] }
  | { kind: 'users'; offset: number; blockType: number; users: UserEntry[]; groups: GroupEntry[] }
  | { kind: 'event'; event: ScapEvent }
  | { kind: 'unknown'; offset: number; blockType: number; length: number };

/** The error every reader failure is reported with: names the file and byte offset. */
export class ScapError extends Error {
  readonly file: string;
  readonly offset: number;
  constructor(message: string, file: string, offset: number) {
    super(`${file}: ${message} (at byte offset ${offset})`);
    this.name = 'ScapError';
    this.file = file;
    this.offset = offset;
  }
}
