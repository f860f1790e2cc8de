/**
 * The consumer's bounds on transient failures, derived from its event source mapping so that
 * the two are chosen together, in the mapping's declaration (see docs/consumers.md,
 * "Transient failures have an end"):
 *
 * - `transientMaxAgeSeconds`: a record older than this whose effect fails transiently is
 *   dead-lettered as `transient-exhausted`. Provisioned: five sixths of the mapping's maximum
 *   record age (5 h of 6 h), so the consumer's bound comes first and the last sixth leaves
 *   room for the invocations after a record crosses it. On-demand (no record age): 5 h, well
 *   below the topic's retention.
 * - `failedBatchMinMs`: the least time an invocation that leaves records for Lambda takes.
 *   Lambda may retry at once (nothing documents a delay), so without it a fast failure could
 *   use up the retry attempts in minutes; with it they last at least as long as the maximum
 *   record age, and cannot run out before the consumer's bound either.
 *
 * A provisioned mapping here always has an on-failure destination, with which Lambda turns
 * "infinite" retries (-1) into 10.
 */
import { CONSUMER_BOUND_VARIABLE, DEFAULT_CONSUMER_SETTINGS } from "./constants";

/**
 * What the bounds depend on in a mapping's mode: the declaration's `KafkaMappingMode` fits.
 *
 * @example
 * ```ts
 * const mode: ConsumerMappingMode = { kind: "provisioned", retryAttempts: 10_000, maximumRecordAgeSeconds: 21_600 };
 * ```
 */
export type ConsumerMappingMode =
  | { readonly kind: "on-demand" }
  | {
      readonly kind: "provisioned";
      /** -1: "infinite", which Lambda caps at 10 with an on-failure destination. */
      readonly retryAttempts: number;
      /** -1: no limit. */
      readonly maximumRecordAgeSeconds: number;
    };

/**
 * The consumer's bounds for one mapping.
 *
 * @example
 * ```ts
 * const bounds: ConsumerBounds = { transientMaxAgeSeconds: 18_000, failedBatchMinMs: 2_160 };
 * ```
 */
export interface ConsumerBounds {
  readonly transientMaxAgeSeconds: number;
  readonly failedBatchMinMs: number;
}

/** The retries Lambda applies to a Kafka mapping with -1 and an on-failure destination. */
export const KAFKA_CAPPED_RETRY_ATTEMPTS = 10;

/** The consumer's share of the mapping's maximum record age. */
const BOUND_SHARE = 5 / 6;

/** What `CONSUMER_TRANSIENT_MAX_AGE_SECONDS` and `CONSUMER_FAILED_BATCH_MIN_MS` accept. */
const MIN_TRANSIENT_MAX_AGE_SECONDS = 60;
const MAX_FAILED_BATCH_MIN_MS = 60_000;

/**
 * The bounds of a consumer whose mapping runs in `mode`.
 *
 * @example
 * ```ts
 * consumerBoundsOf({ kind: "provisioned", retryAttempts: 10_000, maximumRecordAgeSeconds: 21_600 });
 * // { transientMaxAgeSeconds: 18_000, failedBatchMinMs: 2_160 }
 * consumerBoundsOf({ kind: "on-demand" }); // { transientMaxAgeSeconds: 18_000, failedBatchMinMs: 0 }
 * ```
 */
export const consumerBoundsOf = (mode: ConsumerMappingMode): ConsumerBounds => {
  const fallback = DEFAULT_CONSUMER_SETTINGS.transientMaxAgeSeconds;
  if (mode.kind === "on-demand") return { transientMaxAgeSeconds: fallback, failedBatchMinMs: 0 };
  const age = mode.maximumRecordAgeSeconds;
  const transientMaxAgeSeconds =
    age === -1 ? fallback : Math.max(MIN_TRANSIENT_MAX_AGE_SECONDS, Math.floor(age * BOUND_SHARE));
  // Without a record age of its own, Lambda's retries must outlast the consumer's bound by
  // the same share.
  const lambdaAgeSeconds = age === -1 ? Math.ceil(transientMaxAgeSeconds / BOUND_SHARE) : age;
  const retries = mode.retryAttempts === -1 ? KAFKA_CAPPED_RETRY_ATTEMPTS : mode.retryAttempts;
  const neededMs =
    retries <= 0 ? MAX_FAILED_BATCH_MIN_MS : Math.ceil((lambdaAgeSeconds * 1000) / retries);
  return { transientMaxAgeSeconds, failedBatchMinMs: Math.min(MAX_FAILED_BATCH_MIN_MS, neededMs) };
};

/**
 * The bounds of {@link consumerBoundsOf} as the consumer's environment variables.
 *
 * @example
 * ```ts
 * consumerBoundsEnvironment({ kind: "on-demand" });
 * // { CONSUMER_TRANSIENT_MAX_AGE_SECONDS: "18000", CONSUMER_FAILED_BATCH_MIN_MS: "0" }
 * ```
 */
export const consumerBoundsEnvironment = (mode: ConsumerMappingMode): Record<string, string> => {
  const bounds = consumerBoundsOf(mode);
  return {
    [CONSUMER_BOUND_VARIABLE.transientMaxAgeSeconds]: String(bounds.transientMaxAgeSeconds),
    [CONSUMER_BOUND_VARIABLE.failedBatchMinMs]: String(bounds.failedBatchMinMs),
  };
};
