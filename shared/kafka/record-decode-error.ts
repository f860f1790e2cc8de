/**
 * Why a Kafka record could not become a typed event, with where the record came from.
 * Permanent: the same bytes will never decode.
 *
 * - `undecodable`: no value (tombstone), not UTF-8, or not JSON;
 * - `invalid`: JSON that breaks the envelope or its type's contract;
 * - `unknown-type`: a valid envelope whose `event_type` no contract knows.
 *
 * @example
 * ```ts
 * if (outcome.status === "failed") log.warn(outcome.error.message, { kind: outcome.error.kind });
 * ```
 */
import { PermanentError } from "../errors";
import type { KafkaRecordOrigin } from "./kafka-record";

export type RecordDecodeFailure = "undecodable" | "invalid" | "unknown-type";

export class RecordDecodeError extends PermanentError {
  override readonly name = "RecordDecodeError";

  constructor(
    readonly kind: RecordDecodeFailure,
    readonly origin: Pick<KafkaRecordOrigin, "topic" | "partition" | "offset">,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${origin.topic}-${origin.partition}@${origin.offset} is ${kind}: ${detail}`, options);
  }
}
