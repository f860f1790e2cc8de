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

export class NotADeadLetterError extends PermanentError {
  override readonly name = "NotADeadLetterError";

  constructor(readonly issues: readonly string[]) {
    super(`Not a dead letter: ${issues.join("; ")}`);
  }
}
