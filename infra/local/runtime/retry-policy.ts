/**
 * What an event source mapping does after a failed invocation, as a pure decision: retry
 * the same records, split them in two (bisect), or give up and send them to the on-failure
 * destination. On-demand Kafka mappings retry until the records expire; provisioned Kafka
 * mappings and stream mappings retry up to their limits, and a stream mapping with unlimited
 * retries (-1) until its records reach their maximum age. See `docs/architecture.md`, section
 * "Lambda event sources".
 *
 * @example
 * ```ts
 * const next = nextStep(policy, { attempts: 3, size: 10, oldestAgeSeconds: 12, hasOnFailureDestination: true });
 * if (next.kind === "bisect") ...
 * ```
 */

/** The retry settings of a mapping (a stream trigger, or a provisioned Kafka mode). */
export interface RetryPolicy {
  /** -1: until the records expire. */
  readonly retryAttempts: number;
  /** -1: no limit. */
  readonly maximumRecordAgeSeconds: number;
  readonly bisectBatchOnError: boolean;
  /**
   * `"dynamodb-stream"` for a stream trigger (the trigger itself is its policy): Lambda caps
   * unlimited retries with an on-failure destination for Kafka mappings only.
   */
  readonly kind?: string;
}

/** The next step after a failed invocation. */
export type RetryStep =
  | { readonly kind: "retry" }
  | { readonly kind: "bisect" }
  | {
      readonly kind: "give-up";
      readonly condition: "RetryAttemptsExhausted" | "RecordAgeExceeded";
    };

/** On-demand Kafka mappings: the whole batch again, until it succeeds or the records expire. */
export const ON_DEMAND_POLICY: RetryPolicy = {
  retryAttempts: -1,
  maximumRecordAgeSeconds: -1,
  bisectBatchOnError: false,
};

/**
 * Lambda caps "infinite" retries of a Kafka mapping at 10 when an on-failure destination is
 * configured; a stream mapping's stay unlimited, ended by the maximum record age.
 */
export const effectiveRetryAttempts = (
  policy: RetryPolicy,
  hasOnFailureDestination: boolean,
): number =>
  policy.retryAttempts === -1 && hasOnFailureDestination && policy.kind !== "dynamodb-stream"
    ? 10
    : policy.retryAttempts;

/** Gives up on expired records first, then after the retry attempts, else bisects or retries. */
export const nextStep = (
  policy: RetryPolicy,
  failed: {
    /** Invocations so far for these records, the first one included. */
    readonly attempts: number;
    readonly size: number;
    readonly oldestAgeSeconds: number;
    readonly hasOnFailureDestination: boolean;
  },
): RetryStep => {
  if (
    policy.maximumRecordAgeSeconds !== -1 &&
    failed.oldestAgeSeconds > policy.maximumRecordAgeSeconds
  ) {
    return { kind: "give-up", condition: "RecordAgeExceeded" };
  }
  const limit = effectiveRetryAttempts(policy, failed.hasOnFailureDestination);
  if (limit !== -1 && failed.attempts > limit) {
    return { kind: "give-up", condition: "RetryAttemptsExhausted" };
  }
  if (policy.bisectBatchOnError && failed.size > 1) return { kind: "bisect" };
  return { kind: "retry" };
};

/** Exponential backoff between retries, capped, so a failing function is not hammered. */
export const retryDelayMs = (attempts: number, initialMs = 100, maxMs = 5_000): number =>
  Math.min(maxMs, initialMs * 2 ** Math.max(0, attempts - 1));
