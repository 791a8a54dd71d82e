/** Bounded concurrency: at most `limit` workers run at once, in input order. */

/**
 * Calls `worker` on every item with at most `limit` in flight. Stops starting
 * new items once `signal` aborts, `stop()` returns true or a worker throws;
 * returns how many were started. Never settles before every started worker
 * has: a worker's error is rethrown only after the others finished, so no
 * work of this call outlives it.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<void>,
  o: { signal?: AbortSignal; stop?: () => boolean } = {},
): Promise<number> {
  let next = 0;
  let failed = false;
  const n = Math.max(1, Math.min(Math.floor(limit) || 1, items.length || 1));
  const lane = async () => {
    while (next < items.length && !failed && !o.signal?.aborted && !o.stop?.()) {
      const i = next++;
      try {
        await worker(items[i]!, i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: n }, lane));
  const err = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (err) throw err.reason;
  return next;
}

/** A semaphore: `run(fn)` waits until fewer than `limit` calls are running. */
export function limiter(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  const max = Math.max(1, Math.floor(limit) || 1);
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
