/**
 * Turns records read with the DynamoDB Streams API into the records Lambda passes to a
 * stream-triggered function (see docs/architecture.md, "Lambda event sources"): same `dynamodb` payload, plus the event source
 * fields Lambda adds, and the creation time in epoch seconds as Lambda sends it.
 *
 * @example
 * ```ts
 * const event = { Records: page.Records.map((r) => toLambdaStreamRecord(r, streamArn, "us-east-1")) };
 * ```
 */
import type { _Record } from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord } from "aws-lambda";

export const toLambdaStreamRecord = (
  record: _Record,
  streamArn: string,
  region: string,
): DynamoDBRecord => {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: record.awsRegion ?? region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(record.dynamodb as DynamoDBRecord["dynamodb"]),
      ...(created === undefined
        ? {}
        : { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) }),
    },
  } as DynamoDBRecord;
};
