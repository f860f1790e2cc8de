/**
 * Maps an error thrown by a kafkajs producer to {@link ProduceTransientError} or
 * {@link ProducePermanentError}. The kafkajs `retriable` flag decides, with corrections where
 * the flag says the wrong thing for a caller that sends again later:
 *
 * - `KafkaJSNumberOfRetriesExceeded` is flagged non-retriable, but kafkajs only raises it
 *   when the last cause was retriable: transient.
 * - `KafkaJSNonRetriableError` wrapping a cause (kafkajs' retrier does this): the cause decides.
 * - Timeouts and broker lookups (`KafkaJSTimeout`, `KafkaJSLockTimeout`, ...) are flagged
 *   non-retriable but pass with time: transient.
 * - SASL authentication failures: an expired or not yet valid IAM token, or credentials
 *   being rotated, heal on their own; a missing permission shows as an authorization error.
 * - Producer-state protocol errors (`OUT_OF_ORDER_SEQUENCE_NUMBER`, `UNKNOWN_PRODUCER_ID`,
 *   `INVALID_PRODUCER_EPOCH`): a fresh producer id cures them, and the producer takes a fresh
 *   one after every failed send, so they are transient.
 * - `TypeError`, `RangeError`, ... (kafkajs' own "unrecoverable" set): permanent.
 * - Anything else unknown: transient, as everywhere in this system (retrying is safe).
 *
 * {@link isMessageRefusal} tells, of the permanent errors, the broker's refusals for what a
 * message is (its size, its bytes) from those about the cluster (authorization, a missing
 * topic); {@link MessageRefusedError} is a send's error once the producer found the one
 * message refused.
 *
 * @example
 * ```ts
 * toProduceError(new KafkaJSConnectionError("Connection error: ECONNREFUSED"), 0);
 * // ProduceTransientError { kafkaError: "KafkaJSConnectionError", firstUnacknowledged: 0 }
 * ```
 */
import {
  isProduceError,
  type ProduceError,
  type ProduceFailure,
  ProducePermanentError,
  ProduceTransientError,
} from "./errors";
import type { Acknowledgement } from "./outgoing-message";

const TRANSIENT_ERROR_NAMES = new Set([
  "KafkaJSNumberOfRetriesExceeded",
  "KafkaJSConnectionError",
  "KafkaJSConnectionClosedError",
  "KafkaJSRequestTimeoutError",
  "KafkaJSTimeout",
  "KafkaJSLockTimeout",
  "KafkaJSBrokerNotFound",
  "KafkaJSNoBrokerAvailableError",
  "KafkaJSMetadataNotLoaded",
  "KafkaJSTopicMetadataNotLoaded",
  "KafkaJSStaleTopicMetadataAssignment",
  "KafkaJSSASLAuthenticationError",
]);

const PRODUCER_STATE_ERROR_TYPES = new Set([
  "OUT_OF_ORDER_SEQUENCE_NUMBER",
  "UNKNOWN_PRODUCER_ID",
  "INVALID_PRODUCER_EPOCH",
  "INVALID_PRODUCER_ID_MAPPING",
]);

const UNRECOVERABLE_ERROR_NAMES = new Set([
  "TypeError",
  "RangeError",
  "ReferenceError",
  "SyntaxError",
]);

interface KafkaJSErrorFields {
  readonly retriable?: unknown;
  readonly type?: unknown;
}

const fieldsOf = (error: Error): KafkaJSErrorFields => error as KafkaJSErrorFields;

const causeOf = (error: Error): Error | undefined =>
  error.cause instanceof Error && error.cause !== error ? error.cause : undefined;

/** The error and its causes, outermost first; bounded, as causes could form a cycle. */
const causeChain = (error: unknown): Error[] => {
  const chain: Error[] = [];
  for (let current = error; current instanceof Error && chain.length < 8; ) {
    chain.push(current);
    current = causeOf(current);
  }
  return chain;
};

/**
 * The class names along the cause chain, e.g. ["KafkaJSNonRetriableError",
 * "KafkaJSConnectionError"]: kafkajs wraps errors in retry layers, and the outer name alone
 * says little about what happened.
 */
const causeNames = (error: unknown): string[] => {
  const names: string[] = [];
  for (const { name } of causeChain(error)) if (names.at(-1) !== name) names.push(name);
  return names.length > 0 ? names : [typeof error];
};

