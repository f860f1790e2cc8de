/**
 * The consumer's settings from the environment, parsed once at cold start. `CONSUMER_MODE`
 * has no default on purpose: a consumer that answers a partial batch response to an
 * on-demand mapping loses the records it names, so the wiring states the mode explicitly
 * (derived from the mapping's mode).
 */
import * as z from "zod/mini";
import { parseEnvironment, wholeNumber } from "../config";
import { CONSUMER_MODES, DEFAULT_CONSUMER_SETTINGS } from "./constants";
import type { RetryPolicy } from "./retry-backoff";
import type { ConsumerMode } from "./types";

/**
 * How a consumer runs: its mapping's mode, its dead-letter topic, how many keys at once, how
 * it retries, the time it keeps back at the end of an invocation, and the bounds that end
 * transient failures (see docs/consumers.md, "Transient failures have an end").
 *
 * @example
 * ```ts
 * const settings: ConsumerSettings = {
 *   mode: "provisioned", deadLetterTopic: "order-events.dlq", concurrency: 16,
 *   retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 }, timeMarginMs: 8_000,
 *   transientMaxAgeSeconds: 18_000, failedBatchMinMs: 2_160,
 * };
 * ```
 */
export interface ConsumerSettings {
  readonly mode: ConsumerMode;
  /** Where poison records go (see docs/architecture.md, Dead-letter record). */
  readonly deadLetterTopic: string;
  readonly concurrency: number;
  readonly retry: RetryPolicy;
  readonly timeMarginMs: number;
  /** A record older than this whose effect fails transiently is dead-lettered. */
  readonly transientMaxAgeSeconds: number;
  /** The least time an invocation that leaves records for Lambda takes before answering. */
  readonly failedBatchMinMs: number;
}

const consumerEnvironment = z.pipe(
  z.object({
    CONSUMER_MODE: z.enum(CONSUMER_MODES),
    DEAD_LETTER_TOPIC: z.string().check(z.minLength(1)),
    CONSUMER_CONCURRENCY: wholeNumber({
      min: 1,
      max: 1_000,
      fallback: DEFAULT_CONSUMER_SETTINGS.concurrency,
    }),
    CONSUMER_RETRY_ATTEMPTS: wholeNumber({
      min: 1,
      max: 20,
      fallback: DEFAULT_CONSUMER_SETTINGS.retryAttempts,
    }),
    CONSUMER_RETRY_BASE_DELAY_MS: wholeNumber({
      min: 0,
      max: 60_000,
      fallback: DEFAULT_CONSUMER_SETTINGS.retryBaseDelayMs,
    }),
    CONSUMER_RETRY_MAX_DELAY_MS: wholeNumber({
      min: 0,
      max: 300_000,
      fallback: DEFAULT_CONSUMER_SETTINGS.retryMaxDelayMs,
    }),
    CONSUMER_TIME_MARGIN_MS: wholeNumber({
      min: 0,
      max: 900_000,
      fallback: DEFAULT_CONSUMER_SETTINGS.timeMarginMs,
    }),
    // The range of Lambda's own maximum record age: 60 s to 7 days.
    CONSUMER_TRANSIENT_MAX_AGE_SECONDS: wholeNumber({
      min: 60,
      max: 7 * 24 * 3600,
      fallback: DEFAULT_CONSUMER_SETTINGS.transientMaxAgeSeconds,
    }),
    CONSUMER_FAILED_BATCH_MIN_MS: wholeNumber({
      min: 0,
      max: 60_000,
      fallback: DEFAULT_CONSUMER_SETTINGS.failedBatchMinMs,
    }),
  }),
  z.transform(
    (env): ConsumerSettings => ({
      mode: env.CONSUMER_MODE,
      deadLetterTopic: env.DEAD_LETTER_TOPIC,
      concurrency: env.CONSUMER_CONCURRENCY,
      retry: {
        attempts: env.CONSUMER_RETRY_ATTEMPTS,
        baseDelayMs: env.CONSUMER_RETRY_BASE_DELAY_MS,
        maxDelayMs: env.CONSUMER_RETRY_MAX_DELAY_MS,
      },
      timeMarginMs: env.CONSUMER_TIME_MARGIN_MS,
      transientMaxAgeSeconds: env.CONSUMER_TRANSIENT_MAX_AGE_SECONDS,
      failedBatchMinMs: env.CONSUMER_FAILED_BATCH_MIN_MS,
    }),
  ),
);

/**
 * Parses the consumer settings; throws `ConfigurationError` naming every bad variable.
 *
 * @example
 * ```ts
 * const settings = readConsumerSettings(process.env);
 * // { mode: "provisioned", deadLetterTopic: "order-events.dlq", concurrency: 16, retry: {...},
 * //   timeMarginMs: 8000, transientMaxAgeSeconds: 18000, failedBatchMinMs: 0 }
 * ```
 */
export const readConsumerSettings = (
  environment: Readonly<Record<string, string | undefined>>,
): ConsumerSettings => parseEnvironment(consumerEnvironment, environment);
