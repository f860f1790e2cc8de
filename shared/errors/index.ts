/**
 * The two kinds of failure every part of the system tells apart, permanent and transient,
 * and how an error is described in logs and dead letters. What each kind leads to:
 * `docs/architecture.md`, "Guarantees".
 *
 * @example
 * ```ts
 * if (isPermanent(error)) await deadLetter(record, describeError(error));
 * else throw error; // retried
 * ```
 */
export { describeError, isPermanent, PermanentError, TransientError } from "./failure-kinds";
