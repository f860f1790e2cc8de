/**
 * The two kinds of failure every part of the system distinguishes, as types.
 *
 * A {@link PermanentError} can never succeed on retry (bad input, broken contract, a business
 * rule): the record goes to a dead-letter place with its reason. A {@link TransientError} may
 * succeed later (throttling, timeouts, a broker away): it is retried, and dead-lettered only
 * when retries are exhausted.
 *
 * @example
 * ```ts
 * try {
 *   await apply(event);
 * } catch (error) {
 *   if (isPermanent(error)) await deadLetter(record, error);
 *   else throw error; // retried
 * }
 * ```
 */

/**
 * A failure no retry can fix: the record goes to a dead-letter place with its reason.
 *
 * @example
 * ```ts
 * class OrderNotFoundError extends PermanentError {
 *   override readonly name = "OrderNotFoundError";
 * }
 * ```
 */
export abstract class PermanentError extends Error {
  readonly permanent = true;
}

/**
 * A failure that may pass: the work is retried, and dead-lettered only when retries run out.
 *
 * @example
 * ```ts
 * class TableThrottledError extends TransientError {
 *   override readonly name = "TableThrottledError";
 * }
 * ```
 */
export abstract class TransientError extends Error {
  readonly permanent = false;
}

/** True for errors that no retry can fix. Unknown errors count as transient: retrying is safe. */
export const isPermanent = (error: unknown): error is PermanentError =>
  error instanceof PermanentError;

/**
 * The error's class name and message, for logs and dead-letter records.
 *
 * @example
 * ```ts
 * describeError(new RangeError("too big")); // { errorClass: "RangeError", message: "too big" }
 * describeError("boom"); // { errorClass: "string", message: "boom" }
 * ```
 */
export const describeError = (error: unknown): { errorClass: string; message: string } =>
  error instanceof Error
    ? { errorClass: error.name || error.constructor.name, message: error.message }
    : { errorClass: typeof error, message: String(error) };
