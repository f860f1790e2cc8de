/**
 * Why an event could not be read. All are permanent: retrying the same bytes cannot help.
 *
 * @example
 * ```ts
 * if (error instanceof InvalidEventError) error.issues; // ["data.total: must equal ..."]
 * ```
 */
import { PermanentError } from "../errors";

/** Not valid JSON, or not an object. */
export class MalformedEventError extends PermanentError {
  override readonly name = "MalformedEventError";
}

/** JSON, but the envelope or the payload breaks the contract. */
export class InvalidEventError extends PermanentError {
  override readonly name = "InvalidEventError";

  constructor(readonly issues: readonly string[]) {
    super(`Event breaks its contract: ${issues.join("; ")}`);
  }
}

/** A well-formed envelope whose `event_type` no contract knows. */
export class UnknownEventTypeError extends PermanentError {
  override readonly name = "UnknownEventTypeError";

  constructor(readonly eventType: string) {
    super(`Unknown event type "${eventType}"`);
  }
}
