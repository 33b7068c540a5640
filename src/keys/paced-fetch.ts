/**
 * The HTTP client every cloud key source shares in one run: at most `concurrency` requests in
 * flight, and throttled answers retried with exponential backoff and full jitter (what the AWS
 * and Google SDKs do). Many files unwrap their keys at once, and a KMS quota is per second.
 */
import type { FetchLike } from '../ports.ts';

export interface PacedFetchOptions {
  /** Requests in flight at most; default 16. */
  readonly concurrency?: number;
  /** Retries after a throttled answer; default 4. */
  readonly retries?: number;
  /** The first backoff ceiling; it doubles each retry. Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Injected in tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** AWS's throttling error types, answered with HTTP 400. */
const AWS_THROTTLING =
  /"__type"\s*:\s*"[^"]*(Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException)"|<Code>Throttling<\/Code>/;

/** True for an answer that asks us to slow down: 429, 503, or AWS's throttling errors. */
export async function isThrottled(response: Response): Promise<boolean> {
  if (response.status === 429 || response.status === 503) return true;
  if (response.status !== 400) return false;
  const text = await response.clone().text();
  return AWS_THROTTLING.test(text);
}

/** A counting semaphore. */
function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

/** Wraps `fetchFn` with the run's concurrency bound and throttling retries. */
export function createPacedFetch(fetchFn: FetchLike, options: PacedFetchOptions = {}): FetchLike {
  const limit = createLimiter(Math.max(1, options.concurrency ?? 16));
  const retries = options.retries ?? 4;
  const base = options.baseDelayMs ?? 200;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  return (input, init) =>
    limit(async () => {
      for (let attempt = 0; ; attempt += 1) {
        const response = await fetchFn(input, init);
        if (attempt >= retries || !(await isThrottled(response))) return response;
        await response.body?.cancel();
        // Full jitter: spreads the retries of many files that were throttled together.
        await sleep(Math.floor(random() * base * 2 ** attempt));
      }
    });
}
