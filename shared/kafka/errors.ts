/**
 * Why a send to Kafka failed, as types: {@link ProduceTransientError} may succeed when sent
 * again (broker away, timeouts, leader elections, retries exhausted on such causes);
 * {@link ProducePermanentError} never will (message too large, not authorized for the topic,
 * invalid record). Both keep the kafkajs error as `cause` and say which messages are safe
 * to consider delivered: every message before `firstUnacknowledged` was acknowledged by the
 * broker (acks = all); from there on nothing is known, some may have been written.
 *
 * @example
 * ```ts
 * try {
 *   await producer.send(messages);
 * } catch (error) {
 *   if (error instanceof ProduceTransientError) retryFrom(error.firstUnacknowledged);
 *   else throw error;
 * }
 * ```
 */
import { PermanentError, TransientError } from "../errors";

/**
 * What a failed send tells of itself: how far the broker acknowledged, and the kafkajs and
 * protocol errors behind it.
 *
 * @example
 * ```ts
 * const failure: ProduceFailure = { firstUnacknowledged: 2, kafkaError: "KafkaJSConnectionError", kafkaErrorType: undefined };
 * ```
 */
export interface ProduceFailure {
  /** Index of the first message not acknowledged; all before it were. */
  readonly firstUnacknowledged: number;
  /** The kafkajs error's class name, e.g. "KafkaJSNumberOfRetriesExceeded"; none for a deadline. */
  readonly kafkaError: string | undefined;
  /** The Kafka protocol error found in the error or its causes, e.g. "MESSAGE_TOO_LARGE". */
  readonly kafkaErrorType: string | undefined;
}

/**
 * A send that failed but may succeed when sent again (broker away, timeouts, leader
 * elections, retries exhausted on such causes).
 *
 * @example
 * ```ts
 * if (error instanceof ProduceTransientError) retryFrom(error.firstUnacknowledged);
 * ```
 */
export class ProduceTransientError extends TransientError implements ProduceFailure {
  override readonly name: string = "ProduceTransientError";
  readonly firstUnacknowledged: number;
  readonly kafkaError: string | undefined;
  readonly kafkaErrorType: string | undefined;

  constructor(message: string, failure: ProduceFailure, options?: ErrorOptions) {
    super(message, options);
    this.firstUnacknowledged = failure.firstUnacknowledged;
    this.kafkaError = failure.kafkaError;
    this.kafkaErrorType = failure.kafkaErrorType;
  }
}

/**
 * The send's overall deadline passed; kafkajs may still be retrying in the background.
 *
 * @example
 * ```ts
 * throw new ProduceTimeoutError(settings.sendTimeoutMs, firstUnacknowledged);
 * ```
 */
export class ProduceTimeoutError extends ProduceTransientError {
  override readonly name: string = "ProduceTimeoutError";

  constructor(
    readonly timeoutMs: number,
    firstUnacknowledged: number,
  ) {
    super(`Kafka send did not complete within ${timeoutMs} ms`, {
      firstUnacknowledged,
      kafkaError: undefined,
      kafkaErrorType: undefined,
    });
  }
}

/**
 * A send that will never succeed (message too large, not authorized for the topic, invalid
 * record).
 *
 * @example
 * ```ts
 * if (error instanceof ProducePermanentError) deadLetter(messages.slice(error.firstUnacknowledged));
 * ```
 */
export class ProducePermanentError extends PermanentError implements ProduceFailure {
  override readonly name: string = "ProducePermanentError";
  readonly firstUnacknowledged: number;
  readonly kafkaError: string | undefined;
  readonly kafkaErrorType: string | undefined;

  constructor(message: string, failure: ProduceFailure, options?: ErrorOptions) {
    super(message, options);
    this.firstUnacknowledged = failure.firstUnacknowledged;
    this.kafkaError = failure.kafkaError;
    this.kafkaErrorType = failure.kafkaErrorType;
  }
}

/**
 * Any failure of a send, as typed errors.
 *
 * @example
 * ```ts
 * const sent = isProduceError(error) ? error.firstUnacknowledged : 0;
 * ```
 */
export type ProduceError = ProduceTransientError | ProducePermanentError;

/**
 * Whether `error` is a typed send failure, with `firstUnacknowledged` to go on from.
 *
 * @example
 * ```ts
 * if (isProduceError(error)) return { sent: error.firstUnacknowledged, error };
 * ```
 */
export const isProduceError = (error: unknown): error is ProduceError =>
  error instanceof ProduceTransientError || error instanceof ProducePermanentError;
