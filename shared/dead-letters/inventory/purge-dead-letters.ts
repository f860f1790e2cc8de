/**
 * Purge: drops dead letters for good. An S3 letter (parked poison, a stream batch) is
 * deleted. A Kafka record cannot be deleted alone, so a Kafka letter is marked purged in the
 * ledger, which `list` honours, and the topic's retention (14 days) removes the record
 * itself. A purge mark covers the letter as it was: a letter that fails again shows again.
 *
 * @example
 * ```ts
 * const dropped = await purgeDeadLetters(selected, { s3, bucket, ledger });
 * ```
 */
import { DeleteObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { RedriveLedger } from "./redrive-ledger";
import type { DeadLetterEntry } from "./types";

/** Drops each letter; returns the ids dropped, in order. */
export const purgeDeadLetters = async (
  entries: readonly DeadLetterEntry[],
  options: { readonly s3: S3Client; readonly bucket: string; readonly ledger: RedriveLedger },
): Promise<string[]> => {
  const now = new Date();
  for (const entry of entries) {
    if (entry.storedAt.store === "s3") {
      await options.s3.send(
        new DeleteObjectCommand({ Bucket: options.bucket, Key: entry.storedAt.key }),
      );
    } else {
      await options.ledger.mark("purged", entry.summary.id, now);
    }
  }
  return entries.map((entry) => entry.summary.id);
};
