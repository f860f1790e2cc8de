/**
 * Sends the dead letters of failed records through the producer, all in one send (one
 * request when they fit), each to its source topic's `.dlq` topic, or to the one topic a
 * function is configured (and permitted) to write its dead letters to. The report holds one
 * acknowledgement per failed record, in order; a failure is the producer's typed error.
 *
 * @example
 * ```ts
 * const report = await publishDeadLetters(sharedProducer(settings), failedRecords);
 * report.acknowledgements[0]; // { topic: "order-events.dlq", partition: 0, offset: "7" }
 * await publishDeadLetters(producer, failedRecords, { topic: config.DEAD_LETTER_TOPIC });
 * ```
 */
import type { MessageSender, SendReport } from "../kafka/outgoing-message";
import { buildDeadLetter } from "./build-dead-letter";
import type { DeadLetter, FailedRecord } from "./types";

/** Where {@link publishDeadLetters} sends the dead letters. */
export interface PublishDeadLettersOptions {
  /** Where every dead letter goes; defaults to `<source topic>.dlq` per record. */
  readonly topic?: string;
}

/**
 * Builds the dead letter of each failed record and sends them all in one `send`, in order.
 *
 * @throws The producer's `ProduceTransientError` or `ProducePermanentError` when a send fails.
 * @example
 * ```ts
 * const { acknowledgements } = await publishDeadLetters(producer, failedRecords);
 * ```
 */
export const publishDeadLetters = (
  sender: MessageSender,
  failed: readonly FailedRecord[],
  options: PublishDeadLettersOptions = {},
): Promise<SendReport> => {
  const { topic } = options;
  const toTopic = (deadLetter: DeadLetter): DeadLetter =>
    topic === undefined ? deadLetter : { ...deadLetter, topic };
  return sender.send(failed.map((record) => toTopic(buildDeadLetter(record))));
};
