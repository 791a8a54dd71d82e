/**
 * The processes a capture knows before its first event: the process-list
 * block (main threads only), with users from the user list and container ids
 * from cgroups, as the process tree needs them.
 */
import { readScap } from './reader.js';
import type { ThreadEntry, UserEntry } from './types.js';
import type { ProcessInfo } from '../../charts/proctree.js';

/** The container id in a docker/containerd/cri-o/podman cgroup path, or undefined (host). */
export function containerIdOf(cgroups: readonly string[] | undefined): string | undefined {
  for (const c of cgroups ?? []) {
    const m = /(?:docker[-/]|crio-|cri-containerd-|libpod-)([0-9a-f]{12,64})/.exec(c) ?? /\/([0-9a-f]{64})(?:\.scope)?$/.exec(c);
    if (m) return m[1]!.slice(0, 12);
  }
  return undefined;
}

function cmdline(t: ThreadEntry): string {
  return [t.comm, ...t.args.filter((a) => a !== '')].join(' ');
}

/** Processes (main threads) of every process-list block of a capture. */
export async function captureProcesses(path: string): Promise<ProcessInfo[]> {
  const threads: ThreadEntry[] = [];
  const users = new Map<number, string>();
  for await (const b of readScap(path, { file: path })) {
    if (b.kind === 'threads') threads.push(...b.threads);
    else if (b.kind === 'users') for (const u of b.users as UserEntry[]) users.set(u.uid, u.name);
    else if (b.kind === 'event') break; // state blocks come before the first event
  }
  return threads
    .filter((t) => t.tid === t.pid)
    .map((t) => ({
      pid: Number(t.pid),
      ppid: Number(t.ptid) > 0 ? Number(t.ptid) : null,
      name: t.comm,
      exe: t.exepath || t.exe,
      cmdline: cmdline(t),
      user: users.get(t.uid) ?? String(t.uid),
      container: containerIdOf(t.cgroups),
      group: users.get(t.uid) ?? String(t.uid),
    }));
}
