/**
 * One dead letter, whichever of the four places holds it, in one shape: where it is, where
 * its record came from, why it failed, and whether it was redriven. `list --json` prints
 * {@link DeadLetterSummary} with these exact field names (`docs/operations.md`).
 *
 * @example
 * ```ts
 * entry.summary.id; // "dlq:order-events.dlq:1:42"
 * entry.summary.kind; // "permanent"
 * ```
 */
import type { DynamoDBRecord } from "aws-lambda";
import type { KafkaRecord } from "../../kafka/kafka-record";

/** The four places a record that could not be applied ends in. */
export const DEAD_LETTER_PLACES = [
  "dlq",
  "on-failure",
  "outbox-poison",
  "stream-aged-out",
] as const;

/** One of {@link DEAD_LETTER_PLACES}. */
export type DeadLetterPlace = (typeof DEAD_LETTER_PLACES)[number];

/** What `list --json` prints per line; every field is always present (`null` when unknown). */
export interface DeadLetterSummary {
  /** Stable: `<place>:<topic>:<partition>:<offset>` on Kafka, `<place>:<s3 key>` in S3. */
  readonly id: string;
  readonly place: DeadLetterPlace;
  readonly source_topic: string | null;
  readonly source_partition: number | null;
  readonly source_offset: number | null;
  readonly table: string | null;
  /** The (first) stream record's sequence number. */
  readonly sequence_number: string | null;
  /** How many records redriving it moves (a stream batch may hold many). */
  readonly records: number;
  readonly event_type: string | null;
  readonly event_id: string | null;
  /** `undecodable`, `permanent`, `transient-exhausted`, or Lambda's condition. */
  readonly kind: string;
  readonly reason: string;
  readonly error_class: string | null;
  readonly function: string | null;
  readonly attempts: number | null;
  /** ISO-8601 UTC. */
  readonly first_failure_at: string;
  /** ISO-8601 UTC; `list` sorts on it, newest first. */
  readonly last_failure_at: string;
  /** When it was last redriven (ISO-8601), if after its last failure. */
  readonly redriven_at: string | null;
  /** Why it cannot be redriven, when it cannot (e.g. a reduced letter). */
  readonly not_redrivable: string | null;
}

/** What a redrive sends: Kafka records back to their topic, or stream records to the relay. */
export type RedrivePayload =
  | { readonly kind: "kafka"; readonly records: readonly KafkaRecord[] }
  | { readonly kind: "stream"; readonly records: readonly DynamoDBRecord[] };

/** Where the dead letter itself is stored, so purge can drop it. */
export type StoredAt =
  | {
      readonly store: "kafka";
      readonly topic: string;
      readonly partition: number;
      readonly offset: number;
    }
  | { readonly store: "s3"; readonly key: string };

/** A dead letter: its summary, what redriving it sends, and the stored letter whole. */
export interface DeadLetterEntry {
  readonly summary: DeadLetterSummary;
  readonly payload: RedrivePayload;
  readonly storedAt: StoredAt;
  /** The stored letter, for `show`: headers and value (Kafka) or the object's JSON (S3). */
  readonly stored: StoredLetter;
}

/** A stored letter as `show` prints it. */
export interface StoredLetter {
  readonly key: string | null;
  readonly headers: readonly { readonly name: string; readonly value: string }[];
  /** The value decoded when JSON; `{ base64 }` otherwise. */
  readonly value: unknown;
}
