/**
 * Delivers a batch's dead letters, and gives a letter the dead-letter topic refuses for what
 * it is an end of its own. The letters go in one send; when the broker refuses one of them
 * for good (`MessageRefusedError`: too large, an invalid record), that letter is sent again
 * reduced, without the record's value and headers and saying why, together with the letters
 * not acknowledged after it. The same bytes would be refused on every retry, so waiting could
 * only repeat the refusal; the reduced letter names where the original sits (its source topic,
 * partition and offset), which keeps it until the topic's retention.
 *
 * Any other failure of a send (broker away, out of time, not authorized), or a refusal of the
 * reduced letter too, leaves the letters not acknowledged for Lambda with their records, and
 * logs an error: every letter sent lies below the unsent ones of its partition, so Lambda's
 * redelivery never dead-letters a record twice.
 */

import type { FailedRecord } from "../dead-letters/types";
import { describeError } from "../errors";
import { MessageRefusedError } from "../kafka/classify-produce-error";
import { topicPartition } from "../kafka/kafka-record";
import type { MessageSender } from "../kafka/outgoing-message";
import { errorLogKeys, type Logger, recordLogKeys } from "../observability/logger";
import { sendDeadLettersWithin } from "./send-dead-letters";

/**
 * What came of a batch's dead letters.
 *
 * @example
 * ```ts
 * const { sent, reduced, unsent } = await deliverDeadLetters(letters, options);
 * const left = unsent.map(({ record }) => record);
 * ```
 */
export interface DeadLetterDelivery {
  /** Letters the broker acknowledged, the reduced ones included. */
  readonly sent: readonly FailedRecord[];
  /** Of `sent`, the letters sent without their record's value and headers. */
  readonly reduced: readonly FailedRecord[];
  /** Letters not sent: their records are left for Lambda to deliver again. */
  readonly unsent: readonly FailedRecord[];
}

/**
 * Where the letters go and how: the sender, the topic, the time each send may take (asked
 * before each one), and the logger that tells of refusals and failures.
 *
 * @example
 * ```ts
 * const options: DeadLetterDeliveryOptions = {
 *   sender: producer, topic: "order-events.dlq", timeoutMs: () => budget.remainingMs() - 500, logger,
 * };
 * ```
 */
export interface DeadLetterDeliveryOptions {
  readonly sender: MessageSender;
  readonly topic: string;
  readonly timeoutMs: () => number;
  readonly logger: Logger;
}

interface Tally {
  readonly sent: FailedRecord[];
  readonly unsent: FailedRecord[];
}

/** The letter of `letter` without its record's content, saying why the full one was refused. */
const reducedLetter = (letter: FailedRecord, refusal: unknown): FailedRecord => {
  const { errorClass, message } = describeError(refusal);
  return { ...letter, contentOmitted: `${errorClass}: ${message}` };
};

/**
 * Counts what the refused send acknowledged and returns what to send next: the refused letter
 * reduced, then the letters after it not acknowledged. A reduced letter refused again stays
 * unsent, and so do the later letters of its partition, which must not pass it.
 */
const afterRefusal = (
  pending: readonly FailedRecord[],
  refusal: MessageRefusedError,
  tally: Tally,
  logger: Logger,
): FailedRecord[] => {
  const { acknowledgements, firstUnacknowledged: at } = refusal;
  const acknowledged = (index: number) => acknowledgements[index] !== undefined;
  tally.sent.push(...pending.filter((_letter, index) => acknowledged(index)));
  const rest = pending.filter((_letter, index) => index > at && !acknowledged(index));
  const refused = pending[at];
  if (refused === undefined) {
    tally.unsent.push(...rest);
    return [];
  }
  const keys = { ...recordLogKeys(refused.record), ...errorLogKeys(refusal) };
  if (refused.contentOmitted === undefined) {
    logger.error(
      "The dead-letter topic refused a letter; sending it without the record's content",
      keys,
    );
    return [reducedLetter(refused, refusal), ...rest];
  }
  logger.error("The dead-letter topic refused even the reduced letter; left for Lambda", keys);
  const ofItsPartition = ({ record }: FailedRecord) =>
    topicPartition(record) === topicPartition(refused.record);
  tally.unsent.push(refused, ...rest.filter(ofItsPartition));
  return rest.filter((letter) => !ofItsPartition(letter));
};

/**
 * Sends `letters` (in offset order per partition) to `options.topic`, reducing a letter the
 * topic refuses for what it is. Never rejects: what was not sent is in the result.
 *
 * @example
 * ```ts
 * const delivery = await deliverDeadLetters(plan.now, {
 *   sender: producer, topic: settings.deadLetterTopic, timeoutMs: () => budget.remainingMs() - 500, logger,
 * });
 * delivery.sent.length; // letters the broker acknowledged
 * ```
 */
export const deliverDeadLetters = async (
  letters: readonly FailedRecord[],
  options: DeadLetterDeliveryOptions,
): Promise<DeadLetterDelivery> => {
  const tally: Tally = { sent: [], unsent: [] };
  let pending = [...letters];
  while (pending.length > 0) {
    const { topic, timeoutMs } = options;
    const { sent, error } = await sendDeadLettersWithin(options.sender, pending, {
      topic,
      timeoutMs: timeoutMs(),
    });
    if (error instanceof MessageRefusedError) {
      pending = afterRefusal(pending, error, tally, options.logger);
      continue;
    }
    tally.sent.push(...pending.slice(0, sent));
    tally.unsent.push(...pending.slice(sent));
    if (error !== undefined) {
      options.logger.error("Dead letters could not be sent; their records are left for Lambda", {
        unsent: pending.length - sent,
        ...errorLogKeys(error),
      });
    }
    pending = [];
  }
  const reduced = tally.sent.filter((letter) => letter.contentOmitted !== undefined);
  return { ...tally, reduced };
};
