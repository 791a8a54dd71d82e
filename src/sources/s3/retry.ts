/**
 * Retry with exponential backoff and full jitter, for S3 throttling
 * (SlowDown, 503, 429) and transient network errors (ECONNRESET, timeouts, 5xx).
 */

export interface RetryOptions {
  /** retries after the first attempt (default 5) */
  retries?: number;
  /** first backoff ceiling in ms (default 200); doubles each retry, capped at 10 s */
  baseMs?: number;
  signal?: AbortSignal;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

const TRANSIENT_NAMES = new Set([
  'SlowDown',
  'ThrottlingException',
  'Throttling',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeTooSkewed',
]);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** True for errors worth retrying: throttling, 5xx, dropped connections. */
export function isTransient(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; message?: string };
  if (e.name === 'AbortError') return false;
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code && TRANSIENT_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (e.$retryable) return true;
  return /socket hang up|ECONNRESET|premature close|aborted by the server/i.test(e.message ?? '');
}

export class AbortedError extends Error {
  override name = 'AbortError';
  constructor() {
    super('interrupted');
  }
}

/** Sleeps `ms`, or rejects with AbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new AbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `fn` until it succeeds, a non-transient error occurs, or retries run out. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const retries = o.retries ?? 5;
  const base = o.baseMs ?? 200;
  for (let attempt = 0; ; attempt++) {
    if (o.signal?.aborted) throw new AbortedError();
    try {
      return await fn(attempt);
    } catch (err) {
      if (o.signal?.aborted) throw new AbortedError();
      if (attempt >= retries || !isTransient(err)) throw err;
      const delay = Math.random() * Math.min(10_000, base * 2 ** attempt);
      o.onRetry?.(err, attempt + 1, delay);
      await sleep(delay, o.signal);
    }
  }
}
