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

export interface ProduceFailure {
  /** Index of the first message not acknowledged; all before it were. */
  readonly firstUnacknowledged: number;
  /** The kafkajs error's class name, e.g. "KafkaJSNumberOfRetriesExceeded"; none for a deadline. */
  readonly kafkaError: string | undefined;
  /** The Kafka protocol error found in the error or its causes, e.g. "MESSAGE_TOO_LARGE". */
  readonly kafkaErrorType: string | undefined;
}

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

/** The send's overall deadline passed; kafkajs may still be retrying in the background. */
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

export type ProduceError = ProduceTransientError | ProducePermanentError;

export const isProduceError = (error: unknown): error is ProduceError =>
  error instanceof ProduceTransientError || error instanceof ProducePermanentError;
