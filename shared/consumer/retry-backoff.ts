/**
 * In-process retries of transient failures: exponential backoff with full jitter (a random
 * delay up to `min(maxDelayMs, baseDelayMs * 2^(n-1))` after the n-th failure, so retries of
 * many records do not arrive together), a bounded number of attempts, and no wait that the
 * caller's time budget cannot afford. A permanent error is never retried.
 */
import { setTimeout as sleepFor } from "node:timers/promises";
import { isPermanent } from "../errors";

/**
 * How often and how long to retry.
 *
 * @example
 * ```ts
 * const policy: RetryPolicy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 };
 * ```
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * What {@link retryTransient} needs besides the work: the policy, the time budget, and
 * (for tests) the clock, the sleep and the randomness.
 *
 * @example
 * ```ts
 * const options: RetryOptions = { policy, canWait: (ms) => budget.canWait(ms) };
 * ```
 */
export interface RetryOptions {
  readonly policy: RetryPolicy;
  /** Whether there is time to wait this long and still try again. */
  readonly canWait: (delayMs: number) => boolean;
  readonly now?: () => Date;
  readonly sleep?: (delayMs: number) => Promise<unknown>;
  /** A number in [0, 1). */
  readonly random?: () => number;
}

/**
 * How the failed attempts of work that was given up on went: what a dead letter tells.
 *
 * @example
 * ```ts
 * const trail: FailureTrail = { attempts: 3, firstFailureAt, lastFailureAt };
 * ```
 */
export interface FailureTrail {
  readonly attempts: number;
  readonly firstFailureAt: Date;
  readonly lastFailureAt: Date;
}

/**
 * The result of work retried by {@link retryTransient}: its value, or the error it was given
 * up on with the trail of its failures.
 *
 * @example
 * ```ts
 * if (result.ok) use(result.value);
 * else deadLetter(result.error, result.trail.attempts);
 * ```
 */
export type RetryResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown; readonly trail: FailureTrail };

/**
 * The wait after the `failedAttempts`-th failure: full jitter over an exponential cap.
 *
 * @example
 * ```ts
 * backoffDelayMs(2, { baseDelayMs: 100, maxDelayMs: 2_000 }); // somewhere in [0, 200)
 * ```
 */
export const backoffDelayMs = (
  failedAttempts: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number = Math.random,
): number => {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
  return Math.floor(random() * cap);
};

/**
 * Runs `work`, and again after each transient failure, with backoff, until it succeeds or
 * retrying cannot help: a permanent error, no attempts left, or no time to wait. Never
 * rejects: a failure it gives up on is its result, with the last error.
 *
 * @example
 * ```ts
 * const result = await retryTransient(() => readModel.apply(event), {
 *   policy: { attempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 },
 *   canWait: (ms) => budget.canWait(ms),
 * });
 * ```
 */
export const retryTransient = async <T>(
  work: () => Promise<T>,
  options: RetryOptions,
): Promise<RetryResult<T>> => {
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? sleepFor;
  let firstFailureAt: Date | undefined;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { ok: true, value: await work() };
    } catch (error) {
      const lastFailureAt = now();
      firstFailureAt ??= lastFailureAt;
      const givenUp = {
        ok: false,
        error,
        trail: { attempts: attempt, firstFailureAt, lastFailureAt },
      } as const;
      if (isPermanent(error) || attempt >= options.policy.attempts) return givenUp;
      const delayMs = backoffDelayMs(attempt, options.policy, options.random);
      if (!options.canWait(delayMs)) return givenUp;
      await sleep(delayMs);
    }
  }
};
