/**
 * The dead-letter kind of a record a consumer gives up on (see docs/architecture.md,
 * Dead-letter record).
 */
import type { DeadLetterKind } from "../dead-letters/constants";
import { RecordDecodeError } from "../kafka/record-decode-error";

/**
 * `undecodable` when the record's bytes are no event at all, `permanent` for everything else
 * that can never succeed (a broken contract, an unknown type, a business rule).
 *
 * @example
 * ```ts
 * deadLetterKindOf(new RecordDecodeError("undecodable", record, "tombstone")); // "undecodable"
 * deadLetterKindOf(new Refused("business rule")); // "permanent"
 * ```
 */
export const deadLetterKindOf = (error: unknown): DeadLetterKind =>
  error instanceof RecordDecodeError && error.kind === "undecodable" ? "undecodable" : "permanent";
