/**
 * A `fetch` that retries what is worth retrying. The Hub client does not retry at all, so every request
 * it makes goes through this wrapper: 429, 5xx and network failures are retried with exponential
 * backoff and full jitter, honouring `Retry-After`. Attempts are bounded; 4xx other than 408/429 are
 * returned as-is (retrying a bad request or a 412 conflict cannot help).
 *
 * Request bodies the client sends are strings or Blobs, which can be sent again, so a retry re-uses init.
 */

export interface RetryOptions {
  /** Total tries per request, including the first. Default 6. */
  maxAttempts?: number;
  /** First backoff step in ms; doubles each attempt. Default 500. */
  baseDelayMs?: number;
  /** Cap for one wait, also applied to Retry-After. Default 60 000. */
  maxDelayMs?: number;
  /** Injectable for tests (record delays instead of waiting). */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable randomness in [0, 1) for the jitter. */
  random?: () => number;
  /** Told before each wait, e.g. to print "retrying in 2.1 s (HTTP 503)". */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; url: string }) => void;
}

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After is either delta-seconds or an HTTP date. Returns ms, or undefined when absent/invalid. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function requestUrl(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

export function createRetryingFetch(inner: typeof fetch, options: RetryOptions = {}): typeof fetch {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 60_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  const backoff = (attempt: number, retryAfterMs?: number) => {
    const exp = Math.min(cap, base * 2 ** (attempt - 1));
    const jittered = Math.round(random() * exp);
    // The server's Retry-After is a floor: never come back sooner than asked.
    return Math.min(cap, Math.max(jittered, retryAfterMs ?? 0));
  };

  const retrying = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    // Presigned upload URLs carry credentials in the query string: never report it.
    const url = requestUrl(input).split('?')[0]!;
    for (let attempt = 1; ; attempt++) {
      let reason: string;
      let retryAfterMs: number | undefined;
      try {
        const res = await inner(input, init);
        if (!RETRY_STATUS.has(res.status) || attempt >= maxAttempts) return res;
        reason = `HTTP ${res.status}`;
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
        // Free the connection before waiting.
        await res.body?.cancel().catch(() => undefined);
      } catch (err) {
        // The client aborts sibling requests when one fails: that is not a network problem.
        if (init?.signal?.aborted || (err as Error)?.name === 'AbortError' || attempt >= maxAttempts) throw err;
        const e = err as Error & { cause?: { code?: string; message?: string } };
        reason = `network error (${e.cause?.code ?? e.cause?.message ?? e.message})`;
      }
      const delayMs = backoff(attempt, retryAfterMs);
      options.onRetry?.({ attempt, delayMs, reason, url });
      await sleep(delayMs);
      if (init?.signal?.aborted) throw init.signal.reason ?? new DOMException('Aborted', 'AbortError');
    }
  };
  return retrying as typeof fetch;
}