/** The protocol error type (e.g. "MESSAGE_TOO_LARGE") of the error or its nearest cause. */
export const kafkaErrorType = (error: unknown): string | undefined => {
  for (const current of causeChain(error)) {
    const { type } = fieldsOf(current);
    if (typeof type === "string") return type;
  }
  return undefined;
};

/** True when sending the same messages again later may succeed. */
export const isTransientKafkaError = (error: unknown): boolean => {
  for (const current of causeChain(error)) {
    const { retriable, type } = fieldsOf(current);
    if (typeof type === "string" && PRODUCER_STATE_ERROR_TYPES.has(type)) return true;
    if (TRANSIENT_ERROR_NAMES.has(current.name)) return true;
    if (UNRECOVERABLE_ERROR_NAMES.has(current.name)) return false;
    const wrapsCause =
      current.name === "KafkaJSNonRetriableError" && causeOf(current) !== undefined;
    if (!wrapsCause) return typeof retriable === "boolean" ? retriable : true;
  }
  return true;
};

/**
 * The typed error for a failed send; `firstUnacknowledged` is the index of the first message
 * of the send that the broker did not acknowledge. Produce errors pass through unchanged.
 */
export const toProduceError = (error: unknown, firstUnacknowledged: number): ProduceError => {
  if (isProduceError(error)) return error;
  const kafkaError = error instanceof Error ? error.name : typeof error;
  const detail = error instanceof Error ? error.message : String(error);
  const failure = { firstUnacknowledged, kafkaError, kafkaErrorType: kafkaErrorType(error) };
  const type = failure.kafkaErrorType === undefined ? "" : ` ${failure.kafkaErrorType}`;
  const message = `Kafka send failed (${causeNames(error).join(" <- ")}${type}): ${detail}`;
  return isTransientKafkaError(error)
    ? new ProduceTransientError(message, failure, { cause: error })
    : new ProducePermanentError(message, failure, { cause: error });
};

/**
 * Protocol errors by which the broker refuses a partition's batch for what its messages are
 * (their size, their bytes), not for the state of the cluster or of the producer. The same
 * batch can never succeed, but a part of it may: the broker judges each partition's batch on
 * its own and writes the others of the request.
 */
const MESSAGE_REFUSAL_TYPES: ReadonlySet<string> = new Set([
  "MESSAGE_TOO_LARGE",
  "RECORD_LIST_TOO_LARGE",
  "INVALID_RECORD",
  "CORRUPT_MESSAGE",
]);

/**
 * True when the broker refused a batch for what its messages are, for good: a kafkajs error
 * or a {@link ProducePermanentError} with one of those protocol types. A transient error of
 * such a type (kafkajs flags `CORRUPT_MESSAGE` retriable, as bytes may break on the way) is
 * no refusal.
 *
 * @example
 * ```ts
 * isMessageRefusal(new KafkaJSProtocolError({ type: "MESSAGE_TOO_LARGE", retriable: false })); // true
 * ```
 */
export const isMessageRefusal = (error: unknown): boolean => {
  if (isProduceError(error)) {
    return (
      error instanceof ProducePermanentError &&
      MESSAGE_REFUSAL_TYPES.has(error.kafkaErrorType ?? "")
    );
  }
  return !isTransientKafkaError(error) && MESSAGE_REFUSAL_TYPES.has(kafkaErrorType(error) ?? "");
};

/**
 * The broker refused one message of a send for what it is, in a request of its own, so it
 * can never be written. `firstUnacknowledged` is its index, and every message before it was
 * acknowledged. `acknowledgements` holds, for every message of the send, its acknowledgement
 * or `undefined`: messages after the refused one, in other partitions, may have been
 * acknowledged too, and sending them again would write them twice. It keeps the `name` of
 * its base class, which is what a parked item records as its error class.
 *
 * @example
 * ```ts
 * if (error instanceof MessageRefusedError) park(messages[error.firstUnacknowledged]);
 * ```
 */
export class MessageRefusedError extends ProducePermanentError {
  readonly acknowledgements: readonly (Acknowledgement | undefined)[];

  constructor(
    message: string,
    failure: ProduceFailure,
    acknowledgements: readonly (Acknowledgement | undefined)[],
    options?: ErrorOptions,
  ) {
    super(message, failure, options);
    this.acknowledgements = acknowledgements;
  }
}
