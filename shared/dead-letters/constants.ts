/**
 * Names of the dead-letter topic and of the metadata headers a dead letter carries besides
 * the original record's own headers (`docs/architecture.md`, "Dead-letter record"). One
 * prefix, `dlq_`, so they never collide with event headers and a reader can tell them apart.
 *
 * @example
 * ```ts
 * deadLetterTopic("order-events"); // "order-events.dlq"
 * headerText(record, DEAD_LETTER_HEADER.errorKind); // "permanent"
 * ```
 */

/** A source topic's dead-letter topic is its name with this suffix. */
export const DEAD_LETTER_TOPIC_SUFFIX = ".dlq";

/** The dead-letter topic of a source topic. */
export const deadLetterTopic = (sourceTopic: string): string =>
  `${sourceTopic}${DEAD_LETTER_TOPIC_SUFFIX}`;

/** Every metadata header's name starts with this; no event header's does. */
export const DEAD_LETTER_HEADER_PREFIX = "dlq_";

/**
 * The metadata headers of a dead letter, by role. Values are UTF-8 text; numbers are in
 * decimal.
 *
 * @example
 * ```ts
 * headerText(deadLetter, DEAD_LETTER_HEADER.sourceOffset); // "41"
 * ```
 */
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
 * The one metadata header of a reduced letter only: why the full letter was refused. Such a
 * letter carries neither the record's value nor its headers; the original is read from its
 * source topic, at the `dlq_source_*` position, while that topic still retains it.
 *
 * @example
 * ```ts
 * headerText(deadLetter, CONTENT_OMITTED_HEADER); // "ProducePermanentError: ... MESSAGE_TOO_LARGE ..."
 * ```
 */
export const CONTENT_OMITTED_HEADER = "dlq_content_omitted";

/**
 * Why a record was dead-lettered: it can never succeed (`permanent`), it kept failing
 * transiently until it was older than the consumer's age bound (`transient-exhausted`), or its
 * bytes are not an event at all (`undecodable`).
 */
export const DEAD_LETTER_KINDS = ["permanent", "transient-exhausted", "undecodable"] as const;

/** One of {@link DEAD_LETTER_KINDS}: the `dlq_error_kind` header's value. */
export type DeadLetterKind = (typeof DEAD_LETTER_KINDS)[number];

/** Error messages longer than this (in characters) are cut, so headers stay small. */
export const MAX_ERROR_MESSAGE_LENGTH = 1_000;
