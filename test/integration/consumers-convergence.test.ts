/**
 * Separate functions per event type see one order's events in any order relative to each
 * other (see docs/architecture.md, "Guarantees"). The same events, read back from the real
 * broker, are delivered to every read-model consumer the wiring declares in every possible
 * order (up to four consumers; beyond that, every rotation of the list and of its reverse):
 * every order's view and the customer's stats come out the same, at the highest version's
 * state.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READ_MODEL_TABLE } from "../../infra/wiring/system-wiring";
import type { KafkaBatchResponse } from "../../shared/consumer";
import { createEvent } from "../../shared/events";
import {
  disconnectSharedProducers,
  KafkaProducer,
  type LambdaKafkaEvent,
  publishEvents,
  readKafkaSettings,
} from "../../shared/kafka";
import { cancelOrder, placeOrder, shipOrder } from "../../shared/orders/commands";
import { decideTransition } from "../../shared/orders/order";
import { type OrderEvent, orderEventContracts } from "../../shared/orders/order-events";
import { apiGatewayEvent } from "../support/api-gateway-events";
import { useConsumerEnvironment } from "../support/consumer-environment";
import { importDeclaredHandler, readModelConsumers } from "../support/declared-functions";
import { createDeclaredTable } from "../support/declared-tables";
import { createTopic, readTopic } from "../support/kafka-topics";
import { lambdaContext } from "../support/lambda-context";
import { awsClientConfig, kafkaBrokers, uniqueName } from "../support/local-endpoints";
import { mskEvent } from "../support/msk-events";

type ConsumerHandler = (event: LambdaKafkaEvent, context: Context) => Promise<unknown>;

const tableName = uniqueName("order-read-model");
const topic = uniqueName("order-events");
const dynamodb = new DynamoDBClient(awsClientConfig);
const producer = new KafkaProducer(readKafkaSettings({ KAFKA_BROKERS: kafkaBrokers.join(",") }));
const handlers = new Map<string, ConsumerHandler>();
let api: (routeKey: string, id: string) => Promise<APIGatewayProxyStructuredResultV2>;

const permutations = <T>(items: readonly T[]): T[][] =>
  items.length <= 1
    ? [[...items]]
    : items.flatMap((item, index) =>
        permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
          item,
          ...rest,
        ]),
      );

const read = async (routeKey: string, id: string): Promise<unknown> => {
  const response = await api(routeKey, id);
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.body ?? "null");
};

/**
 * One customer's orders: shipped, cancelled, still open, and one that ships and is then
 * cancelled at version 3 (beyond today's rules, so the view has three facts to reconcile).
 */
const customerOrders = (customerId: string) => {
  const now = new Date("2026-11-26T09:00:00.000Z");
  const place = (quantity: number) =>
    placeOrder.decide(
      {
        customer_id: customerId,
        currency: "EUR",
        items: [{ sku: "SKU-1", quantity, unit_price: "10.10" }],
      },
      { orderId: uniqueName("ord"), now },
    );
  const shippedOrder = place(1);
  const cancelledOrder = place(2);
  const openOrder = place(3);
  const returnedOrder = place(4);
  const returnedShipped = decideTransition(
    shipOrder,
    returnedOrder.order,
    { carrier: "UPS", tracking_number: "1Z" },
    { now },
  );
  const returnedCancelled = createEvent(orderEventContracts.OrderCancelled, {
    aggregateId: returnedOrder.order.order_id,
    aggregateVersion: 3,
    occurredAt: now,
    data: {
      customer_id: customerId,
      reason: "returned",
      cancelled_at: now.toISOString(),
      total: returnedOrder.order.total,
      currency: "EUR",
    },
  });
  const labelled: Record<string, OrderEvent[]> = {
    shipped: [
      shippedOrder.event,
      decideTransition(
        shipOrder,
        shippedOrder.order,
        { carrier: "DHL", tracking_number: "JD1" },
        { now },
      ).event,
    ],
    cancelled: [
      cancelledOrder.event,
      decideTransition(cancelOrder, cancelledOrder.order, { reason: "too late" }, { now }).event,
    ],
    open: [openOrder.event],
    returned: [returnedOrder.event, returnedShipped.event, returnedCancelled],
  };
  return labelled;
};

