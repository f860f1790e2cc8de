/**
 * The outbox-relay handler against moto's stream and the real broker: every outbox event in
 * Kafka exactly once and in per-order version order; a re-sent batch duplicates only with the
 * same event_id; poison items parked in the dead-letter bucket with their reason.
 *
 * Each test has its own table, bucket and topic, and its own cold start of the handler (whose
 * configuration names them), so no test sees another's records, objects or messages.
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
import { logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { toLambdaStreamRecord } from "../../infra/local/aws/dynamodb-stream-event";
import { ORDERS_TABLE } from "../../infra/wiring/system-wiring";
import { headerText } from "../../shared/kafka";
import { KafkaProducer } from "../../shared/kafka/kafka-producer";
import { readKafkaSettings } from "../../shared/kafka/kafka-settings";
import type { MessageSender } from "../../shared/kafka/outgoing-message";
import { setupTracing } from "../../shared/observability";
import { cancelOrder, shipOrder } from "../../shared/orders/commands";
import { createOrderRepository } from "../../shared/orders/order-repository";
import { createOrderService, type OrderService } from "../../shared/orders/order-service";
import {
  outboxSortKey,
  relayOutboxRecords,
  s3OutboxDeadLetters,
  toOutboxItem,
} from "../../shared/outbox";
import { createDeclaredTable } from "../support/declared-tables";
import { readWholeStream } from "../support/dynamodb-streams";
import { createTopics, readTopic, testKafkaClient } from "../support/kafka-topics";
import { lambdaContext } from "../support/lambda-context";
import {
  awsClientConfig,
  kafkaBrokers,
  uniqueName,
  useMotoForAwsClients,
} from "../support/local-endpoints";

const MAX_MESSAGE_BYTES = 100_000;
const dynamodb = new DynamoDBClient(awsClientConfig);
const documents = DynamoDBDocumentClient.from(dynamodb);
const streams = new DynamoDBStreamsClient(awsClientConfig);
const s3 = new S3Client({ ...awsClientConfig, forcePathStyle: true });

/** A parked poison item, as the relay writes it to the bucket. */
interface ParkedObject {
  readonly reason: string;
  readonly error_class: string;
  readonly record: DynamoDBRecord & {
    dynamodb: { Keys: { pk: { S: string } }; NewImage: { value: { S: string } } };
  };
}

/** One test's table, bucket and topic, and the relay handler cold-started for them. */
interface RelayFixture {
  readonly tableName: string;
  readonly bucket: string;
  readonly topic: string;
  readonly orders: OrderService;
  readonly relay: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
  /** Every record of the table's stream, as Lambda would deliver it. */
  streamRecords(): Promise<DynamoDBRecord[]>;
  /** Every object under `poison/` in the bucket. */
  parked(): Promise<ParkedObject[]>;
}

const ordersFor = (tableName: string, topic: string): OrderService =>
  createOrderService({
    repository: createOrderRepository({
      client: documents,
      tableName,
      topic,
      source: "orders-api",
      outboxTtlSeconds: 3600,
      idempotencyTtlSeconds: 3600,
    }),
  });

/**
 * A fresh cold start of the handler with this test's bucket and topic in its environment;
 * its shared producer is disconnected when the test ends.
 */
const coldStartRelay = async (bucket: string, topic: string) => {
  Object.assign(process.env, {
    KAFKA_BROKERS: kafkaBrokers.join(","),
    DEAD_LETTER_BUCKET_NAME: bucket,
    KAFKA_PRODUCE_TOPICS: topic,
    S3_FORCE_PATH_STYLE: "true",
    MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
    POWERTOOLS_LOG_LEVEL: "ERROR",
    POWERTOOLS_METRICS_DISABLED: "true",
  });
  vi.resetModules();
  const { handler } = await import("../../functions/outbox-relay/handler");
  const { disconnectSharedProducers } = await import("../../shared/kafka");
  onTestFinished(() => disconnectSharedProducers());
  return (event: DynamoDBStreamEvent) =>
    handler(event, lambdaContext("outbox-relay")) as Promise<DynamoDBBatchResponse>;
};

