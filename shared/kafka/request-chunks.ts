/**
 * Splits the messages of one send into consecutive produce requests of bounded size.
 *
 * kafkajs puts all messages of a partition into one record batch, and the broker rejects a
 * batch above `message.max.bytes` (1 MiB by default, on MSK too) with MESSAGE_TOO_LARGE, a
 * permanent error, even when every message is small. Sending a large backlog (a relay batch
 * of thousands of outbox items) in bounded requests keeps that error for messages that really
 * are too large, and lets a failure report how many leading messages got through.
 *
 * When the broker refuses a request for what a message is, {@link locateRefusedMessage} finds
 * that message by sending parts of the request again.
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

/**
 * The positions of a request's messages, grouped by topic and partition: each group in
 * request order, the groups in the order of their first message.
 *
 * @example
 * ```ts
 * partitionGroups([{ topic: "t", partition: 0 }, { topic: "t", partition: 1 }, { topic: "t", partition: 0 }]);
 * // [[0, 2], [1]]
 * ```
 */
export const partitionGroups = (
  targets: readonly { readonly topic: string; readonly partition?: number | undefined }[],
): number[][] => {
  const groups = new Map<string, number[]>();
  targets.forEach(({ topic, partition }, position) => {
    const key = `${topic}\u0000${partition}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [position]);
    else group.push(position);
  });
  return [...groups.values()];
};

/**
 * A message the broker refused, alone, for what it is: its position in the request, and the
 * broker's error.
 *
 * @example
 * ```ts
 * const refused: RefusedMessage = { position: 3, error };
 * ```
 */
export interface RefusedMessage {
  readonly position: number;
  readonly error: unknown;
}

/** How {@link locateRefusedMessage} sends parts of a request, and what it was refused with. */
export interface RefusedRequest {
  /** Sends the messages at these positions as one request; rejects with the broker's error. */
  readonly send: (positions: readonly number[]) => Promise<void>;
  /** Whether an error is the broker refusing a batch for what its messages are. */
  readonly isRefusal: (error: unknown) => boolean;
  /** The whole request's refusal: a request of one partition need not be sent whole again. */
  readonly refusal: unknown;
}

/**
 * Finds the message a broker refused in a request, when a refusal such as MESSAGE_TOO_LARGE
 * names no partition and no message. The broker judges each partition's batch on its own and
 * writes the others, so each partition's messages are sent again exactly as before (same
 * producer, same messages): the broker takes a batch it already wrote as a duplicate of it,
 * acknowledges it with its first offsets and writes nothing, and the producer's sequence
 * numbers, which kafkajs rewound for the whole request, agree with the broker's again. A
 * refused partition's messages are then split in halves, the first half first, until one
 * message is refused alone. A partition stops at its refused message, so nothing after it in
 * its partition is sent. Any other failure rejects.
 *
 * Returns the first refused message by position, or `undefined` when the parts were all
 * acknowledged (the batches were too large together, never alone).
 *
 * @example
 * ```ts
 * const refused = await locateRefusedMessage(partitionGroups(targets), { send, isRefusal, refusal });
 * ```
 */
export const locateRefusedMessage = async (
  groups: readonly (readonly number[])[],
  request: RefusedRequest,
): Promise<RefusedMessage | undefined> => {
  const known = groups.length === 1 ? { error: request.refusal } : undefined;
  let first: RefusedMessage | undefined;
  for (const group of groups) {
    const found = await settle(group, request, known);
    if (found !== undefined && (first === undefined || found.position < first.position)) {
      first = found;
    }
  }
  return first;
};

/** Sends the positions, or their halves once refused, down to the one message refused. */
const settle = async (
  positions: readonly number[],
  request: RefusedRequest,
  knownRefusal?: { readonly error: unknown },
): Promise<RefusedMessage | undefined> => {
  const refusal = knownRefusal ?? (await refusalOf(positions, request));
  if (refusal === undefined) return undefined;
  const [only] = positions;
  if (positions.length === 1 && only !== undefined) return { position: only, error: refusal.error };
  const half = Math.ceil(positions.length / 2);
  return (
    (await settle(positions.slice(0, half), request)) ?? settle(positions.slice(half), request)
  );
};

const refusalOf = async (
  positions: readonly number[],
  request: RefusedRequest,
): Promise<{ readonly error: unknown } | undefined> => {
  try {
    await request.send(positions);
    return undefined;
  } catch (error) {
    if (request.isRefusal(error)) return { error };
    throw error;
  }
};
