/**
 * When a consumer stops leaving a transiently failing record for Lambda and dead-letters it as
 * `transient-exhausted`: once the record is older than the bound. A Kafka event carries no
 * count of earlier deliveries, so the record's own timestamp is the one clock that survives
 * from one invocation to the next (see docs/consumers.md, "Transient failures have an end").
 *
 * The timestamp is the broker's (`LOG_APPEND_TIME`) or the producer's (`CREATE_TIME`, the
 * default): a producer's clock running ahead delays the bound by as much, one running behind
 * brings it forward. A record without a timestamp (-1, an old message format) has no age to
 * wait for and counts as past the bound: in on-demand mode nothing else would end it.
 */
import type { KafkaRecordOrigin } from "../kafka/kafka-record";

/**
 * How old the record is at `now`, in milliseconds, or undefined when it has no timestamp.
 *
 * @example
 * ```ts
 * recordAgeMs({ timestamp: Date.parse("2026-12-01T00:00:00Z") }, new Date("2026-12-01T01:00:00Z")); // 3_600_000
 * ```
 */
export const recordAgeMs = (
  record: Pick<KafkaRecordOrigin, "timestamp">,
  now: Date,
): number | undefined => (record.timestamp < 0 ? undefined : now.getTime() - record.timestamp);

/**
 * Whether a record that failed transiently at `now` is past the age bound, and so is
 * dead-lettered rather than left for Lambda.
 *
 * @example
 * ```ts
 * if (isPastTransientBound(record, now(), settings.transientMaxAgeSeconds)) deadLetter(record);
 * ```
 */
export const isPastTransientBound = (
  record: Pick<KafkaRecordOrigin, "timestamp">,
  now: Date,
  maxAgeSeconds: number,
): boolean => {
  const ageMs = recordAgeMs(record, now);
  return ageMs === undefined || ageMs > maxAgeSeconds * 1000;
};
