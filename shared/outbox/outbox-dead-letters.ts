/**
 * The relay's dead-letter place: an S3 bucket. A poison outbox item (one that can never
 * become a Kafka message, e.g. above the broker's maximum message size, which is also why it
 * cannot go to a Kafka topic) is stored whole with its reason, one object per stream record,
 * keyed by its sequence number so a retried batch overwrites instead of duplicating. The same
 * bucket is the stream trigger's on-failure destination in AWS, where Lambda writes under its
 * own prefix.
 *
 * @example
 * ```ts
 * const store = s3OutboxDeadLetters({ client: new S3Client({}), bucket });
 * await store.put({ record, reason: error.message, errorClass: error.name, failedAt: new Date() });
 * ```
 */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBRecord } from "aws-lambda";

/** Where poison items go inside the bucket. */
export const POISON_PREFIX = "poison/";

export interface PoisonOutboxItem {
  /** The stream record exactly as Lambda delivered it, new image included. */
  readonly record: DynamoDBRecord;
  readonly reason: string;
  readonly errorClass: string;
  readonly failedAt: Date;
}

export interface OutboxDeadLetters {
  put(item: PoisonOutboxItem): Promise<void>;
}

const tableOf = (record: DynamoDBRecord): string =>
  /:table\/([^/]+)\//.exec(record.eventSourceARN ?? "")?.[1] ?? "unknown-table";

export const poisonObjectKey = (record: DynamoDBRecord): string =>
  `${POISON_PREFIX}${tableOf(record)}/${record.dynamodb?.SequenceNumber ?? record.eventID}.json`;

export const s3OutboxDeadLetters = (options: {
  readonly client: S3Client;
  readonly bucket: string;
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
