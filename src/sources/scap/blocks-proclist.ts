/**
 * Process (thread) list blocks PL_V1..PL_V9. Spec: scap-format.md §1.7, including the exact
 * V9 optional-field rule for entries written by libs < 0.10.
 */
import type { Cursor } from './cursor.js';
import type { ThreadEntry } from './types.js';

/** Bytes appended by libs < 0.10 after `root`: loginuid, exe_writable, cap_* (4+1+24). */
const PRE_0_10_TAIL = 29;

function parseThread(c: Cursor, version: number): ThreadEntry {
  const entryStart = c.pos;
  let subLen = 0;
  const blockEnd = c.end;
  if (version === 9) {
    subLen = c.u32('thread entry length');
    if (subLen < 4 || entryStart + subLen > blockEnd) c.fail(`thread entry length ${subLen} is invalid`, entryStart);
    c.end = entryStart + subLen;
  }
  const tid = c.i64('tid');
  const pid = c.i64('pid');
  const ptid = c.i64('ptid');
  const t: ThreadEntry = {
    tid, pid, ptid, comm: '', exe: '', args: [], cwd: '', fdlimit: 0n, flags: 0, uid: 0, gid: 0,
  };
  if (version >= 6) t.sid = c.i64('sid');
  if (version >= 8) t.vpgid = c.i64('vpgid');
  t.comm = c.str16('comm', 1024);
  t.exe = c.str16('exe', 1024);
  if (version >= 7) t.exepath = c.str16('exepath', 1024);
  t.args = c.strList16('args', 4096);
  t.cwd = c.str16('cwd', 1024);
  t.fdlimit = c.u64('fdlimit');
  t.flags = c.u32('flags');
  t.uid = c.u32('uid');
  t.gid = c.u32('gid');
  if (version >= 2) {
    t.vmsizeKb = c.u32('vmsize_kb');
    t.vmrssKb = c.u32('vmrss_kb');
    t.vmswapKb = c.u32('vmswap_kb');
    t.pfmajor = c.u64('pfmajor');
    t.pfminor = c.u64('pfminor');
  }
  if (version >= 3) t.env = c.strList16('env', 4096);
  if (version >= 4) {
    t.vtid = c.i64('vtid');
    t.vpid = c.i64('vpid');
    t.cgroups = c.strList16('cgroups', 4096);
  }
  if (version >= 5) t.root = c.str16('root', 1024);
  if (version === 9) {
    const fits = (n: number) => c.pos - entryStart + n <= subLen;
    if (subLen - (c.pos - entryStart) > PRE_0_10_TAIL) {
      t.pidnsInitStartTs = c.u64('pidns_init_start_ts');
      t.tty = c.u32('tty');
    }
    if (fits(4)) t.loginuid = c.u32('loginuid');
    if (fits(1)) t.exeWritable = c.u8('exe_writable') !== 0;
    if (fits(8)) t.capInheritable = c.u64('cap_inheritable');
    if (fits(8)) t.capPermitted = c.u64('cap_permitted');
    if (fits(8)) t.capEffective = c.u64('cap_effective');
    if (fits(1)) t.exeUpperLayer = c.u8('exe_upper_layer') !== 0;
    if (fits(8)) t.exeIno = c.u64('exe_ino');
    if (fits(8)) t.exeInoCtime = c.u64('exe_ino_ctime');
    if (fits(8)) t.exeInoMtime = c.u64('exe_ino_mtime');
    if (fits(1)) t.exeFromMemfd = c.u8('exe_from_memfd') !== 0;
    if (fits(1)) t.exeLowerLayer = c.u8('exe_lower_layer') !== 0;
    if (fits(8)) t.pgid = c.i64('pgid');
    c.pos = entryStart + subLen;
    c.end = blockEnd;
  }
  return t;
}

/** All thread entries of a PL block body. */
export function parseProcessList(c: Cursor, version: number): ThreadEntry[] {
  const out: ThreadEntry[] = [];
  while (c.remaining >= 4) out.push(parseThread(c, version));
  return out;
}
