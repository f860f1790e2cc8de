/**
 * Why an event could not be read. All are permanent: retrying the same bytes cannot help.
 */
import { PermanentError } from "../errors";

/**
 * The input is not valid JSON, or not a JSON object.
 *
 * @example
 * ```ts
 * readEvent(contracts, "{not json"); // throws MalformedEventError
 * ```
 */
export class MalformedEventError extends PermanentError {
  override readonly name = "MalformedEventError";
}

/**
 * JSON, but the envelope or the payload breaks the contract; `issues` names each broken field.
 *
 * @example
 * ```ts
 * if (error instanceof InvalidEventError) error.issues; // ["data.total: must equal ..."]
 * ```
 */
export class InvalidEventError extends PermanentError {
  override readonly name = "InvalidEventError";

  constructor(readonly issues: readonly string[]) {
    super(`Event breaks its contract: ${issues.join("; ")}`);
  }
}

/**
 * A well-formed envelope whose `event_type` no contract knows.
 *
 * @example
 * ```ts
 * if (error instanceof UnknownEventTypeError) error.eventType; // "OrderDelivered", a type no contract declares
 * ```
 */
export class UnknownEventTypeError extends PermanentError {
  override readonly name = "UnknownEventTypeError";

  constructor(readonly eventType: string) {
    super(`Unknown event type "${eventType}"`);
  }
}
