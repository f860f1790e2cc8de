/**
 * A sample DynamoDB Streams batch of outbox INSERTs, as the local stream mapping hands it to
 * the relay (`aws/dynamodb-stream-event.ts`): each valid order event written as the orders
 * API writes its outbox item (`shared/outbox/outbox-item.ts`), with the new image.
 *
 * @example
 * ```ts
 * const event = streamSampleEvent(ids, { table: "orders", topic: "order-events", events, region });
 * event.Records[0]?.eventName; // "INSERT"
 * ```
 */
import type { _Record, AttributeValue } from "@aws-sdk/client-dynamodb-streams";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { eventHeaders } from "../../../shared/kafka/headers";
import type { OrderEvent } from "../../../shared/orders/order-events";
import { orderPartitionKey } from "../../../shared/orders/order-repository";
import { toOutboxItem } from "../../../shared/outbox/outbox-item";
import { toLambdaStreamRecord } from "../aws/dynamodb-stream-event";
import { SAMPLE_SOURCE } from "./msk-sample";
import type { SampleIds } from "./sample-ids";

/** How long the orders API keeps an outbox item: DynamoDB's TTL removes it after. */
const OUTBOX_TTL_SECONDS = 7 * 24 * 3600;

/** What one sample stream batch holds and where it claims to come from. */
export interface StreamSampleRequest {
  /** The table whose stream triggers the function. */
  readonly table: string;
  /** The topic the outbox items name: where the relay publishes them. */
  readonly topic: string;
  readonly events: readonly OrderEvent[];
  readonly region: string;
}

const image = (item: object): Record<string, AttributeValue> =>
  marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue>;

/** The stream batch Lambda would pass: one INSERT per event, in sequence order. */
export const streamSampleEvent = (
  ids: SampleIds,
  request: StreamSampleRequest,
): DynamoDBStreamEvent => {
  const label = ids.at.toISOString().replace(/Z$/, "");
  const streamArn = `arn:aws:dynamodb:${request.region}:000000000000:table/${request.table}/stream/${label}`;
  const Records = request.events.map((event, index) => {
    const at = ids.after(index);
    const item = toOutboxItem(event, {
      topic: request.topic,
      partitionKey: orderPartitionKey(event.aggregate_id),
      headers: eventHeaders(event, { source: SAMPLE_SOURCE, producedAt: at }),
      now: at,
      ttlSeconds: OUTBOX_TTL_SECONDS,
    });
    const newImage = image(item);
    const record: _Record = {
      eventID: ids.uuid(`stream-record-${index + 1}`).replaceAll("-", ""),
      eventName: "INSERT",
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: request.region,
      dynamodb: {
        ApproximateCreationDateTime: at,
        Keys: image({ pk: item.pk, sk: item.sk }),
        NewImage: newImage,
        SequenceNumber: String(index + 1).padStart(21, "0"),
        SizeBytes: Buffer.byteLength(JSON.stringify(newImage)),
        StreamViewType: "NEW_IMAGE",
      },
    };
    return toLambdaStreamRecord(record, streamArn, request.region);
  });
  return { Records };
};
