/**
 * How long the relay waits before it answers Lambda for a batch that failed. Lambda retries a
 * failed stream batch at once, again and again until the records reach the trigger's maximum
 * age, and a DynamoDB stream event carries no attempt count; without a wait, an outage of the
 * cluster would be met with a new invocation every few seconds. The wait doubles with each
 * failed batch in a row, up to a cap, and never runs into the invocation's last moments. The
 * count lives in the execution environment (module scope, created at cold start), which is
 * where the retries of a failing shard land; the first batch that goes resets it.
 * See `docs/outbox-relay.md`, "When the cluster is away".
 *
 * @example
 * ```ts
 * const backoff = exponentialBackoff(RELAY_BACKOFF); // at cold start
 * const waitedMs = await backoff.wait(context.getRemainingTimeInMillis());
 * ```
 */
import { setTimeout as sleepFor } from "node:timers/promises";

/**
 * Waits after failures in a row, longer after each one.
 *
 * @example
 * ```ts
 * const backoff: RetryBackoff = exponentialBackoff({ initialMs: 1_000, maxMs: 30_000, reserveMs: 2_000 });
 * ```
 */
export interface RetryBackoff {
  /**
   * Counts one more failure in a row and waits for it, leaving the reserve of `remainingMs`
   * untouched. Resolves with the milliseconds waited.
   */
  wait(remainingMs: number): Promise<number>;
  /** Something went through: the next failure waits the shortest time again. */
  reset(): void;
}

/**
 * The settings of {@link exponentialBackoff}.
 *
 * @example
 * ```ts
 * const settings: BackoffSettings = { initialMs: 200, maxMs: 800, reserveMs: 100 };
 * ```
 */
export interface BackoffSettings {
  /** The wait after the first failure; it doubles after each further one. */
  readonly initialMs: number;
  /** The longest wait. */
  readonly maxMs: number;
  /** The part of the invocation's remaining time never waited away: to answer, log, flush. */
  readonly reserveMs: number;
  /** How to wait (tests); a timer by default. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The relay's backoff: 1 s after the first failed batch, doubling to 30 s. A failing
 * invocation then lasts its send (at most `KAFKA_SEND_TIMEOUT_MS`, 20 s by default) and the
 * wait, inside the function's 60 s timeout with the reserve to spare.
 */
export const RELAY_BACKOFF: BackoffSettings = { initialMs: 1_000, maxMs: 30_000, reserveMs: 2_000 };

/**
 * A {@link RetryBackoff} that waits `initialMs`, then twice as long after each further failure
 * in a row, up to `maxMs`, and never more than the remaining time less `reserveMs`.
 *
 * @example
 * ```ts
 * const backoff = exponentialBackoff({ initialMs: 1_000, maxMs: 30_000, reserveMs: 2_000 });
 * await backoff.wait(50_000); // 1000
 * await backoff.wait(50_000); // 2000
 * backoff.reset();
 * ```
 */
export const exponentialBackoff = (settings: BackoffSettings): RetryBackoff => {
  const sleep = settings.sleep ?? ((ms: number) => sleepFor(ms));
  let failures = 0;
  return {
    async wait(remainingMs) {
      failures += 1;
      // 2 ** n past the cap is no use, and would overflow to Infinity after enough failures.
      const doubled = settings.initialMs * 2 ** Math.min(failures - 1, 30);
      const ms = Math.max(0, Math.min(doubled, settings.maxMs, remainingMs - settings.reserveMs));
      if (ms > 0) await sleep(ms);
      return ms;
    },
    reset() {
      failures = 0;
    },
  };
};
