/**
 * Dead letters on Kafka: a record a consumer gives up on goes to `<source topic>.dlq` with
 * its bytes unchanged and `dlq_*` metadata headers saying where it came from and why it
 * failed; reading one gives the original back for a redrive. The record's layout:
 * `docs/architecture.md`, "Dead-letter record".
 *
 * @example
 * ```ts
 * await publishDeadLetters(producer, [{ record, error, kind: "permanent",
 *   functionName: "order-created", attempts: 1, firstFailureAt: now, lastFailureAt: now }]);
 * const { original, failure } = readDeadLetter(consumedDeadLetter);
 * await producer.send([redriveMessage(original)]);
 * ```
 */
export { buildDeadLetter, truncateText } from "./build-dead-letter";
export {
  CONTENT_OMITTED_HEADER,
  DEAD_LETTER_HEADER,
  DEAD_LETTER_HEADER_PREFIX,
  DEAD_LETTER_KINDS,
  DEAD_LETTER_TOPIC_SUFFIX,
  type DeadLetterKind,
  deadLetterTopic,
  MAX_ERROR_MESSAGE_LENGTH,
} from "./constants";
export { NotADeadLetterError } from "./errors";
export { type PublishDeadLettersOptions, publishDeadLetters } from "./publish-dead-letters";
export { readDeadLetter, redriveMessage } from "./read-dead-letter";
export type { DeadLetter, DeadLetterFailure, FailedRecord, ReadDeadLetter } from "./types";
