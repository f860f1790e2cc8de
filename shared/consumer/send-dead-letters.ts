/**
 * Sends a batch's dead letters in one send, within the time the invocation has left. A send
 * that fails or runs out of time reports how many leading dead letters the broker
 * acknowledged; the caller keeps the others as not done, so no record is ever lost.
 *
 * A send given up on when the time is out keeps running in the producer, whose own deadline
 * is later. kafkajs rewinds a partition's sequence numbers when such a request times out,
 * even if the broker wrote it; the next invocation's letter for that partition could then
 * take the same number and be acknowledged as a duplicate of the abandoned one: counted as
 * dead-lettered, and nowhere. So a send given up on retires its producer
 * (`abandonSends`): the next send goes out under a new producer id.
 */
import { publishDeadLetters } from "../dead-letters/publish-dead-letters";
import type { FailedRecord } from "../dead-letters/types";
import { isProduceError } from "../kafka/errors";
import type { AbandonableSender } from "../kafka/kafka-producer";
import type { MessageSender } from "../kafka/outgoing-message";
import { DeadLetterSendTimeoutError } from "./errors";

/**
 * How a dead-letter send went: the leading letters acknowledged, and why the rest were not.
 *
 * @example
 * ```ts
 * const result: DeadLetterSendResult = { sent: 1, error: new DeadLetterSendTimeoutError(4_000) };
 * ```
 */
export interface DeadLetterSendResult {
  /** Leading dead letters the broker acknowledged. */
  readonly sent: number;
  /** Why the others were not sent. */
  readonly error?: unknown;
}

/**
 * Sends the dead letters of `failed` to `topic` in one send, giving up after `timeoutMs`.
 * Never rejects: a failure is in the result.
 *
 * @example
 * ```ts
 * const { sent, error } = await sendDeadLettersWithin(producer, failed, { topic, timeoutMs: 4_000 });
 * const unsent = failed.slice(sent);
 * ```
 */
export const sendDeadLettersWithin = async (
  sender: MessageSender | AbandonableSender,
  failed: readonly FailedRecord[],
  options: { readonly topic: string; readonly timeoutMs: number },
): Promise<DeadLetterSendResult> => {
  if (failed.length === 0) return { sent: 0 };
  const timeoutMs = Math.max(0, options.timeoutMs);
  let sending: Promise<unknown>;
  try {
    sending = publishDeadLetters(sender, failed, { topic: options.topic });
  } catch (error) {
    // A letter could not be built: none was sent, and every record stays not done.
    return { sent: 0, error };
  }
  // Past the deadline the send may still settle; its outcome no longer matters then.
  sending.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      // Given up on, the send runs on: its producer id must not serve the next send.
      if ("abandonSends" in sender) sender.abandonSends();
      reject(new DeadLetterSendTimeoutError(timeoutMs));
    }, timeoutMs);
  });
  try {
    await Promise.race([sending, expired]);
    return { sent: failed.length };
  } catch (error) {
    return { sent: isProduceError(error) ? error.firstUnacknowledged : 0, error };
  } finally {
    clearTimeout(timer);
  }
};
