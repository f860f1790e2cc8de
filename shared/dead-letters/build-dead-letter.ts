/**
 * Builds the dead letter of a failed record (`docs/architecture.md`, "Dead-letter record"),
 * purely: for `<source topic>.dlq`, keyed by the original key, the original value bytes
 * unchanged (a tombstone stays `null`), the original headers unchanged and in order, then the
 * `dlq_*` metadata headers: where the record came from, why it failed, which function gave
 * up, after how many attempts, when. A reduced letter (the dead-letter topic refused the full
 * one) keeps only the key and the metadata, and says why.
 *
 * @example
 * ```ts
 * const deadLetter = buildDeadLetter({
 *   record, error, kind: "permanent", functionName: "order-created",
 *   attempts: 1, firstFailureAt: failedAt, lastFailureAt: failedAt,
 * });
 * deadLetter.topic; // "order-events.dlq"
 * ```
 */
import { describeError } from "../errors";
import type { KafkaRecordHeader } from "../kafka/kafka-record";
import {
  CONTENT_OMITTED_HEADER,
  DEAD_LETTER_HEADER,
  deadLetterTopic,
  MAX_ERROR_MESSAGE_LENGTH,
} from "./constants";
import type { DeadLetter, FailedRecord } from "./types";

const ELLIPSIS = "…";

/**
 * Cuts text to `max` characters, counting code points so no surrogate pair is split. Only the
 * head of a long text is split into code points: `max` of them lie within its first `2 * max`
 * UTF-16 units.
 */
export const truncateText = (text: string, max: number = MAX_ERROR_MESSAGE_LENGTH): string => {
  if (text.length <= max) return text;
  const characters = Array.from(text.slice(0, 2 * max));
  return characters.length <= max && text.length <= 2 * max
    ? text
    : `${characters.slice(0, Math.max(0, max - 1)).join("")}${ELLIPSIS}`;
};

const textHeader = (name: string, value: string): KafkaRecordHeader => ({
  name,
  value: Buffer.from(value, "utf8"),
});

/** The `dlq_*` headers of `failed`: where its record came from, why, who gave up, when. */
const metadataHeaders = (failed: FailedRecord): KafkaRecordHeader[] => {
  const { record } = failed;
  const { errorClass, message } = describeError(failed.error);
  return [
    textHeader(DEAD_LETTER_HEADER.sourceTopic, record.topic),
    textHeader(DEAD_LETTER_HEADER.sourcePartition, String(record.partition)),
    textHeader(DEAD_LETTER_HEADER.sourceOffset, String(record.offset)),
    textHeader(DEAD_LETTER_HEADER.sourceTimestamp, String(record.timestamp)),
    textHeader(DEAD_LETTER_HEADER.sourceTimestampType, record.timestampType),
    textHeader(DEAD_LETTER_HEADER.errorClass, errorClass),
    textHeader(DEAD_LETTER_HEADER.errorMessage, truncateText(message)),
    textHeader(DEAD_LETTER_HEADER.errorKind, failed.kind),
    textHeader(DEAD_LETTER_HEADER.function, failed.functionName),
    textHeader(DEAD_LETTER_HEADER.attempts, String(failed.attempts)),
    textHeader(DEAD_LETTER_HEADER.firstFailureAt, failed.firstFailureAt.toISOString()),
    textHeader(DEAD_LETTER_HEADER.lastFailureAt, failed.lastFailureAt.toISOString()),
  ];
};

/**
 * The dead letter of `failed`: its record's key, value and headers unchanged, then the
 * `dlq_*` metadata headers, for `<source topic>.dlq`. The error message is cut with
 * {@link truncateText}. When `failed.contentOmitted` is set, the letter is reduced: the
 * original key and the metadata only, with `dlq_content_omitted` saying why, so it fits
 * wherever a record of the source topic did.
 *
 * @example
 * ```ts
 * const deadLetter = buildDeadLetter({ record, error, kind: "transient-exhausted",
 *   functionName: "order-created", attempts: 5, firstFailureAt, lastFailureAt: new Date() });
 * headerText(deadLetter, DEAD_LETTER_HEADER.attempts); // "5"
 * ```
 */
export const buildDeadLetter = (failed: FailedRecord): DeadLetter => {
  const { record, contentOmitted } = failed;
  const topic = deadLetterTopic(record.topic);
  if (contentOmitted === undefined) {
    return {
      topic,
      key: record.key,
      value: record.value,
      headers: [...record.headers, ...metadataHeaders(failed)],
    };
  }
  return {
    topic,
    key: record.key,
    value: null,
    headers: [
      ...metadataHeaders(failed),
      textHeader(CONTENT_OMITTED_HEADER, truncateText(contentOmitted)),
    ],
  };
};
