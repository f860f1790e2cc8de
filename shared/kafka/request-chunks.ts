/**
 * Splits the messages of one send into consecutive produce requests of bounded size.
 *
 * kafkajs puts all messages of a partition into one record batch, and the broker rejects a
 * batch above `message.max.bytes` (1 MiB by default, on MSK too) with MESSAGE_TOO_LARGE, a
 * permanent error, even when every message is small. Sending a large backlog (a relay batch
 * of thousands of outbox items) in bounded requests keeps that error for messages that really
 * are too large, and lets a failure report how many leading messages got through.
 *
 * @example
 * ```ts
 * chunkMessages(messages, 900_000); // [[m0, m1, ...], [mk, ...]] in the original order
 * ```
 */
import { estimateMessageBytes, type OutgoingMessage } from "./outgoing-message";

/** Below the broker's default `message.max.bytes` (1,048,588) with room for batch framing. */
export const DEFAULT_MAX_REQUEST_BYTES = 900_000;

/**
 * Consecutive groups of messages, each at most `maxRequestBytes` by estimate; a message larger
 * than that goes alone, so the broker judges it on its own.
 */
export const chunkMessages = <M extends OutgoingMessage>(
  messages: readonly M[],
  maxRequestBytes: number = DEFAULT_MAX_REQUEST_BYTES,
): M[][] => {
  const chunks: M[][] = [];
  let current: M[] = [];
  let currentBytes = 0;
  for (const message of messages) {
    const bytes = estimateMessageBytes(message);
    if (current.length > 0 && currentBytes + bytes > maxRequestBytes) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(message);
    currentBytes += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};
