/**
 * In-process retries of transient failures: exponential backoff with full jitter (a random
 * delay up to `min(maxDelayMs, baseDelayMs * 2^(n-1))` after the n-th failure, so retries of
 * many records do not arrive together), a bounded number of attempts, and no wait that the
 * caller's time budget cannot afford. A permanent error is never retried.
 *
 * The first attempt is the caller's (`attempt`), so that work which succeeds at once, as most
 * does, costs one reaction; retrying starts only after it failed (`retryAfterFailure`).
 *
 * @example
 * ```ts
 * const work = () => readModel.apply(event);
 * const outcome = await attempt(work).catch((error: unknown) =>
 *   retryAfterFailure(work, {
 *     policy: { attempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 },
 *     canWait: (ms) => budget.canWait(ms),
 *   }, error),
 * );
 * ```
 */
import { setTimeout as sleepFor } from "node:timers/promises";
import { isPermanent } from "../errors";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface RetryOptions {
  readonly policy: RetryPolicy;
  /** Whether there is time to wait this long and still try again. */
  readonly canWait: (delayMs: number) => boolean;
  /** Told of every failed attempt (1-based), before any retry. */
  readonly onFailure?: (error: unknown, attempt: number) => void;
  readonly sleep?: (delayMs: number) => Promise<unknown>;
  /** A number in [0, 1). */
  readonly random?: () => number;
}

/** The wait after the `failedAttempts`-th failure: full jitter over an exponential cap. */
export const backoffDelayMs = (
  failedAttempts: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number = Math.random,
): number => {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
  return Math.floor(random() * cap);
};

/** `work()`, with a synchronous throw turned into a rejection. */
export const attempt = <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return work();
  } catch (error) {
    return Promise.reject(error);
  }
};

/**
 * Goes on after `work`'s first attempt failed with `firstError`: retries transient failures
 * with backoff until one attempt succeeds, and rejects with the last error when retrying
 * cannot (no attempts left, no time to wait) or may not (a permanent error) help.
 */
export const retryAfterFailure = async <T>(
  work: () => Promise<T>,
  options: RetryOptions,
  firstError: unknown,
): Promise<T> => {
  const sleep = options.sleep ?? sleepFor;
  let error = firstError;
  for (let failed = 1; ; failed += 1) {
    options.onFailure?.(error, failed);
    if (isPermanent(error) || failed >= options.policy.attempts) throw error;
    const delay = backoffDelayMs(failed, options.policy, options.random);
    if (!options.canWait(delay)) throw error;
    await sleep(delay);
    try {
      return await work();
    } catch (next) {
      error = next;
    }
  }
};
