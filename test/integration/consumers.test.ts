/**
 * Every consumer function the wiring declares (the read-model consumers and unrouted-events)
 * invoked with MSK events built from records read back from the real broker, against moto:
 * a batch over several partitions mixing valid events, duplicates and every kind of poison is
 * applied once and dead-lettered once, whoever sees it; the read model is served over HTTP;
 * one key's records are applied in offset order while other keys run in parallel.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { Producer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ORDER_EVENTS_DLQ_TOPIC,
  ORDER_EVENTS_MAX_MESSAGE_BYTES,
  ORDER_EVENTS_TOPIC,
  READ_MODEL_TABLE,
  systemWiring,
} from "../../infra/wiring/system-wiring";
import {
  type EffectContext,
  type EffectOutcome,
  eventConsumerHandler,
  type KafkaBatchResponse,
  readConsumerSettings,
} from "../../shared/consumer";
import { readDeadLetter } from "../../shared/dead-letters";
import {
  disconnectSharedProducers,
  eventHeaders,
  KafkaProducer,
  type LambdaKafkaEvent,
  publishEvents,
  readKafkaSettings,
} from "../../shared/kafka";
import type { KafkaRecord } from "../../shared/kafka/kafka-record";
import { createLogger, createMetrics } from "../../shared/observability";
import { cancelOrder, placeOrder, shipOrder } from "../../shared/orders/commands";
import { decideTransition } from "../../shared/orders/order";
import {
  type OrderEvent,
  type OrderEventContracts,
  orderEventContracts,
} from "../../shared/orders/order-events";
import { createReadModelWriter } from "../../shared/read-model";
import { createEventRouter } from "../../shared/router/event-router";
import { apiGatewayEvent } from "../support/api-gateway-events";
import { appliedFactVersion, storedView } from "../support/applied-facts";
import { useConsumerEnvironment } from "../support/consumer-environment";
import { importDeclaredHandler, orderEventConsumers } from "../support/declared-functions";
import { createDeclaredTable } from "../support/declared-tables";
import { FICTIONAL_EVENT_TYPE } from "../support/fictional-event-type";
import { createDeclaredTopic, readTopic, testKafkaClient } from "../support/kafka-topics";
import { lambdaContext } from "../support/lambda-context";
import { awsClientConfig, kafkaBrokers, uniqueName } from "../support/local-endpoints";
import { mskEvent } from "../support/msk-events";

type ConsumerHandler = (event: LambdaKafkaEvent, context: Context) => Promise<unknown>;

/** Every consumer of `order-events` the wiring declares. */
const CONSUMERS = orderEventConsumers;
const tableName = uniqueName("order-read-model");
const topic = uniqueName("order-events");
const deadLetterTopic = `${topic}.dlq`;
const dynamodb = new DynamoDBClient(awsClientConfig);
const producer = new KafkaProducer(readKafkaSettings({ KAFKA_BROKERS: kafkaBrokers.join(",") }));
const kafka = testKafkaClient();
let rawProducer: Producer;
const handlers = new Map<string, ConsumerHandler>();
let api: (routeKey: string, id: string) => Promise<APIGatewayProxyStructuredResultV2>;

const consume = async (name: string, event: LambdaKafkaEvent) =>
  (await handlers.get(name)?.(event, lambdaContext(name))) as KafkaBatchResponse;

/** What a client sees: the status and the body of a read route. */
const read = async (routeKey: string, id: string) => {
  const response = await api(routeKey, id);
  return { status: response.statusCode, body: JSON.parse(response.body ?? "null") };
};

const factVersion = (event: OrderEvent): Promise<number | undefined> =>
  appliedFactVersion(dynamodb, tableName, event);

