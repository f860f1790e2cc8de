/**
 * Names of the dead-letter topic and of the metadata headers a dead letter carries besides
 * the original record's own headers (DESIGN §4.4). One prefix, `dlq_`, so they never collide
 * with event headers and a reader can tell them apart.
 *
 * @example
 * ```ts
 * deadLetterTopic("order-events"); // "order-events.dlq"
 * headerText(record, DEAD_LETTER_HEADER.errorKind); // "permanent"
 * ```
 */

export const DEAD_LETTER_TOPIC_SUFFIX = ".dlq";

/** The dead-letter topic of a source topic. */
export const deadLetterTopic = (sourceTopic: string): string =>
  `${sourceTopic}${DEAD_LETTER_TOPIC_SUFFIX}`;

export const DEAD_LETTER_HEADER_PREFIX = "dlq_";

export const DEAD_LETTER_HEADER = {
  sourceTopic: "dlq_source_topic",
  sourcePartition: "dlq_source_partition",
  sourceOffset: "dlq_source_offset",
  /** Milliseconds since the epoch, as in the record. */
  sourceTimestamp: "dlq_source_timestamp",
  sourceTimestampType: "dlq_source_timestamp_type",
  errorClass: "dlq_error_class",
  errorMessage: "dlq_error_message",
  errorKind: "dlq_error_kind",
  function: "dlq_function",
  attempts: "dlq_attempts",
  /** ISO-8601 UTC. */
  firstFailureAt: "dlq_first_failure_at",
  /** ISO-8601 UTC. */
  lastFailureAt: "dlq_last_failure_at",
} as const;

/**
 * Why a record was dead-lettered: it can never succeed (`permanent`), it kept failing
 * transiently until retries ran out (`transient-exhausted`), or its bytes are not an event at
 * all (`undecodable`).
 */
export const DEAD_LETTER_KINDS = ["permanent", "transient-exhausted", "undecodable"] as const;

export type DeadLetterKind = (typeof DEAD_LETTER_KINDS)[number];

/** Error messages longer than this (in characters) are cut, so headers stay small. */
export const MAX_ERROR_MESSAGE_LENGTH = 1_000;
