/**
 * What a local stream mapping reads of a DynamoDB stream record in Lambda's shape: its
 * sequence number (where checkpoints and partial batch responses point) and its age (for
 * the maximum record age).
 *
 * @example
 * ```ts
 * sequenceNumberOf(record); // "000000000000000000042"
 * recordAgeSeconds(record) > trigger.maximumRecordAgeSeconds;
 * ```
 */
import type { DynamoDBRecord } from "aws-lambda";

/** The record's sequence number; empty when it has none. */
export const sequenceNumberOf = (record: DynamoDBRecord): string =>
  record.dynamodb?.SequenceNumber ?? "";

/** Seconds since the record was written; 0 without a creation time. */
export const recordAgeSeconds = (record: DynamoDBRecord): number =>
  Date.now() / 1000 - (record.dynamodb?.ApproximateCreationDateTime ?? Date.now() / 1000);