beforeAll(async () => {
  await createDeclaredTable(dynamodb, READ_MODEL_TABLE, tableName);
  await createTopic(topic, 6);
  await createTopic(`${topic}.dlq`, 3);
  useConsumerEnvironment(
    { readModelTable: tableName, deadLetterTopic: `${topic}.dlq`, mode: "provisioned" },
    { ORDERS_TABLE_NAME: uniqueName("orders-unused"), ORDER_EVENTS_TOPIC: topic },
  );
  for (const name of readModelConsumers) {
    const handler = await importDeclaredHandler<ConsumerHandler>(name);
    handlers.set(name, handler as ConsumerHandler);
  }
  const { handler: ordersApi } = await import("../../functions/orders-api/handler");
  api = async (routeKey, id) =>
    (await ordersApi(
      apiGatewayEvent({ routeKey, pathParameters: { id } }),
      lambdaContext("orders-api"),
    )) as APIGatewayProxyStructuredResultV2;
});

afterAll(async () => {
  await disconnectSharedProducers();
  await producer.disconnect();
  dynamodb.destroy();
});

/** Every order of the consumers while that is a few dozen, else each rotation both ways. */
const arrivalOrdersOf = (consumers: readonly string[]): string[][] => {
  if (consumers.length <= 4) return permutations(consumers);
  const rotations = (list: readonly string[]) =>
    list.map((_, start) => [...list.slice(start), ...list.slice(0, start)]);
  return [...rotations(consumers), ...rotations([...consumers].reverse())];
};

describe("arrival order across the read-model consumer functions", () => {
  it("converges to the same views and exact stats whatever order the functions run in", async () => {
    // Prepare: one customer per arrival order, all events published and read back together
    const arrivalOrders = arrivalOrdersOf(readModelConsumers);
    const runs = arrivalOrders.map((arrival) => {
      const customerId = uniqueName("cus");
      return { arrival, customerId, orders: customerOrders(customerId) };
    });
    await publishEvents(
      producer,
      topic,
      runs.flatMap(({ orders }) => Object.values(orders).flat()),
      { source: "test" },
    );
    const records = await readTopic(topic);

    // Act
    const outcomes = [];
    for (const { arrival, customerId, orders } of runs) {
      const orderIds = new Set(Object.values(orders).map((events) => events[0]?.aggregate_id));
      const event = mskEvent(records.filter((record) => orderIds.has(record.key?.toString())));
      const responses: KafkaBatchResponse[] = [];
      for (const name of arrival) {
        responses.push(
          (await handlers.get(name)?.(event, lambdaContext(name))) as KafkaBatchResponse,
        );
      }
      const views: Record<string, unknown> = {};
      for (const [label, events] of Object.entries(orders)) {
        const orderId = events[0]?.aggregate_id ?? "";
        const view = (await read("GET /orders/{id}/view", orderId)) as Record<string, unknown>;
        views[label] = { ...view, order_id: label, customer_id: "customer" };
      }
      const stats = (await read("GET /customers/{id}/stats", customerId)) as Record<
        string,
        unknown
      >;
      outcomes.push({
        arrival: arrival.join(" > "),
        responses,
        views,
        stats: { ...stats, customer_id: "customer" },
      });
    }

    // Assess
    expect(readModelConsumers.length).toBeGreaterThanOrEqual(3);
    expect(outcomes).toHaveLength(arrivalOrders.length);
    expect(new Set(outcomes.map(({ arrival }) => arrival)).size).toBe(arrivalOrders.length);
    for (const { responses } of outcomes) {
      expect(responses).toEqual(readModelConsumers.map(() => ({ batchItemFailures: [] })));
    }
    const [first] = outcomes;
    for (const outcome of outcomes) {
      expect({ arrival: outcome.arrival, views: outcome.views, stats: outcome.stats }).toEqual({
        arrival: outcome.arrival,
        views: first?.views,
        stats: first?.stats,
      });
    }
    expect(first?.views).toMatchObject({
      shipped: { status: "SHIPPED", version: 2, total: "10.10", carrier: "DHL" },
      cancelled: { status: "CANCELLED", version: 2, total: "20.20", reason: "too late" },
      open: { status: "CREATED", version: 1, total: "30.30" },
      returned: {
        status: "CANCELLED",
        version: 3,
        total: "40.40",
        carrier: "UPS",
        reason: "returned",
      },
    });
    expect(first?.stats).toMatchObject({
      customer_id: "customer",
      orders_placed: 4,
      orders_shipped: 2,
      orders_cancelled: 2,
      lifetime_value: { EUR: "40.40" },
    });
  });
});
