/**
 * The outbox-relay handler against moto's stream and the real broker: every outbox event in
 * Kafka exactly once and in per-order version order; a re-sent batch duplicates only with the
 * same event_id; poison items parked in the dead-letter bucket with their reason.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toLambdaStreamRecord } from "../../infra/local/aws/dynamodb-stream-event";
import { ORDERS_TABLE } from "../../infra/wiring/system-wiring";
import { disconnectSharedProducers, headerText } from "../../shared/kafka";
import { cancelOrder, shipOrder } from "../../shared/orders/commands";
import { createOrderRepository } from "../../shared/orders/order-repository";
import { createOrderService } from "../../shared/orders/order-service";
import { outboxSortKey } from "../../shared/outbox";
import { createDeclaredTable } from "../support/declared-tables";
import { readWholeStream } from "../support/dynamodb-streams";
import { createTopic, createTopics, readTopic, testKafkaClient } from "../support/kafka-topics";
import { lambdaContext } from "../support/lambda-context";
import {
  awsClientConfig,
  kafkaBrokers,
  uniqueName,
  useMotoForAwsClients,
} from "../support/local-endpoints";

const MAX_MESSAGE_BYTES = 100_000;
const tableName = uniqueName("orders");
const bucket = uniqueName("outbox-dead-letters");
const topic = uniqueName("order-events");
const dynamodb = new DynamoDBClient(awsClientConfig);
const documents = DynamoDBDocumentClient.from(dynamodb);
const streams = new DynamoDBStreamsClient(awsClientConfig);
const s3 = new S3Client({ ...awsClientConfig, forcePathStyle: true });
const orders = createOrderService({
  repository: createOrderRepository({
    client: documents,
    tableName,
    topic,
    source: "orders-api",
    outboxTtlSeconds: 3600,
    idempotencyTtlSeconds: 3600,
  }),
});
let streamArn = "";
let relay: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
/** Sequence numbers already relayed, so each test relays only what it wrote. */
const relayed = new Set<string>();

const newStreamRecords = async (): Promise<DynamoDBRecord[]> => {
  const all = (await readWholeStream(streams, streamArn)).map((record) =>
    toLambdaStreamRecord(record, streamArn, awsClientConfig.region),
  );
  const fresh = all.filter((record) => !relayed.has(record.dynamodb?.SequenceNumber ?? ""));
  for (const record of fresh) relayed.add(record.dynamodb?.SequenceNumber ?? "");
  return fresh;
};

/** Relays records in Lambda-sized batches, the way the stream mapping would. */
const relayInBatches = async (records: readonly DynamoDBRecord[], batchSize = 100) => {
  const responses: DynamoDBBatchResponse[] = [];
  for (let start = 0; start < records.length; start += batchSize) {
    responses.push(await relay({ Records: records.slice(start, start + batchSize) }));
  }
  return responses;
};

const eventsOf = (messages: Awaited<ReturnType<typeof readTopic>>, orderIds: ReadonlySet<string>) =>
  messages
    .map((message) => ({ ...message, event: JSON.parse(message.value?.toString() ?? "null") }))
    .filter(({ event }) => orderIds.has(event.aggregate_id));

beforeAll(async () => {
  streamArn = (await createDeclaredTable(dynamodb, ORDERS_TABLE, tableName)).streamArn ?? "";
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await createTopic(topic, 6);
  useMotoForAwsClients();
  Object.assign(process.env, {
    KAFKA_BROKERS: kafkaBrokers.join(","),
    DEAD_LETTER_BUCKET_NAME: bucket,
    S3_FORCE_PATH_STYLE: "true",
    MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
    POWERTOOLS_LOG_LEVEL: "ERROR",
    POWERTOOLS_METRICS_DISABLED: "true",
  });
  const { handler } = await import("../../functions/outbox-relay/handler");
  relay = (event) =>
    handler(event, lambdaContext("outbox-relay")) as Promise<DynamoDBBatchResponse>;
});

afterAll(async () => {
  await disconnectSharedProducers();
  dynamodb.destroy();
  streams.destroy();
  s3.destroy();
});

