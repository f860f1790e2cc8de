/**
 * A record read as a dead letter that is not one: a metadata header is missing or malformed.
 * Permanent: the same bytes read again cannot grow the missing header.
 *
 * @example
 * ```ts
 * if (error instanceof NotADeadLetterError) error.issues; // ["dlq_source_offset: is missing"]
 * ```
 */
import { PermanentError } from "../errors";

/** A record read as a dead letter lacks a metadata header or has a malformed one. */
export class NotADeadLetterError extends PermanentError {
  override readonly name = "NotADeadLetterError";

  /** @param issues One per bad header, e.g. "dlq_attempts: is missing". */
  constructor(readonly issues: readonly string[]) {
    super(`Not a dead letter: ${issues.join("; ")}`);
  }
}
