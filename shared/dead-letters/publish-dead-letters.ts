/**
 * Sends the dead letters of failed records through the producer, all in one send (one
 * request when they fit), each to its source topic's `.dlq` topic. The report holds one
 * acknowledgement per failed record, in order; a failure is the producer's typed error.
 *
 * @example
 * ```ts
 * const report = await publishDeadLetters(sharedProducer(settings), failedRecords);
 * report.acknowledgements[0]; // { topic: "order-events.dlq", partition: 0, offset: "7" }
 * ```
 */
import type { MessageSender, SendReport } from "../kafka/outgoing-message";
import { buildDeadLetter } from "./build-dead-letter";
import type { FailedRecord } from "./types";

export const publishDeadLetters = (
  sender: MessageSender,
  failed: readonly FailedRecord[],
): Promise<SendReport> => sender.send(failed.map(buildDeadLetter));
