/**
 * Exactly once across concurrent invocations: Lambda can run two invocations over the same
 * records at once (a retried batch while the first is still running, two pollers after a
 * rebalance), and two functions update one customer's stats at the same time. Here the same
 * batch goes through two invocations at once, and two functions run twice each at once over
 * one customer's orders, against moto and the real broker: every event is counted as applied
 * by exactly one invocation, every other copy as a duplicate, and the stats are exact.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ORDER_EVENTS_DLQ_TOPIC,
  ORDER_EVENTS_TOPIC,
  READ_MODEL_TABLE,
} from "../../infra/wiring/system-wiring";
import {
  type BatchReport,
  consumeKafkaBatch,
  ownedEventReader,
  readConsumerSettings,
} from "../../shared/consumer";
import { KafkaProducer, publishEvents, readKafkaSettings } from "../../shared/kafka";
import { createLogger, setupTracing } from "../../shared/observability";
import { placeOrder, shipOrder } from "../../shared/orders/commands";
import { decideTransition } from "../../shared/orders/order";
import {
  type OrderEvent,
  type OrderEventType,
  orderEventContracts,
} from "../../shared/orders/order-events";
import { createReadModelQueries, createReadModelWriter } from "../../shared/read-model";
import { appliedFactVersion } from "../support/applied-facts";
import { createDeclaredTable } from "../support/declared-tables";
import { createDeclaredTopic, readTopic } from "../support/kafka-topics";
import { awsClientConfig, kafkaBrokers, uniqueName } from "../support/local-endpoints";

const tableName = uniqueName("order-read-model");
const topic = uniqueName("order-events");
const deadLetterTopic = `${topic}.dlq`;
const dynamodb = new DynamoDBClient(awsClientConfig);
const producer = new KafkaProducer(readKafkaSettings({ KAFKA_BROKERS: kafkaBrokers.join(",") }));
const writer = createReadModelWriter({ client: dynamodb, tableName });
const queries = createReadModelQueries({ client: dynamodb, tableName });

/** One invocation of the consumer of `eventType` over `records`, with time enough. */
const invoke = async (
  eventType: OrderEventType,
  records: Awaited<ReturnType<typeof readTopic>>,
) => {
  const { response, report } = await consumeKafkaBatch<OrderEvent>(records, () => 30_000, {
    functionName: `consumer-of-${eventType}`,
    read: ownedEventReader(orderEventContracts, [eventType]),
    apply: (event) => writer.apply(event),
    settings: readConsumerSettings({
      CONSUMER_MODE: "provisioned",
      DEAD_LETTER_TOPIC: deadLetterTopic,
    }),
    deadLetters: producer,
    logger: createLogger(`consumer-of-${eventType}`),
  });
  return { response, report };
};

const total = (reports: readonly BatchReport[], field: "applied" | "duplicates" | "failed") =>
  reports.reduce((sum, report) => sum + report[field], 0);

/** Orders of one customer, placed and shipped: each order's two events. */
const shippedOrders = (customerId: string, count: number): OrderEvent[] =>
  Array.from({ length: count }, (_, n) => {
    const placed = placeOrder.decide(
      {
        customer_id: customerId,
        currency: "EUR",
        items: [{ sku: `SKU-${n}`, quantity: 1, unit_price: "1.25" }],
      },
      { orderId: uniqueName("ord"), now: new Date() },
    );
    const shipped = decideTransition(
      shipOrder,
      placed.order,
      { carrier: "DHL", tracking_number: `T${n}` },
      { now: new Date() },
    );
    return [placed.event, shipped.event];
  }).flat();

const factVersion = (event: OrderEvent): Promise<number | undefined> =>
  appliedFactVersion(dynamodb, tableName, event);

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
  setupTracing({ serviceName: "consumers-concurrent-test" });
  await createDeclaredTable(dynamodb, READ_MODEL_TABLE, tableName);
  await createDeclaredTopic(ORDER_EVENTS_TOPIC, topic);
  await createDeclaredTopic(ORDER_EVENTS_DLQ_TOPIC, deadLetterTopic);
});

afterAll(async () => {
  await producer.disconnect();
  dynamodb.destroy();
});

describe("exactly once across concurrent invocations", () => {
  it("counts each event applied by one of two invocations of the same batch, once", async () => {
    // Prepare: 30 orders of 3 customers
    const customers = [0, 1, 2].map(() => uniqueName("cus"));
    const events = customers.flatMap((customerId) =>
      shippedOrders(customerId, 10).filter(({ event_type }) => event_type === "OrderCreated"),
    );
    await publishEvents(producer, topic, events, { source: "test" });
    const wanted = new Set(events.map(({ aggregate_id }) => aggregate_id));
    const records = (await readTopic(topic)).filter((r) => wanted.has(r.key?.toString() ?? ""));

    // Act
    const runs = await Promise.all([
      invoke("OrderCreated", records),
      invoke("OrderCreated", records),
    ]);

    // Assess
    const reports = runs.map(({ report }) => report);
    expect(runs.map(({ response }) => response)).toEqual([
      { batchItemFailures: [] },
      { batchItemFailures: [] },
    ]);
    expect(total(reports, "applied")).toBe(events.length);
    expect(total(reports, "duplicates")).toBe(events.length);
    expect(total(reports, "failed")).toBe(0);
    for (const customerId of customers) {
      expect(await queries.customerStats(customerId)).toMatchObject({
        orders_placed: 10,
        lifetime_value: { EUR: "12.50" },
      });
    }
    const versions = await Promise.all(events.map(factVersion));
    expect(versions).toEqual(events.map(({ aggregate_version }) => aggregate_version));
  });

  it("keeps one customer's stats exact while two functions run twice each at once", async () => {
    // Prepare: 20 orders of one customer, created and shipped
    const customerId = uniqueName("cus");
    const events = shippedOrders(customerId, 20);
    await publishEvents(producer, topic, events, { source: "test" });
    const wanted = new Set(events.map(({ aggregate_id }) => aggregate_id));
    const records = (await readTopic(topic)).filter((r) => wanted.has(r.key?.toString() ?? ""));

    // Act
    const [created1, shipped1, created2, shipped2] = await Promise.all([
      invoke("OrderCreated", records),
      invoke("OrderShipped", records),
      invoke("OrderCreated", records),
      invoke("OrderShipped", records),
    ]);

    // Assess
    const created = [created1, created2].map((run) => run?.report as BatchReport);
    const shipped = [shipped1, shipped2].map((run) => run?.report as BatchReport);
    expect([total(created, "applied"), total(created, "duplicates")]).toEqual([20, 20]);
    expect([total(shipped, "applied"), total(shipped, "duplicates")]).toEqual([20, 20]);
    expect(total([...created, ...shipped], "failed")).toBe(0);
    expect(await queries.customerStats(customerId)).toMatchObject({
      orders_placed: 20,
      orders_shipped: 20,
      orders_cancelled: 0,
      lifetime_value: { EUR: "25.00" },
    });
  });
});
