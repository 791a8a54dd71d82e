/** Bounded concurrency: at most `limit` workers run at once, in input order. */

/**
 * Calls `worker` on every item with at most `limit` in flight. Stops starting
 * new items once `signal` aborts or `stop()` returns true; returns how many were started.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<void>,
  o: { signal?: AbortSignal; stop?: () => boolean } = {},
): Promise<number> {
  let next = 0;
  const n = Math.max(1, Math.min(Math.floor(limit) || 1, items.length || 1));
  const lane = async () => {
    while (next < items.length && !o.signal?.aborted && !o.stop?.()) {
      const i = next++;
      await worker(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: n }, lane));
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
