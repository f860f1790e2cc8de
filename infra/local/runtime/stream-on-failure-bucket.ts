/**
 * A stream mapping's on-failure destination: an S3 bucket that gets one object per batch
 * given up on, under `aws/lambda/<mapping id>/<shard id>/<yyyy/mm/dd>/`, holding Lambda's
 * invocation record with the batch's shard and sequence numbers and the whole event as
 * payload. See `docs/architecture.md`, section "Lambda event sources".
 *
 * @example
 * ```ts
 * const onFailure = new StreamOnFailureBucket({ s3, bucket, functionArn, streamArn, log });
 * await onFailure.send(shardId, records, "RetryAttemptsExhausted", 3, lastOutcome);
 * ```
 */
import { randomUUID } from "node:crypto";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBRecord } from "aws-lambda";
import { sequenceNumberOf } from "./dynamodb-stream-record";
import type { InvocationOutcome } from "./function-host";
import { type OnFailureCondition, onFailureInvocationRecord } from "./on-failure-invocation-record";

/** The on-failure bucket of one mapping, which has an id of its own for the object keys. */
export class StreamOnFailureBucket {
  readonly #mappingId = randomUUID();
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #functionArn: string;
  readonly #streamArn: string;
  readonly #log: (line: string) => void;

  constructor(options: {
    readonly s3: S3Client;
    /** Physical name of the bucket. */
    readonly bucket: string;
    readonly functionArn: string;
    readonly streamArn: string;
    readonly log: (line: string) => void;
  }) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    this.#functionArn = options.functionArn;
    this.#streamArn = options.streamArn;
    this.#log = options.log;
  }

  /** Writes one object for the batch (never empty) read from `shardId`. */
  async send(
    shardId: string,
    batch: readonly DynamoDBRecord[],
    condition: OnFailureCondition,
    invokeCount: number,
    lastOutcome: InvocationOutcome | undefined,
  ): Promise<void> {
    const now = new Date();
    const day = now.toISOString().slice(0, 10).replaceAll("-", "/");
    await this.#s3.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: `aws/lambda/${this.#mappingId}/${shardId}/${day}/${now.toISOString()}-${randomUUID()}`,
        ContentType: "application/json",
        Body: JSON.stringify({
          ...onFailureInvocationRecord({
            functionArn: this.#functionArn,
            condition,
            invokeCount,
            lastOutcome,
            timestamp: now.toISOString(),
          }),
          DDBStreamBatchInfo: {
            shardId,
            startSequenceNumber: sequenceNumberOf(batch[0] as DynamoDBRecord),
            endSequenceNumber: sequenceNumberOf(batch.at(-1) as DynamoDBRecord),
            batchSize: batch.length,
            streamArn: this.#streamArn,
          },
          payload: { Records: batch },
        }),
      }),
    );
    this.#log(`${batch.length} stream record(s) to s3://${this.#bucket} (${condition})`);
  }
}