const createBucket = async (bucket: string): Promise<void> => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
};

/** Places an order of one item and returns its id; its outbox item is its only one. */
const placeOrder = async (orders: OrderService): Promise<string> => {
  const { order } = await orders.place(
    {
      customer_id: "cus-1",
      currency: "EUR",
      items: [{ sku: "A", quantity: 1, unit_price: "1.00" }],
    },
    { trace: {} },
  );
  return order.order_id;
};

/** Writes an outbox item without its message fields: poison. */
const putIncompleteOutboxItem = (tableName: string, pk: string) =>
  documents.send(
    new PutCommand({
      TableName: tableName,
      Item: { pk, sk: outboxSortKey(1), item_type: "OUTBOX", value: "{}" },
    }),
  );

/** Writes a complete outbox item for `topic`, as an API writing to another topic would. */
const putOutboxItemFor = (tableName: string, orderId: string, topic: string) =>
  documents.send(
    new PutCommand({
      TableName: tableName,
      Item: toOutboxItem(
        {
          event_id: `e-${orderId}`,
          event_type: "OrderCreated",
          aggregate_id: orderId,
          aggregate_version: 1,
        },
        { topic, partitionKey: `ORDER#${orderId}`, headers: {}, now: new Date(), ttlSeconds: 3600 },
      ),
    }),
  );

const sequenceNumberOf = (record: DynamoDBRecord | undefined): string =>
  record?.dynamodb?.SequenceNumber ?? "";

const readParked = async (bucket: string): Promise<ParkedObject[]> => {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "poison/" }));
  return Promise.all(
    (listed.Contents ?? []).map(async ({ Key }) =>
      JSON.parse(
        (await (
          await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))
        ).Body?.transformToString()) ?? "{}",
      ),
    ),
  );
};

/**
 * A table, a bucket and a topic of the test's own, and the relay configured for them. The
 * bucket is created later by the test itself when `bucketLater` is set.
 */
const relayFixture = async (
  options: {
    readonly partitions?: number;
    readonly maxMessageBytes?: number;
    readonly bucketLater?: boolean;
  } = {},
): Promise<RelayFixture> => {
  const tableName = uniqueName("orders");
  const bucket = uniqueName("outbox-dead-letters");
  const topic = uniqueName("order-events");
  const streamArn = (await createDeclaredTable(dynamodb, ORDERS_TABLE, tableName)).streamArn ?? "";
  if (options.bucketLater !== true) await createBucket(bucket);
  await createTopics(testKafkaClient(), [
    {
      topic,
      numPartitions: options.partitions ?? 6,
      configEntries:
        options.maxMessageBytes === undefined
          ? []
          : [{ name: "max.message.bytes", value: String(options.maxMessageBytes) }],
    },
  ]);
  return {
    tableName,
    bucket,
    topic,
    orders: ordersFor(tableName, topic),
    relay: await coldStartRelay(bucket, topic),
    streamRecords: async () =>
      (await readWholeStream(streams, streamArn)).map((record) =>
        toLambdaStreamRecord(record, streamArn, awsClientConfig.region),
      ),
    parked: () => readParked(bucket),
  };
};

/** Relays records in Lambda-sized batches, the way the stream mapping would. */
const relayInBatches = async (
  fixture: RelayFixture,
  records: readonly DynamoDBRecord[],
  batchSize = 100,
) => {
  const responses: DynamoDBBatchResponse[] = [];
  for (let start = 0; start < records.length; start += batchSize) {
    responses.push(await fixture.relay({ Records: records.slice(start, start + batchSize) }));
  }
  return responses;
};

const eventsOf = (messages: Awaited<ReturnType<typeof readTopic>>, orderIds: ReadonlySet<string>) =>
  messages
    .map((message) => ({ ...message, event: JSON.parse(message.value?.toString() ?? "null") }))
    .filter(({ event }) => orderIds.has(event.aggregate_id));

beforeAll(() => {
  useMotoForAwsClients();
});

afterAll(() => {
  dynamodb.destroy();
  streams.destroy();
  s3.destroy();
});

