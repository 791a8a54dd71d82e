/**
 * Versioned state for loaded tables: rows outlive the state engine, so the
 * mutable tables (threads, fd tables, thread counts, memory counters,
 * containers, interfaces) record each change under a tick of one clock per
 * capture, and a row keeps the clock's value at its event (`EventCtx.epoch`)
 * to read them as they were then. Streaming reads the live state and records
 * nothing.
 */

/** The clock every versioned table of one capture (all its sections) shares. */
export class EpochClock {
  epoch = 0;
  tick(): number {
    return ++this.epoch;
  }
}

/** Index of the last epoch <= at in an ascending list, -1 if none. */
export function lastAtOrBefore(es: readonly number[], at: number): number {
  let lo = 0;
  let hi = es.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (es[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The values one thing took over time: v[i] from epoch e[i] on. */
export class History<V> {
  readonly e: number[] = [];
  readonly v: V[] = [];
  push(epoch: number, value: V): void {
    this.e.push(epoch);
    this.v.push(value);
  }
  /** the index of the value at `epoch`, -1 before the first */
  indexAt(epoch: number): number {
    return lastAtOrBefore(this.e, epoch);
  }
  /** the value at `epoch`, `before` when it was not set yet */
  at<D>(epoch: number, before: D): V | D {
    const i = lastAtOrBefore(this.e, epoch);
    return i < 0 ? before : this.v[i]!;
  }
}

/**
 * The past of a keyed table, kept compactly: a key whose value never changed
 * after its insertion costs one number (the insertion's epoch); only keys
 * that changed or went away keep a History. The live table holds the current
 * values; callers note every insertion, change and removal.
 */
export class VersionLog<K, V> {
  /** keys unchanged since their insertion: the epoch of the insertion */
  private readonly since = new Map<K, number>();
  /** keys that changed or went away: every value they took (undefined: absent) */
  private readonly changes = new Map<K, History<V | undefined>>();

  /** `key` went from `old` to `value` (undefined: absent) at epoch `e`. */
  note(key: K, old: V | undefined, value: V | undefined, e: number): void {
    let h = this.changes.get(key);
    if (h === undefined) {
      if (old === undefined) {
        if (value !== undefined) this.since.set(key, e);
        return;
      }
      h = new History();
      h.push(this.since.get(key) ?? -1, old);
      this.since.delete(key);
      this.changes.set(key, h);
    }
    h.push(e, value);
  }

  /** The value of `key` at `epoch`, given its live value. */
  at(key: K, epoch: number, live: V | undefined): V | undefined {
    const h = this.changes.get(key);
    if (h !== undefined) return h.at(epoch, undefined);
    const s = this.since.get(key);
    return s !== undefined && s <= epoch ? live : undefined;
  }

  /**
   * The values present at `epoch`, in the order a Map iterated them then: by
   * the insertion that started each key's current run (an update keeps a key's
   * place, a removal and a new insertion move it to the end).
   */
  valuesAt(epoch: number, live: (key: K) => V | undefined): V[] {
    const out: { from: number; v: V }[] = [];
    for (const [k, s] of this.since) if (s <= epoch) out.push({ from: s, v: live(k)! });
    for (const h of this.changes.values()) {
      let i = h.indexAt(epoch);
      const v = i < 0 ? undefined : h.v[i];
      if (v === undefined) continue;
      while (i > 0 && h.v[i - 1] !== undefined) i--;
      out.push({ from: h.e[i]!, v });
    }
    return out.sort((a, b) => a.from - b.from).map((o) => o.v);
  }
}