const placeAndChange = async (count: number) => {
  const ids = new Set<string>();
  for (let n = 0; n < count; n += 1) {
    const { order } = await orders.place(
      {
        customer_id: `cus-${n % 3}`,
        currency: "EUR",
        items: [{ sku: "A", quantity: 1 + n, unit_price: "2.50" }],
      },
      { trace: {} },
    );
    ids.add(order.order_id);
    if (n % 2 === 0)
      await orders.transition(
        shipOrder,
        order.order_id,
        { carrier: "DHL", tracking_number: `T${n}` },
        { trace: {} },
      );
    else await orders.transition(cancelOrder, order.order_id, { reason: "test" }, { trace: {} });
  }
  return ids;
};

describe("outbox relay", () => {
  it("publishes every outbox event exactly once, keyed by order, in per-order version order", async () => {
    // Prepare
    const orderIds = await placeAndChange(60);
    const records = await newStreamRecords();

    // Act
    const responses = await relayInBatches(records);

    // Assess
    expect(responses.every((response) => response.batchItemFailures.length === 0)).toBe(true);
    const events = eventsOf(await readTopic(topic), orderIds);
    expect(events).toHaveLength(120);
    expect(new Set(events.map(({ event }) => event.event_id)).size).toBe(120);
    for (const orderId of orderIds) {
      const ofOrder = events.filter(({ event }) => event.aggregate_id === orderId);
      expect(new Set(ofOrder.map(({ partition }) => partition)).size).toBe(1);
      expect(ofOrder.map(({ key }) => key?.toString())).toEqual([orderId, orderId]);
      expect(ofOrder.map(({ event }) => event.aggregate_version)).toEqual([1, 2]);
    }
    const [first] = events;
    if (first === undefined) throw new Error("no event was published");
    expect(headerText(first, "event_id")).toBe(first.event.event_id);
    expect(headerText(first, "event_type")).toBe(first.event.event_type);
    expect(headerText(first, "content-type")).toBe("application/json");
  });

  it("continues the trace stored in the outbox item (no exporter: the context passes through unchanged)", async () => {
    // Prepare
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const { order } = await orders.place(
      {
        customer_id: "cus-trace",
        currency: "EUR",
        items: [{ sku: "A", quantity: 1, unit_price: "1.00" }],
      },
      { trace: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } },
    );

    // Act
    await relayInBatches(await newStreamRecords());

    // Assess
    const [event] = eventsOf(await readTopic(topic), new Set([order.order_id]));
    if (event === undefined) throw new Error("the order's event was not published");
    expect(headerText(event, "traceparent")).toBe(`00-${traceId}-b7ad6b7169203331-01`);
  });

  it("re-sending a batch (a Lambda retry) duplicates only with the same event_id", async () => {
    // Prepare
    const orderIds = await placeAndChange(5);
    const records = await newStreamRecords();
    await relayInBatches(records);

    // Act
    await relayInBatches(records);

    // Assess
    const events = eventsOf(await readTopic(topic), orderIds);
    expect(events).toHaveLength(20);
    const byEventId = Map.groupBy(events, ({ event }) => event.event_id as string);
    expect(byEventId.size).toBe(10);
    for (const copies of byEventId.values()) {
      expect(copies).toHaveLength(2);
      expect(copies[0]?.value?.equals(copies[1]?.value ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it("parks poison items in the dead-letter bucket with their reason and publishes the good ones around them", async () => {
    // Prepare: good, incomplete, good, oversized, good — all in one stream batch
    const good = [] as string[];
    const place = async () => {
      const { order } = await orders.place(
        {
          customer_id: "cus-poison",
          currency: "EUR",
          items: [{ sku: "A", quantity: 1, unit_price: "1.00" }],
        },
        { trace: {} },
      );
      good.push(order.order_id);
    };
    await place();
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: "ORDER#poison-1", sk: outboxSortKey(1), item_type: "OUTBOX", value: "{}" },
      }),
    );
    await place();
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: "ORDER#poison-2",
          sk: outboxSortKey(1),
          item_type: "OUTBOX",
          topic,
          message_key: "poison-2",
          value: "x".repeat(MAX_MESSAGE_BYTES + 1),
          headers: {},
          event_id: "e-poison-2",
          event_type: "OrderCreated",
          aggregate_id: "poison-2",
          aggregate_version: 1,
          created_at: new Date().toISOString(),
          expires_at: 0,
        },
      }),
    );
    await place();
    const records = await newStreamRecords();
    const outboxRecords = records.filter((record) =>
      record.dynamodb?.Keys?.sk?.S?.startsWith("OUTBOX#"),
    );

    // Act
    const [response] = await relayInBatches(records);

    // Assess
    expect(outboxRecords).toHaveLength(5);
    expect(response?.batchItemFailures).toEqual([]);
    expect(eventsOf(await readTopic(topic), new Set(good))).toHaveLength(3);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "poison/" }));
    expect(listed.KeyCount).toBe(2);
    const parked = await Promise.all(
      (listed.Contents ?? []).map(async ({ Key }) =>
        JSON.parse(
          (await (
            await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))
          ).Body?.transformToString()) ?? "{}",
        ),
      ),
    );
    const byOrder = new Map(parked.map((object) => [object.record.dynamodb.Keys.pk.S, object]));
    expect(byOrder.get("ORDER#poison-1")?.reason).toContain("The outbox item is incomplete");
    expect(byOrder.get("ORDER#poison-1")?.reason).toContain("topic");
    expect(byOrder.get("ORDER#poison-2")?.reason).toContain(
      `above the broker's maximum of ${MAX_MESSAGE_BYTES}`,
    );
    expect(byOrder.get("ORDER#poison-2")?.record.dynamodb.NewImage.value.S).toHaveLength(
      MAX_MESSAGE_BYTES + 1,
    );
    expect(byOrder.get("ORDER#poison-2")?.error_class).toBe("PoisonOutboxItemError");
  });

  it("skips stream records that are not outbox INSERTs", async () => {
    // Prepare: state items and a MODIFY are on the stream too
    const { order } = await orders.place(
      {
        customer_id: "cus-skip",
        currency: "EUR",
        items: [{ sku: "A", quantity: 1, unit_price: "1.00" }],
      },
      { trace: {} },
    );
    await orders.transition(
      shipOrder,
      order.order_id,
      { carrier: "DHL", tracking_number: "X" },
      { trace: {} },
    );
    const records = await newStreamRecords();

    // Act
    const [response] = await relayInBatches(records);

    // Assess
    expect(records.map((record) => `${record.eventName} ${record.dynamodb?.Keys?.sk?.S}`)).toEqual([
      "INSERT STATE",
      "INSERT OUTBOX#0000000001",
      "MODIFY STATE",
      "INSERT OUTBOX#0000000002",
    ]);
    expect(response?.batchItemFailures).toEqual([]);
    expect(eventsOf(await readTopic(topic), new Set([order.order_id]))).toHaveLength(2);
  });

  it("parks a message the broker refuses for its size, and publishes the others of the batch", async () => {
    // Prepare: a topic whose broker-side limit is below one of the orders
    const smallTopic = uniqueName("small-messages");
    await createTopics(testKafkaClient(), [
      {
        topic: smallTopic,
        numPartitions: 1,
        configEntries: [{ name: "max.message.bytes", value: "4096" }],
      },
    ]);
    const toSmallTopic = createOrderService({
      repository: createOrderRepository({
        client: documents,
        tableName,
        topic: smallTopic,
        source: "orders-api",
        outboxTtlSeconds: 3600,
        idempotencyTtlSeconds: 3600,
      }),
    });
    const order = (items: number) =>
      toSmallTopic.place(
        {
          customer_id: "cus-small",
          currency: "EUR",
          items: Array.from({ length: items }, (_, n) => ({
            sku: `SKU-${n}`,
            quantity: 1,
            unit_price: "1.00",
          })),
        },
        { trace: {} },
      );
    const small = await order(1);
    const big = await order(100);
    const alsoSmall = await order(2);

    // Act
    const [response] = await relayInBatches(await newStreamRecords());

    // Assess
    expect(response?.batchItemFailures).toEqual([]);
    const published = (await readTopic(smallTopic)).map(
      (record) => JSON.parse(record.value?.toString() ?? "null").aggregate_id,
    );
    expect(published).toEqual([small.order.order_id, alsoSmall.order.order_id]);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "poison/" }));
    const parked = await Promise.all(
      (listed.Contents ?? []).map(async ({ Key }) =>
        JSON.parse(
          (await (
            await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))
          ).Body?.transformToString()) ?? "{}",
        ),
      ),
    );
    const refused = parked.find(
      (object) => object.record.dynamodb.Keys.pk.S === `ORDER#${big.order.order_id}`,
    );
    expect(refused).toMatchObject({ error_class: "ProducePermanentError" });
    expect(refused?.reason).toMatch(/too large|MESSAGE_TOO_LARGE/i);
  });
});
