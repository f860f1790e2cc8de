/**
 * Creates the buckets the wiring declares, on moto or any S3 endpoint. Idempotent.
 *
 * @example
 * ```ts
 * await ensureBucket(s3, "outbox-dead-letters");
 * ```
 */
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  HeadBucketCommand,
  NotFound,
  type S3Client,
} from "@aws-sdk/client-s3";

export const ensureBucket = async (s3: S3Client, bucket: string): Promise<void> => {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    if (!(error instanceof NotFound) && (error as { name?: string }).name !== "NotFound")
      throw error;
  }
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!(error instanceof BucketAlreadyOwnedByYou)) throw error;
  }
};
