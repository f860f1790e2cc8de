/**
 * The shapes of dead-lettering: a record that failed (what a function knows when it gives up
 * on a record), the dead letter produced for it, and what reading a dead letter gives back.
 *
 * @example
 * ```ts
 * const failed: FailedRecord = {
 *   record, error, kind: "permanent", functionName: "order-created",
 *   attempts: 1, firstFailureAt: now, lastFailureAt: now,
 * };
 * ```
 */
import type { KafkaRecord, KafkaRecordHeader } from "../kafka/kafka-record";
import type { OutgoingMessage } from "../kafka/outgoing-message";
import type { DeadLetterKind } from "./constants";

/** Why and how a record failed, as carried in a dead letter's metadata headers. */
export interface DeadLetterFailure {
  readonly kind: DeadLetterKind;
  readonly errorClass: string;
  /** Cut to `MAX_ERROR_MESSAGE_LENGTH` characters. */
  readonly errorMessage: string;
  readonly functionName: string;
  readonly attempts: number;
  readonly firstFailureAt: Date;
  readonly lastFailureAt: Date;
  /**
   * Set on a reduced letter only: why the full letter was refused. The letter then carries
   * neither the original value nor its headers (`original.value` is `null` without being a
   * tombstone), and the original must be read from its source topic.
   */
  readonly contentOmitted?: string;
}

/** A record a function gives up on, and why. */
export interface FailedRecord {
  readonly record: KafkaRecord;
  readonly error: unknown;
  readonly kind: DeadLetterKind;
  readonly functionName: string;
  readonly attempts: number;
  readonly firstFailureAt: Date;
  readonly lastFailureAt: Date;
  /**
   * Why the dead-letter topic refused this record's full letter, when it did: the letter is
   * then sent reduced, with the original key and the metadata only.
   */
  readonly contentOmitted?: string;
}

/** The message for `<source topic>.dlq`: the original record's bytes plus `dlq_*` headers. */
export interface DeadLetter extends OutgoingMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** The original headers in their order, then the metadata headers. */
  readonly headers: readonly KafkaRecordHeader[];
}

/** A consumed dead letter taken apart: the record to redrive as it was, and its failure. */
export interface ReadDeadLetter {
  /** The original record: its key, value and headers, and where it came from. */
  readonly original: KafkaRecord;
  readonly failure: DeadLetterFailure;
}
