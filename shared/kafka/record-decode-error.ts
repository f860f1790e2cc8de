/**
 * Why a Kafka record could not become a typed event, with where the record came from.
 * Permanent: the same bytes will never decode.
 *
 * - `undecodable`: no value (tombstone), not UTF-8, or not JSON;
 * - `invalid`: JSON that breaks the envelope or its type's contract, or that made reading it
 *   throw an error no contract means to raise (`unexpected`: most likely a bug in a
 *   refinement or an upcaster; reading is pure, so retrying the same bytes fails the same way);
 * - `unknown-type`: a valid envelope whose `event_type` no contract knows.
 */
import { PermanentError } from "../errors";
import type { KafkaRecordOrigin } from "./kafka-record";

/**
 * Why a record is no event: see the kinds above.
 *
 * @example
 * ```ts
 * const kind: RecordDecodeFailure = "undecodable";
 * ```
 */
export type RecordDecodeFailure = "undecodable" | "invalid" | "unknown-type";

/**
 * A record that cannot become a typed event, naming where it came from and why.
 *
 * @example
 * ```ts
 * if (outcome.status === "failed") log.warn(outcome.error.message, { kind: outcome.error.kind });
 * ```
 */
export class RecordDecodeError extends PermanentError {
  override readonly name = "RecordDecodeError";

  /** Reading threw an error no contract means to raise, rather than naming what is wrong. */
  readonly unexpected: boolean;

  constructor(
    readonly kind: RecordDecodeFailure,
    readonly origin: Pick<KafkaRecordOrigin, "topic" | "partition" | "offset">,
    detail: string,
    options?: { readonly cause?: unknown; readonly unexpected?: boolean },
  ) {
    super(`${origin.topic}-${origin.partition}@${origin.offset} is ${kind}: ${detail}`, {
      cause: options?.cause,
    });
    this.unexpected = options?.unexpected ?? false;
  }
}