const placeAndChange = async (orders: OrderService, count: number) => {
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
    const fixture = await relayFixture();
    const orderIds = await placeAndChange(fixture.orders, 60);
    const records = await fixture.streamRecords();

    // Act
    const responses = await relayInBatches(fixture, records);

    // Assess
    expect(responses.every((response) => response.batchItemFailures.length === 0)).toBe(true);
    const messages = await readTopic(fixture.topic);
    const events = eventsOf(messages, orderIds);
    expect(messages).toHaveLength(120);
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
    const fixture = await relayFixture();
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const { order } = await fixture.orders.place(
      {
        customer_id: "cus-trace",
        currency: "EUR",
        items: [{ sku: "A", quantity: 1, unit_price: "1.00" }],
      },
      { trace: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } },
    );

    // Act
    await relayInBatches(fixture, await fixture.streamRecords());

    // Assess
    const [event] = eventsOf(await readTopic(fixture.topic), new Set([order.order_id]));
    if (event === undefined) throw new Error("the order's event was not published");
    expect(headerText(event, "traceparent")).toBe(`00-${traceId}-b7ad6b7169203331-01`);
  });

  it("re-sending a batch (a Lambda retry) duplicates only with the same event_id", async () => {
    // Prepare
    const fixture = await relayFixture();
    const orderIds = await placeAndChange(fixture.orders, 5);
    const records = await fixture.streamRecords();
    await relayInBatches(fixture, records);

    // Act
    await relayInBatches(fixture, records);

    // Assess
    const messages = await readTopic(fixture.topic);
    const events = eventsOf(messages, orderIds);
    expect(messages).toHaveLength(20);
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
    const fixture = await relayFixture();
    const good = [] as string[];
    const place = async () => {
      const { order } = await fixture.orders.place(
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
        TableName: fixture.tableName,
        Item: { pk: "ORDER#poison-1", sk: outboxSortKey(1), item_type: "OUTBOX", value: "{}" },
      }),
    );
    await place();
    await documents.send(
      new PutCommand({
        TableName: fixture.tableName,
        Item: {
          pk: "ORDER#poison-2",
          sk: outboxSortKey(1),
          item_type: "OUTBOX",
          topic: fixture.topic,
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
    const records = await fixture.streamRecords();
    const outboxRecords = records.filter((record) =>
      record.dynamodb?.Keys?.sk?.S?.startsWith("OUTBOX#"),
    );

    // Act
    const [response] = await relayInBatches(fixture, records);

    // Assess
    expect(outboxRecords).toHaveLength(5);
    expect(response?.batchItemFailures).toEqual([]);
    expect(eventsOf(await readTopic(fixture.topic), new Set(good))).toHaveLength(3);
    const parked = await fixture.parked();
    expect(parked).toHaveLength(2);
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
    const fixture = await relayFixture();
    const { order } = await fixture.orders.place(
      {
        customer_id: "cus-skip",
        currency: "EUR",
        items: [{ sku: "A", quantity: 1, unit_price: "1.00" }],
      },
      { trace: {} },
    );
    await fixture.orders.transition(
      shipOrder,
      order.order_id,
      { carrier: "DHL", tracking_number: "X" },
      { trace: {} },
    );
    const records = await fixture.streamRecords();

    // Act
    const [response] = await relayInBatches(fixture, records);

    // Assess
    expect(records.map((record) => `${record.eventName} ${record.dynamodb?.Keys?.sk?.S}`)).toEqual([
      "INSERT STATE",
      "INSERT OUTBOX#0000000001",
      "MODIFY STATE",
      "INSERT OUTBOX#0000000002",
    ]);
    expect(response?.batchItemFailures).toEqual([]);
    expect(eventsOf(await readTopic(fixture.topic), new Set([order.order_id]))).toHaveLength(2);
  });

  it("parks a message the broker refuses for its size, and publishes the others of the batch", async () => {
    // Prepare: a topic whose broker-side limit is below one of the orders
    const fixture = await relayFixture({ partitions: 1, maxMessageBytes: 4096 });
    const order = (items: number) =>
      fixture.orders.place(
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
    const [response] = await relayInBatches(fixture, await fixture.streamRecords());

    // Assess
    expect(response?.batchItemFailures).toEqual([]);
    const published = (await readTopic(fixture.topic)).map(
      (record) => JSON.parse(record.value?.toString() ?? "null").aggregate_id,
    );
    expect(published).toEqual([small.order.order_id, alsoSmall.order.order_id]);
    const parked = await fixture.parked();
    expect(parked).toHaveLength(1);
    const refused = parked.find(
      (object) => object.record.dynamodb.Keys.pk.S === `ORDER#${big.order.order_id}`,
    );
    expect(refused).toMatchObject({ error_class: "ProducePermanentError" });
    expect(refused?.reason).toMatch(/too large|MESSAGE_TOO_LARGE/i);
  });

  it("stops at a poison item it cannot park: nothing after it is published, on any retry", async () => {
    // Prepare: a, poison, b, c in one batch, and no bucket to park the poison in yet
    const fixture = await relayFixture({ bucketLater: true });
    const a = await placeOrder(fixture.orders);
    await putIncompleteOutboxItem(fixture.tableName, "ORDER#poison");
    const b = await placeOrder(fixture.orders);
    const c = await placeOrder(fixture.orders);
    const records = await fixture.streamRecords();
    const poison = records.findIndex((record) => record.dynamodb?.Keys?.pk?.S === "ORDER#poison");
    const poisonFirst = {
      batchItemFailures: [{ itemIdentifier: sequenceNumberOf(records[poison]) }],
    };

    // Act: the first attempt and Lambda's retry from the reported record, the bucket missing
    const first = await fixture.relay({ Records: records });
    const retried = await fixture.relay({ Records: records.slice(poison) });
    const whileMissing = eventsOf(await readTopic(fixture.topic), new Set([a, b, c]));
    await createBucket(fixture.bucket);
    const afterwards = await fixture.relay({ Records: records.slice(poison) });

    // Assess
    expect(first).toEqual(poisonFirst);
    expect(retried).toEqual(poisonFirst);
    expect(whileMissing.map(({ event }) => event.aggregate_id)).toEqual([a]);
    expect(afterwards).toEqual({ batchItemFailures: [] });
    const published = eventsOf(await readTopic(fixture.topic), new Set([a, b, c]));
    expect(published.map(({ event }) => event.aggregate_id).sort()).toEqual([a, b, c].sort());
    const parked = await fixture.parked();
    expect(parked.map((object) => object.record.dynamodb.Keys.pk.S)).toEqual(["ORDER#poison"]);
  });
});

describe("outbox relay and the topics of its wiring", () => {
  it("parks items naming a topic outside its wiring, existing or not, and publishes the others", async () => {
    // Prepare: a topic of the cluster the relay was not given, and one that does not exist
    const fixture = await relayFixture();
    const otherTopic = uniqueName("payments");
    await createTopics(testKafkaClient(), [{ topic: otherTopic, numPartitions: 1 }]);
    const before = await placeOrder(fixture.orders);
    await putOutboxItemFor(fixture.tableName, "to-other", otherTopic);
    await putOutboxItemFor(fixture.tableName, "to-nowhere", uniqueName("no-such-topic"));
    const after = await placeOrder(fixture.orders);

    // Act
    const response = await fixture.relay({ Records: await fixture.streamRecords() });

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const published = eventsOf(await readTopic(fixture.topic), new Set([before, after]));
    expect(published.map(({ event }) => event.aggregate_id)).toHaveLength(2);
    expect(await readTopic(otherTopic)).toEqual([]);
    const parked = new Map(
      (await fixture.parked()).map((object) => [object.record.dynamodb.Keys.pk.S, object]),
    );
    expect([...parked.keys()].sort()).toEqual(["ORDER#to-nowhere", "ORDER#to-other"]);
    for (const object of parked.values()) {
      expect(object.error_class).toBe("PoisonOutboxItemError");
      expect(object.reason).toContain(`is not one the relay publishes to (${fixture.topic})`);
    }
  });

  it("fails its cold start, naming the variable, when it is not told its topics", async () => {
    // Prepare: the environment of a relay, but for its topics
    await relayFixture();
    delete process.env.KAFKA_PRODUCE_TOPICS;
    vi.resetModules();

    // Act
    const coldStart = import("../../functions/outbox-relay/handler");

    // Assess
    await expect(coldStart).rejects.toThrow(/KAFKA_PRODUCE_TOPICS/);
  });
});

describe("outbox relay when the broker refuses one message of a request", () => {
  beforeAll(() => {
    setupTracing({ serviceName: "outbox-relay-test" });
  });

  /** A real producer whose kafkajs debug log tells the requests it makes, by API. */
  const countingProducer = () => {
    const requests = new Map<string, number>();
    const producer = new KafkaProducer(
      readKafkaSettings({ KAFKA_BROKERS: kafkaBrokers.join(",") }),
      {
        logLevel: logLevel.DEBUG,
        logCreator:
          () =>
          ({ log }) => {
            const api = /^Request (\w+)\(/.exec(log.message)?.[1];
            if (api !== undefined) requests.set(api, (requests.get(api) ?? 0) + 1);
          },
      },
    );
    onTestFinished(() => producer.disconnect());
    return { producer, requests };
  };

  it("parks exactly the oversized message, writes every other once, and keeps its producer", async () => {
    // Prepare: 20 orders on 3 partitions, the 16th (100 long items) above the topic's 10 KiB
    const fixture = await relayFixture({ partitions: 3, maxMessageBytes: 10 * 1024 });
    const ids: string[] = [];
    for (let n = 0; n < 20; n += 1) {
      const { order } = await fixture.orders.place(
        {
          customer_id: "cus-refused",
          currency: "EUR",
          items: Array.from({ length: n === 15 ? 100 : 1 }, (_, item) => ({
            sku: `SKU-${item}-`.padEnd(64, "x"),
            quantity: 1,
            unit_price: "1.00",
          })),
        },
        { trace: {} },
      );
      ids.push(order.order_id);
    }
    const big = ids[15];
    const { producer, requests } = countingProducer();
    let sends = 0;
    const sender: MessageSender = {
      send: (messages) => {
        sends += 1;
        return producer.send(messages);
      },
    };

    // Act
    const { response, report } = await relayOutboxRecords(await fixture.streamRecords(), {
      sender,
      deadLetters: s3OutboxDeadLetters({
        client: s3,
        bucket: fixture.bucket,
        functionName: "relay",
      }),
      maxMessageBytes: MAX_MESSAGE_BYTES,
      topics: new Set([fixture.topic]),
    });

    // Assess: each of the 19 once, in order per order id; the big one parked with its reason
    expect(response.batchItemFailures).toEqual([]);
    expect(report).toMatchObject({ received: 40, published: 19, deadLettered: 1, failed: 0 });
    const written = eventsOf(await readTopic(fixture.topic), new Set(ids));
    expect(written.map(({ event }) => event.aggregate_id).sort()).toEqual(
      ids.filter((id) => id !== big).sort(),
    );
    for (const partition of [0, 1, 2]) {
      const inPartition = written.filter((record) => record.partition === partition);
      const order = inPartition.map(({ event }) => ids.indexOf(event.aggregate_id));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    const parked = await fixture.parked();
    expect(parked.map((object) => object.record.dynamodb.Keys.pk.S)).toEqual([`ORDER#${big}`]);
    expect(parked[0]?.reason).toMatch(/MESSAGE_TOO_LARGE/);
    // One producer id throughout. Requests: the batch's, then one per partition, the halves
    // of the refused partition's messages down to the big one, and one for what followed it
    // in its partition; sends: the batch's, and one after the parked message at most.
    expect(requests.get("InitProducerId")).toBe(1);
    expect(requests.get("Produce")).toBeLessThanOrEqual(1 + 3 + 2 * Math.ceil(Math.log2(20)) + 1);
    expect(sends).toBeLessThanOrEqual(2);
  });
});
