/**
 * Versioned state (epoch.ts): the tables a loaded capture's rows read later
 * answer "as it was at epoch E" exactly as the live table answered at E.
 * Random histories of an fd table are checked against snapshots of a plain
 * Map (values, size, iteration order); thread counts, memory counters,
 * containers and interfaces by hand.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContainerTable } from '../../../src/sources/scap/containers.js';
import { EpochClock, History, lastAtOrBefore } from '../../../src/sources/scap/epoch.js';
import { FdType, VersionedFdTable, fdAt, fdCountAt, fdsAt, makeFd, type FdInfo } from '../../../src/sources/scap/fds.js';
import { InterfaceTable } from '../../../src/sources/scap/interfaces.js';
import { ThreadTable, placeholderThread, withThread } from '../../../src/sources/scap/threads.js';

describe('History / lastAtOrBefore', () => {
  it('finds the value in force at an epoch', () => {
    expect(lastAtOrBefore([], 5)).toBe(-1);
    expect(lastAtOrBefore([2, 4, 4, 9], 1)).toBe(-1);
    expect(lastAtOrBefore([2, 4, 4, 9], 4)).toBe(2);
    expect(lastAtOrBefore([2, 4, 4, 9], 100)).toBe(3);
    const h = new History<string>();
    h.push(3, 'a');
    h.push(7, 'b');
    expect([h.at(2, '-'), h.at(3, '-'), h.at(6, '-'), h.at(7, '-'), h.at(99, '-')]).toEqual(['-', 'a', 'a', 'b', 'b']);
  });
});

describe('VersionedFdTable', () => {
  const fd = (num: number, name: string): FdInfo => makeFd({ num, type: FdType.FILE, name });
  type Op = { kind: 'set'; fd: number; name: string } | { kind: 'delete'; fd: number } | { kind: 'clear' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), fd: fc.integer({ min: 0, max: 7 }), name: fc.constantFrom('a', 'b', 'c') }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), fd: fc.integer({ min: 0, max: 7 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
  );

  it('reads any past epoch as a plain Map read at that time (values, size, order)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 3 }), (ops, seed) => {
        const clock = new EpochClock();
        const initial = new Map<number, FdInfo>(seed.map((n) => [n, fd(n, 'seed')]));
        const v = new VersionedFdTable(clock, initial);
        const live = new Map(initial);
        const snaps: { epoch: number; entries: [number, FdInfo][] }[] = [{ epoch: clock.epoch, entries: [...live] }];
        for (const o of ops) {
          if (o.kind === 'set') {
            const f = fd(o.fd, o.name);
            v.set(o.fd, f);
            live.set(o.fd, f);
          } else if (o.kind === 'delete') {
            v.delete(o.fd);
            live.delete(o.fd);
          } else {
            v.clear();
            live.clear();
          }
          // other tables share the clock: epochs are not consecutive
          clock.tick();
          snaps.push({ epoch: clock.epoch, entries: [...live] });
        }
        expect([...v]).toEqual([...live]);
        for (const s of snaps) {
          expect(fdsAt(v, s.epoch)).toEqual(s.entries.map(([, f]) => f));
          expect(fdCountAt(v, s.epoch)).toBe(s.entries.length);
          for (let n = 0; n <= 7; n++) expect(fdAt(v, n, s.epoch)).toBe(new Map(s.entries).get(n));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('plain Maps (streaming) answer now', () => {
    const m = new Map([[3, fd(3, 'x')]]);
    expect(fdAt(m, 3, 0)).toBe(m.get(3));
    expect(fdCountAt(m, 0)).toBe(1);
    expect(fdsAt(null, 0)).toEqual([]);
  });
});

describe('ThreadTable (versioned)', () => {
  const thread = (tid: number, pid: number, ptid: number) => withThread(placeholderThread(tid), { pid, ptid, placeholder: false });

  it('counts threads per process and children per thread at each epoch', () => {
    const tt = new ThreadTable(true);
    tt.set(thread(10, 10, 1));
    const e1 = tt.epoch;
    tt.set(thread(11, 10, 1));
    tt.set(thread(20, 20, 10));
    const e2 = tt.epoch;
    tt.delete(11);
    tt.set(withThread(tt.get(20)!, { ptid: 1 })); // reparented
    const e3 = tt.epoch;
    expect([e1, e2, e3].map((e) => tt.threadsOfAt(10, e))).toEqual([1, 2, 1]);
    expect([e1, e2, e3].map((e) => tt.childrenOfAt(10, e))).toEqual([0, 1, 0]);
    expect([e1, e2, e3].map((e) => tt.childrenOfAt(1, e))).toEqual([1, 2, 2]);
    expect(tt.threadsOfAt(10, undefined)).toBe(1);
    // an unversioned table counts its live map
    const live = new ThreadTable(false);
    live.set(thread(5, 5, 1));
    live.set(thread(6, 5, 1));
    expect([live.threadsOfAt(5, 0), live.childrenOfAt(1, 0)]).toEqual([2, 2]);
  });

  it('keeps memory counters per thread object over time', () => {
    const tt = new ThreadTable(true);
    const t = thread(7, 7, 1);
    tt.set(t);
    const before = tt.epoch;
    tt.setVm(t, 100, 50, 0);
    const mid = tt.epoch;
    tt.setVm(t, 100, 50, 0); // no change, no entry
    tt.setVm(t, 300, 80, 1);
    expect(tt.vmAt(t, before)).toEqual([0, 0, 0]);
    expect(tt.vmAt(t, mid)).toEqual([100, 50, 0]);
    expect(tt.vmAt(t, tt.epoch)).toEqual([300, 80, 1]);
    expect([t.vmsize, t.vmrss, t.vmswap]).toEqual([300, 80, 1]);
  });

  it('gives threads entering it a versioned fd table on the shared clock', () => {
    const clock = new EpochClock();
    const tt = new ThreadTable(true, clock);
    const t = thread(8, 8, 1);
    t.fds.set(3, makeFd({ num: 3, type: FdType.FILE, name: '/etc/passwd' }));
    tt.set(t);
    expect(t.fds).toBeInstanceOf(VersionedFdTable);
    const e = clock.epoch;
    t.fds.delete(3);
    expect(fdAt(t.fds, 3, e)?.name).toBe('/etc/passwd');
    expect(fdAt(t.fds, 3, clock.epoch)).toBeUndefined();
  });
});

describe('ContainerTable / InterfaceTable (versioned)', () => {
  it('containers: unknown before their event, then each version in turn', () => {
    const clock = new EpochClock();
    const ct = new ContainerTable();
    ct.keepHistory(clock);
    const e0 = clock.tick();
    ct.addLegacy('abc', 0, 'web', 'nginx:1');
    const e1 = clock.epoch;
    ct.addJson(JSON.stringify({ container: { id: 'abc', name: 'web', image: 'nginx:2' } }));
    expect(ct.getAt('abc', e0)).toBeUndefined();
    expect(ct.getAt('abc', e1)?.image).toBe('nginx:1');
    expect(ct.getAt('abc', clock.epoch)?.image).toBe('nginx:2');
    expect(ct.getAt('abc', undefined)?.image).toBe('nginx:2');
  });

  it('interfaces: a later IL block does not change what earlier rows see', () => {
    const clock = new EpochClock();
    const it4 = new InterfaceTable();
    it4.keepHistory(clock);
    it4.set([{ family: 'ipv4', name: 'eth0', addr: '10.0.0.5', netmask: '255.255.255.0' } as never]);
    const e1 = clock.epoch;
    it4.set([{ family: 'ipv4', name: 'eth0', addr: '192.168.1.9', netmask: '255.255.255.0' } as never]);
    expect(it4.isLocal('10.0.0.5', e1)).toBe(true);
    expect(it4.isLocal('10.0.0.5')).toBe(false);
    expect(it4.isLocal('192.168.1.9', e1)).toBe(false);
    expect(it4.isLocal('192.168.1.9', clock.epoch)).toBe(true);
  });
});
