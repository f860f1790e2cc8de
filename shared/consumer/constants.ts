/**
 * Defaults and names of the Kafka consumer: how many keys run at once, how transient failures
 * are retried within one invocation, and how much of the invocation's time is kept back for
 * publishing dead letters and answering Lambda.
 */

/**
 * How the function's event source mapping treats a failed batch (see docs/architecture.md,
 * Lambda event sources): provisioned mode honours partial batch responses; on-demand mode
 * retries the whole batch on an error.
 *
 * @example
 * ```ts
 * CONSUMER_MODES; // ["provisioned", "on-demand"]
 * ```
 */
export const CONSUMER_MODES = ["provisioned", "on-demand"] as const;

/**
 * The consumer settings that have defaults (`readConsumerSettings` reads each from the
 * environment when set there).
 *
 * @example
 * ```ts
 * DEFAULT_CONSUMER_SETTINGS.concurrency; // 16
 * ```
 */
export const DEFAULT_CONSUMER_SETTINGS = {
  /** Keys processed at the same time; one key's records always run one after another. */
  concurrency: 16,
  /** Attempts per record in one invocation, the first included. */
  retryAttempts: 3,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 2_000,
  /**
   * No record starts once less than this remains of the invocation: room for the records
   * still running (one read-model request: 2 s to connect, 5 s to answer), the dead-letter
   * send and the response.
   */
  timeMarginMs: 8_000,
  /**
   * A transient failure of a record older than this is dead-lettered as `transient-exhausted`
   * rather than left for Lambda (5 h): in on-demand mode nothing else ends it before the
   * topic's retention (7 days). The wiring derives it from the mapping (see
   * `consumerBoundsOf`).
   */
  transientMaxAgeSeconds: 5 * 3600,
  /** The least time an invocation that leaves records for Lambda takes; none by default. */
  failedBatchMinMs: 0,
} as const;

/**
 * The environment variables of the bounds the wiring derives from a consumer's mapping (see
 * `consumerBoundsOf`).
 *
 * @example
 * ```ts
 * env[CONSUMER_BOUND_VARIABLE.transientMaxAgeSeconds]; // "18000"
 * ```
 */
export const CONSUMER_BOUND_VARIABLE = {
  transientMaxAgeSeconds: "CONSUMER_TRANSIENT_MAX_AGE_SECONDS",
  failedBatchMinMs: "CONSUMER_FAILED_BATCH_MIN_MS",
} as const;

/**
 * The consumer's metrics beyond the ones every function reports (`METRIC`): dead letters of
 * records given up on for their age, and dead letters sent without their record's content.
 *
 * @example
 * ```ts
 * metrics.addMetric(CONSUMER_METRIC.recordsTransientExhausted, MetricUnit.Count, 1);
 * ```
 */
export const CONSUMER_METRIC = {
  /** Records dead-lettered as `transient-exhausted` (also in `RecordsDeadLettered`). */
  recordsTransientExhausted: "RecordsTransientExhausted",
  /** Dead letters sent reduced, the full one refused (also in `RecordsDeadLettered`). */
  deadLettersReduced: "DeadLettersReduced",
} as const;

/**
 * Kept back from the dead-letter send's time limit, to answer Lambda before the timeout.
 *
 * @example
 * ```ts
 * const timeoutMs = budget.remainingMs() - RESPONSE_RESERVE_MS;
 * ```
 */
export const RESPONSE_RESERVE_MS = 500;

/**
 * The span operation of every consumed record: spans are named "process <topic>".
 *
 * @example
 * ```ts
 * await withRecordSpan(record, RECORD_SPAN_OPERATION, work);
 * ```
 */
export const RECORD_SPAN_OPERATION = "process";
