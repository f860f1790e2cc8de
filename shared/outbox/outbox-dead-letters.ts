/**
 * The relay's dead-letter place: an S3 bucket. A poison outbox item (one that can never
 * become a Kafka message, e.g. above the broker's maximum message size, which is also why it
 * cannot go to a Kafka topic) is stored whole with its reason, one object per stream record,
 * keyed by its sequence number so a retried batch overwrites instead of duplicating. The same
 * bucket is the stream trigger's on-failure destination in AWS, where Lambda writes under its
 * own prefix. See `docs/outbox-relay.md`.
 *
 * @example
 * ```ts
 * const store = s3OutboxDeadLetters({ client: new S3Client({}), bucket, functionName: "outbox-relay" });
 * await store.put({ record, reason: error.message, errorClass: error.name, failedAt: new Date() });
 * ```
 */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBRecord } from "aws-lambda";

/** Where poison items go inside the bucket. */
export const POISON_PREFIX = "poison/";

/** A poison outbox item to park: its stream record, and why it can never be published. */
export interface PoisonOutboxItem {
  /** The stream record exactly as Lambda delivered it, new image included. */
  readonly record: DynamoDBRecord;
  /** The error's message. */
  readonly reason: string;
  /** The error's class name, e.g. "PoisonOutboxItemError". */
  readonly errorClass: string;
  readonly failedAt: Date;
  /**
   * When and in which function the item first failed, when this parks it again (a redrive
   * that found it still poison): the object keeps its history rather than starting anew.
   */
  readonly firstFailure?: FirstFailure;
}

/** Where an item's failures began: the time, and the function that refused it then. */
export interface FirstFailure {
  readonly at: Date;
  /** `null` when the dead letter did not say; the parking function is recorded then. */
  readonly functionName: string | null;
}

/** Where the relay parks poison items; a failed `put` leaves the record for Lambda to retry. */
export interface OutboxDeadLetters {
  /** Stores the item; putting the same stream record again overwrites it. */
  put(item: PoisonOutboxItem): Promise<void>;
}

const tableOf = (record: DynamoDBRecord): string =>
  /:table\/([^/]+)\//.exec(record.eventSourceARN ?? "")?.[1] ?? "unknown-table";

/**
 * The S3 key of a poison item: under {@link POISON_PREFIX}, by table, then by the stream
 * record's sequence number (its event id when it has none).
 *
 * @example
 * ```ts
 * poisonObjectKey(record); // "poison/orders/49668.json"
 * ```
 */
export const poisonObjectKey = (record: DynamoDBRecord): string =>
  `${POISON_PREFIX}${tableOf(record)}/${record.dynamodb?.SequenceNumber ?? record.eventID}.json`;

/**
 * The S3 dead-letter place: one JSON object per poison item, `{ reason, error_class,
 * function, first_failed_at, failed_at, parked_by, record }`, at {@link poisonObjectKey}.
 * `function` and `first_failed_at` are where and when the item first failed, `failed_at`
 * and `parked_by` its latest park: they differ once a redrive finds it still poison.
 *
 * @example
 * ```ts
 * const deadLetters = s3OutboxDeadLetters({
 *   client: new S3Client({}),
 *   bucket: config.DEAD_LETTER_BUCKET_NAME,
 *   functionName: "outbox-relay",
 * });
 * ```
 */
export const s3OutboxDeadLetters = (options: {
  readonly client: S3Client;
  readonly bucket: string;
  /** Recorded in each object, as the function that parked it. */
  readonly functionName: string;
}): OutboxDeadLetters => ({
  async put(item) {
    const first = item.firstFailure;
    await options.client.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: poisonObjectKey(item.record),
        ContentType: "application/json",
        Body: JSON.stringify({
          reason: item.reason,
          error_class: item.errorClass,
          function: first?.functionName ?? options.functionName,
          first_failed_at: (first?.at ?? item.failedAt).toISOString(),
          failed_at: item.failedAt.toISOString(),
          parked_by: options.functionName,
          record: item.record,
        }),
      }),
    );
  },
});
