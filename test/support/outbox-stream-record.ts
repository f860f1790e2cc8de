/**
 * An outbox item as the INSERT stream record Lambda delivers to the relay: its keys and new
 * image in attribute-value form, under the `orders` table's stream.
 */
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import type { OutboxItem } from "../../shared/outbox/outbox-item";

/** The stream record of `item`, at `sequence` in its shard. */
export const outboxStreamRecord = (item: OutboxItem, sequence: number): DynamoDBRecord => ({
  eventID: String(sequence),
  eventName: "INSERT",
  eventSource: "aws:dynamodb",
  eventSourceARN: "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/x",
  dynamodb: {
    Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
    NewImage: marshall(item) as never,
    SequenceNumber: String(sequence),
    StreamViewType: "NEW_IMAGE",
  },
});
