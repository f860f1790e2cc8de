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
 * function, failed_at, record }`, at {@link poisonObjectKey}.
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
    await options.client.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: poisonObjectKey(item.record),
        ContentType: "application/json",
        Body: JSON.stringify({
          reason: item.reason,
          error_class: item.errorClass,
          function: options.functionName,
          failed_at: item.failedAt.toISOString(),
          record: item.record,
        }),
      }),
    );
  },
});