/** One order's life through the domain's own transitions: created, then shipped or cancelled. */
const orderLife = (customerId: string, ending: "shipped" | "cancelled" | "open", quantity = 1) => {
  const placed = placeOrder.decide(
    {
      customer_id: customerId,
      currency: "EUR",
      items: [{ sku: "SKU-1", quantity, unit_price: "12.50" }],
    },
    { orderId: uniqueName("ord"), now: new Date() },
  );
  const events: OrderEvent[] = [placed.event];
  if (ending === "shipped") {
    events.push(
      decideTransition(
        shipOrder,
        placed.order,
        { carrier: "DHL", tracking_number: "JD1" },
        { now: new Date() },
      ).event,
    );
  }
  if (ending === "cancelled") {
    events.push(
      decideTransition(
        cancelOrder,
        placed.order,
        { reason: "changed my mind" },
        { now: new Date() },
      ).event,
    );
  }
  return { orderId: placed.order.order_id, events };
};

/** Records of these keys, as the broker holds them now. */
const recordsOf = async (keys: readonly string[]): Promise<KafkaRecord[]> => {
  const wanted = new Set(keys);
  return (await readTopic(topic)).filter((record) => wanted.has(record.key?.toString() ?? ""));
};

beforeAll(async () => {
  await createDeclaredTable(dynamodb, READ_MODEL_TABLE, tableName);
  await createDeclaredTopic(ORDER_EVENTS_TOPIC, topic);
  await createDeclaredTopic(ORDER_EVENTS_DLQ_TOPIC, deadLetterTopic);
  rawProducer = kafka.producer();
  await rawProducer.connect();
  useConsumerEnvironment(
    { readModelTable: tableName, deadLetterTopic, mode: "provisioned" },
    {
      ORDERS_TABLE_NAME: uniqueName("orders-unused"),
      ORDER_EVENTS_TOPIC: topic,
      // As the wiring declares it for unrouted-events.
      ROUTED_EVENT_TYPES:
        systemWiring.functions.find((fn) => fn.name === "unrouted-events")?.environment
          .ROUTED_EVENT_TYPES ?? "",
    },
  );
  for (const name of CONSUMERS) {
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
  await rawProducer.disconnect();
  dynamodb.destroy();
});

describe("the consumer functions on a mixed batch", () => {
  it("apply valid events once and dead-letter each poison record once, with its reason and original bytes", async () => {
    // Prepare: three orders (shipped, cancelled, open), two relay duplicates, six poison records
    const customerId = uniqueName("cus");
    const shipped = orderLife(customerId, "shipped", 2);
    const cancelled = orderLife(customerId, "cancelled", 3);
    const open = orderLife(customerId, "open", 1);
    const valid = [...shipped.events, ...cancelled.events, ...open.events];
    await publishEvents(producer, topic, valid, { source: "test" });
    await publishEvents(producer, topic, [shipped.events[0], shipped.events[1]] as OrderEvent[], {
      source: "relay-retry",
    });
    const invalid = { ...(open.events[0] as OrderEvent), event_id: crypto.randomUUID() };
    const poison = {
      "poison-malformed": Buffer.from('{"event_id": "broken'),
      "poison-schema": Buffer.from(
        JSON.stringify({ ...invalid, data: { ...invalid.data, total: "0.01" } }),
      ),
      "poison-tombstone": null,
      "poison-unknown": Buffer.from(
        JSON.stringify({ ...invalid, event_type: FICTIONAL_EVENT_TYPE }),
      ),
      "poison-untyped": Buffer.from('{"hello": "world"}'),
      "poison-binary": Buffer.from([0xff, 0xfe, 0x00, 0x81]),
    } as const;
    await rawProducer.send({
      topic,
      messages: Object.entries(poison).map(([key, value]) => ({
        key,
        value,
        headers: { origin: "test" },
      })),
    });
    const orderIds = [shipped.orderId, cancelled.orderId, open.orderId];
    const records = await recordsOf([...orderIds, ...Object.keys(poison)]);
    const event = mskEvent(records);

    // Act: every function sees the whole batch, as if no filter had run
    const responses = [];
    for (const name of CONSUMERS) responses.push(await consume(name, event));

    // Assess: the batch succeeded everywhere
    expect(records).toHaveLength(valid.length + 2 + 6);
    expect(Object.keys(event.records).length).toBeGreaterThan(1);
    expect(responses).toEqual(CONSUMERS.map(() => ({ batchItemFailures: [] })));

    // Assess: the read model holds each valid event's effect once
    expect((await read("GET /orders/{id}/view", shipped.orderId)).body).toMatchObject({
      status: "SHIPPED",
      version: 2,
      total: "25.00",
      carrier: "DHL",
    });
    expect((await read("GET /orders/{id}/view", cancelled.orderId)).body).toMatchObject({
      status: "CANCELLED",
      version: 2,
      reason: "changed my mind",
    });
    expect((await read("GET /orders/{id}/view", open.orderId)).body).toMatchObject({
      status: "CREATED",
      version: 1,
    });
    expect((await read("GET /customers/{id}/stats", customerId)).body).toMatchObject({
      customer_id: customerId,
      orders_placed: 3,
      orders_shipped: 1,
      orders_cancelled: 1,
      lifetime_value: { EUR: "37.50" },
    });
    expect(await Promise.all(valid.map(factVersion))).toEqual(
      valid.map(({ aggregate_version }) => aggregate_version),
    );

    // Assess: each poison record is in the dead-letter topic once, with its reason and bytes
    const deadLetters = (await readTopic(deadLetterTopic))
      .map(readDeadLetter)
      .filter(({ original }) => original.topic === topic);
    expect(deadLetters.map(({ original }) => original.key?.toString()).sort()).toEqual(
      Object.keys(poison).sort(),
    );
    const byKey = new Map(deadLetters.map((letter) => [letter.original.key?.toString(), letter]));
    const failureOf = (key: keyof typeof poison) => byKey.get(key)?.failure;
    expect(failureOf("poison-malformed")).toMatchObject({
      kind: "undecodable",
      functionName: "unrouted-events",
    });
    expect(failureOf("poison-malformed")?.errorMessage).toContain("not JSON");
    expect(failureOf("poison-schema")).toMatchObject({
      kind: "permanent",
      functionName: "order-created",
    });
    expect(failureOf("poison-schema")?.errorMessage).toContain("data.total");
    expect(failureOf("poison-tombstone")).toMatchObject({
      kind: "undecodable",
      functionName: "unrouted-events",
    });
    expect(failureOf("poison-unknown")).toMatchObject({
      kind: "permanent",
      functionName: "unrouted-events",
    });
    expect(failureOf("poison-unknown")?.errorMessage).toContain(`"${FICTIONAL_EVENT_TYPE}"`);
    expect(failureOf("poison-untyped")).toMatchObject({
      kind: "permanent",
      functionName: "unrouted-events",
    });
    expect(failureOf("poison-untyped")?.errorMessage).toContain("no event_type");
    expect(failureOf("poison-binary")).toMatchObject({
      kind: "undecodable",
      functionName: "unrouted-events",
    });
    for (const [key, bytes] of Object.entries(poison)) {
      const { original } = byKey.get(key) ?? {};
      expect(original?.value === null ? null : [...(original?.value ?? [])]).toEqual(
        bytes === null ? null : [...bytes],
      );
      const source = records.find((record) => record.key?.toString() === key);
      expect(original).toMatchObject({ partition: source?.partition, offset: source?.offset });
      expect(original?.headers.map(({ name }) => name)).toEqual(["origin"]);
    }
  });

  it("applies nothing twice when the same batch is delivered again", async () => {
    // Prepare
    const customerId = uniqueName("cus");
    const orders = [orderLife(customerId, "shipped"), orderLife(customerId, "cancelled")];
    await publishEvents(
      producer,
      topic,
      orders.flatMap(({ events }) => events),
      { source: "test" },
    );
    const event = mskEvent(await recordsOf(orders.map(({ orderId }) => orderId)));
    for (const name of CONSUMERS) await consume(name, event);
    const before = await read("GET /customers/{id}/stats", customerId);

    // Act
    for (const name of CONSUMERS) await consume(name, event);

    // Assess
    expect(before.body).toMatchObject({
      customer_id: customerId,
      orders_placed: 2,
      orders_shipped: 1,
      orders_cancelled: 1,
      lifetime_value: { EUR: "12.50" },
    });
    expect((await read("GET /customers/{id}/stats", customerId)).body).toEqual(before.body);
  });

  it("applies an event once even when it comes again under another event_id", async () => {
    // Prepare: an order's events applied, then the same events re-published with new ids
    // (a replay from an old outbox copy, a hand redrive that rebuilt the envelope)
    const customerId = uniqueName("cus");
    const order = orderLife(customerId, "shipped");
    await publishEvents(producer, topic, order.events, { source: "test" });
    const event = mskEvent(await recordsOf([order.orderId]));
    for (const name of CONSUMERS) await consume(name, event);
    const before = await read("GET /customers/{id}/stats", customerId);
    const viewBefore = await storedView(dynamodb, tableName, order.orderId);
    const replayed = order.events.map((original) => ({ ...original, event_id: randomUUID() }));
    await publishEvents(producer, topic, replayed, { source: "replay" });
    const replay = mskEvent((await recordsOf([order.orderId])).slice(order.events.length));

    // Act
    const responses = [];
    for (const name of CONSUMERS) responses.push(await consume(name, replay));

    // Assess
    expect(responses).toEqual(CONSUMERS.map(() => ({ batchItemFailures: [] })));
    expect(before.body).toMatchObject({
      orders_placed: 1,
      orders_shipped: 1,
      lifetime_value: { EUR: "12.50" },
    });
    expect((await read("GET /customers/{id}/stats", customerId)).body).toEqual(before.body);
    expect(viewBefore).toBeDefined();
    expect(await storedView(dynamodb, tableName, order.orderId)).toEqual(viewBefore);
  });
});

describe("a customer's lifetime value", () => {
  it("is kept per currency: EUR and JPY orders are never added together", async () => {
    // Prepare
    const customerId = uniqueName("cus");
    const place = (currency: string, unitPrice: string) =>
      placeOrder.decide(
        {
          customer_id: customerId,
          currency,
          items: [{ sku: "A", quantity: 1, unit_price: unitPrice }],
        },
        { orderId: uniqueName("ord"), now: new Date() },
      );
    const orders = [place("EUR", "10.00"), place("JPY", "1000")];
    await publishEvents(
      producer,
      topic,
      orders.map(({ event }) => event),
      { source: "test" },
    );

    // Act
    await consume(
      "order-created",
      mskEvent(await recordsOf(orders.map(({ order }) => order.order_id))),
    );

    // Assess
    expect((await read("GET /customers/{id}/stats", customerId)).body).toMatchObject({
      orders_placed: 2,
      lifetime_value: { EUR: "10.00", JPY: "1000.00" },
    });
  });
});

describe("a poison record as large as its topic takes", () => {
  it("is dead-lettered whole: the dead-letter topic has room for the dlq_* headers", async () => {
    // Prepare: a value that is not JSON, a few hundred bytes short of the topic's limit
    const key = uniqueName("poison-large");
    const value = Buffer.alloc(ORDER_EVENTS_MAX_MESSAGE_BYTES - 300, "x");
    await rawProducer.send({ topic, messages: [{ key, value, headers: { origin: "test" } }] });
    const records = await recordsOf([key]);

    // Act
    const response = await consume("unrouted-events", mskEvent(records));

    // Assess
    expect(records).toHaveLength(1);
    expect(response).toEqual({ batchItemFailures: [] });
    const [letter, ...others] = (await readTopic(deadLetterTopic))
      .map(readDeadLetter)
      .filter(({ original }) => original.key?.toString() === key);
    expect(others).toHaveLength(0);
    expect(letter?.failure).toMatchObject({ kind: "undecodable", functionName: "unrouted-events" });
    expect(letter?.original.value?.equals(value)).toBe(true);
  });
});

describe("the read routes", () => {
  it("answer 404 with problem details until an order's first event arrives, then serve view and stats", async () => {
    // Prepare
    const customerId = uniqueName("cus");
    const order = orderLife(customerId, "shipped", 4);
    await publishEvents(producer, topic, order.events, { source: "test" });
    const event = mskEvent(await recordsOf([order.orderId]));

    // Act
    const viewBefore = await api("GET /orders/{id}/view", order.orderId);
    const statsBefore = await api("GET /customers/{id}/stats", customerId);
    await consume("order-shipped", event);
    const afterShipped = await read("GET /orders/{id}/view", order.orderId);
    await consume("order-created", event);
    const afterCreated = await read("GET /orders/{id}/view", order.orderId);
    const stats = await read("GET /customers/{id}/stats", customerId);

    // Assess
    expect(viewBefore.statusCode).toBe(404);
    expect(viewBefore.headers?.["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(viewBefore.body ?? "{}")).toMatchObject({
      status: 404,
      title: "Order view not found",
    });
    expect(statsBefore.statusCode).toBe(404);
    expect(afterShipped).toEqual({
      status: 200,
      body: {
        order_id: order.orderId,
        status: "SHIPPED",
        version: 2,
        customer_id: customerId,
        carrier: "DHL",
        tracking_number: "JD1",
        shipped_at: expect.any(String),
      },
    });
    expect(afterCreated.body).toEqual({
      ...afterShipped.body,
      total: "50.00",
      currency: "EUR",
      created_at: expect.any(String),
      items: [{ sku: "SKU-1", quantity: 4, unit_price: "12.50" }],
    });
    expect(stats).toMatchObject({
      status: 200,
      body: {
        customer_id: customerId,
        orders_placed: 1,
        orders_shipped: 1,
        orders_cancelled: 0,
        lifetime_value: { EUR: "50.00" },
      },
    });
  });
});

describe("per-key order under concurrency", () => {
  it("applies one key's records in offset order while other keys' records run in parallel", async () => {
    // Prepare: 24 orders whose records share 4 keys (one per customer), so each key has 6 records
    const keys = [0, 1, 2, 3].map(() => uniqueName("key"));
    const lives = Array.from({ length: 24 }, (_, n) => ({
      key: keys[n % 4] as string,
      event: orderLife(uniqueName("cus"), "open").events[0] as OrderEvent,
    }));
    await producer.send(
      lives.map(({ key, event }) => ({
        topic,
        key,
        value: JSON.stringify(event),
        headers: eventHeaders(event, { source: "test" }),
      })),
    );
    const records = await recordsOf(keys);
    const log: { key: string; offset: number; at: "start" | "end" }[] = [];
    const readModel = createReadModelWriter({ client: dynamodb, tableName });
    const handler = eventConsumerHandler({
      functionName: "order-created",
      contracts: orderEventContracts,
      router: createEventRouter<OrderEventContracts, EffectContext, EffectOutcome>().on(
        "OrderCreated",
        async (event, { record }) => {
          const entry = { key: record.key?.toString() ?? "", offset: record.offset };
          log.push({ ...entry, at: "start" });
          try {
            return await readModel.apply(event);
          } finally {
            // Every attempt ends, also one that fails and is retried.
            log.push({ ...entry, at: "end" });
          }
        },
      ),
      // Distinct items and no duplicates, so moto can take these transactions concurrently.
      settings: { ...readConsumerSettings(process.env), concurrency: 16 },
      deadLetters: producer,
      logger: createLogger("order-created"),
      metrics: createMetrics("order-created"),
    });

    // Act
    const response = await handler(mskEvent(records), lambdaContext("order-created"));

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    for (const key of keys) {
      const offsets = records
        .filter((record) => record.key?.toString() === key)
        .map((record) => record.offset);
      const ofKey = log.filter((entry) => entry.key === key);
      // Each attempt of a key's record ends before the next attempt of that key starts ...
      ofKey.forEach((entry, index) => {
        expect(entry.at).toBe(index % 2 === 0 ? "start" : "end");
        if (entry.at === "end") expect(entry.offset).toBe(ofKey[index - 1]?.offset);
      });
      // ... and the records come in offset order (a retried record may repeat, never go back).
      const attempted = ofKey.filter(({ at }) => at === "start").map(({ offset }) => offset);
      expect(attempted.filter((offset, index) => offset !== attempted[index - 1])).toEqual(offsets);
      expect(offsets).toHaveLength(6);
    }
    const firstEnd = log.findIndex(({ at }) => at === "end");
    const startedTogether = new Set(log.slice(0, firstEnd).map(({ key }) => key));
    expect(startedTogether.size).toBe(4);
  });
});
