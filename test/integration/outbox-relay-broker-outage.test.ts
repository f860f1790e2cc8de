/**
 * The relay when the broker stops in the middle of a batch: it reports the first
 * unpublished record's sequence number; once the broker is back, Lambda's retry from that
 * record publishes the rest, and Kafka holds every outbox event once, in order.
 * Uses a private broker, so stopping it disturbs no other test.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { toLambdaStreamRecord } from "../../infra/local/aws/dynamodb-stream-event";
import { ORDERS_TABLE } from "../../infra/wiring/system-wiring";
import { isProduceError, ProduceTransientError } from "../../shared/kafka/errors";
import { KafkaProducer } from "../../shared/kafka/kafka-producer";
import { readKafkaSettings } from "../../shared/kafka/kafka-settings";
import type { MessageSender } from "../../shared/kafka/outgoing-message";
import { setupTracing } from "../../shared/observability";
import { shipOrder } from "../../shared/orders/commands";
import { createOrderRepository } from "../../shared/orders/order-repository";
import { createOrderService } from "../../shared/orders/order-service";
import {
  exponentialBackoff,
  type OutboxDeadLetters,
  relayOutboxRecords,
} from "../../shared/outbox";
import { createDeclaredTable } from "../support/declared-tables";
import { readWholeStream } from "../support/dynamodb-streams";
import { createTopic, readTopic, testKafkaClient } from "../support/kafka-topics";
import { awsClientConfig, uniqueName } from "../support/local-endpoints";
import { type SecondBroker, startSecondBroker } from "../support/second-broker";

const tableName = uniqueName("orders");
const topic = "order-events";
const dynamodb = new DynamoDBClient(awsClientConfig);
const streams = new DynamoDBStreamsClient(awsClientConfig);
const noDeadLetters: OutboxDeadLetters = {
  put: async () => {
    throw new Error("no item of this test is poison");
  },
};
let second: SecondBroker;
let producer: KafkaProducer;
let records: DynamoDBRecord[] = [];

beforeAll(async () => {
  setupTracing({ serviceName: "outbox-relay-test" });
  second = await startSecondBroker();
  await createTopic(topic, 3, testKafkaClient([second.endpoint]));
  producer = new KafkaProducer(
    readKafkaSettings({
      KAFKA_BROKERS: second.endpoint,
      KAFKA_CONNECT_TIMEOUT_MS: "1000",
      KAFKA_REQUEST_TIMEOUT_MS: "2000",
      KAFKA_SEND_TIMEOUT_MS: "5000",
    }),
    { logLevel: logLevel.NOTHING },
  );

  const streamArn = (await createDeclaredTable(dynamodb, ORDERS_TABLE, tableName)).streamArn ?? "";
  const orders = createOrderService({
    repository: createOrderRepository({
      client: DynamoDBDocumentClient.from(dynamodb),
      tableName,
      topic,
      source: "orders-api",
      outboxTtlSeconds: 3600,
      idempotencyTtlSeconds: 3600,
    }),
  });
  for (let n = 0; n < 10; n += 1) {
    const { order } = await orders.place(
      { customer_id: "c", currency: "EUR", items: [{ sku: "A", quantity: 1, unit_price: "1.00" }] },
      { trace: {} },
    );
    await orders.transition(
      shipOrder,
      order.order_id,
      { carrier: "DHL", tracking_number: `T${n}` },
      { trace: {} },
    );
  }
  records = (await readWholeStream(streams, streamArn))
    .map((record) => toLambdaStreamRecord(record, streamArn, awsClientConfig.region))
    .filter((record) => record.dynamodb?.Keys?.sk?.S?.startsWith("OUTBOX#"));
});

afterAll(async () => {
  await producer?.disconnect();
  await second?.dispose();
  dynamodb.destroy();
  streams.destroy();
});

/** Sends the first `stopAfter` messages, stops the broker, then sends the rest. */
const stoppingMidway = (stopAfter: number): MessageSender => ({
  async send(messages) {
    const first = await producer.send(messages.slice(0, stopAfter));
    await second.broker.down();
    try {
      const rest = await producer.send(messages.slice(stopAfter));
      return { acknowledgements: [...first.acknowledgements, ...rest.acknowledgements] };
    } catch (error) {
      if (!isProduceError(error)) throw error;
      throw new ProduceTransientError(error.message, {
        firstUnacknowledged: stopAfter + error.firstUnacknowledged,
        kafkaError: error.kafkaError,
        kafkaErrorType: error.kafkaErrorType,
      });
    }
  },
});

describe("outbox relay when the broker stops mid-batch", () => {
  it("reports the first unpublished record, and the retry after the broker is back completes the topic in order", async () => {
    // Act: the broker goes away after 7 of the 20 messages
    const failed = await relayOutboxRecords(records, {
      sender: stoppingMidway(7),
      deadLetters: noDeadLetters,
      maxMessageBytes: 1_000_000,
      topics: new Set([topic]),
    });

    // Assess
    expect(records).toHaveLength(20);
    expect(failed.response.batchItemFailures).toEqual([
      { itemIdentifier: records[7]?.dynamodb?.SequenceNumber },
    ]);
    expect(failed.report).toMatchObject({ received: 20, published: 7, failed: 13 });

    // Act: the broker is back; Lambda retries from the reported sequence number
    await second.broker.up(() => undefined);
    const from = records.findIndex(
      (record) =>
        record.dynamodb?.SequenceNumber === failed.response.batchItemFailures[0]?.itemIdentifier,
    );
    const retried = await relayOutboxRecords(records.slice(from), {
      sender: producer,
      deadLetters: noDeadLetters,
      maxMessageBytes: 1_000_000,
      topics: new Set([topic]),
    });

    // Assess
    expect(retried.response.batchItemFailures).toEqual([]);
    const events = (await readTopic(topic, testKafkaClient([second.endpoint]))).map((message) =>
      JSON.parse(message.value?.toString() ?? "null"),
    );
    expect(events).toHaveLength(20);
    expect(new Set(events.map((event) => event.event_id)).size).toBe(20);
    for (const orderEvents of Map.groupBy(
      events,
      (event) => event.aggregate_id as string,
    ).values()) {
      expect(orderEvents.map((event) => event.aggregate_version)).toEqual([1, 2]);
    }
  });
  it("backs off before answering each failed batch: longer each time, within the invocation's time, from the start once a batch went", async () => {
    // Prepare: the broker away, a producer that gives up quickly, and a short backoff
    const quick = new KafkaProducer(
      readKafkaSettings({
        KAFKA_BROKERS: second.endpoint,
        KAFKA_CONNECT_TIMEOUT_MS: "500",
        KAFKA_REQUEST_TIMEOUT_MS: "1000",
        KAFKA_SEND_TIMEOUT_MS: "2000",
        KAFKA_SEND_RETRIES: "1",
      }),
      { logLevel: logLevel.NOTHING },
    );
    onTestFinished(() => quick.disconnect());
    const backoff = exponentialBackoff({ initialMs: 300, maxMs: 1_200, reserveMs: 500 });
    let remainingMs = 60_000;
    const relay = async (batch: readonly DynamoDBRecord[]) => {
      const started = performance.now();
      const { report } = await relayOutboxRecords(batch, {
        sender: quick,
        deadLetters: noDeadLetters,
        maxMessageBytes: 1_000_000,
        topics: new Set([topic]),
        backoff,
        remainingTimeMs: () => remainingMs,
      });
      return { report, elapsedMs: performance.now() - started };
    };
    await second.broker.down();
    onTestFinished(async () => {
      await second.broker.up(() => undefined);
    });

    // Act: four failed batches in a row; one with 1 s left; one that goes; one failing again
    const inARow = [];
    for (let attempt = 0; attempt < 4; attempt += 1) inARow.push(await relay(records.slice(0, 2)));
    remainingMs = 1_000;
    const nearTheEnd = await relay(records.slice(0, 2));
    remainingMs = 60_000;
    const went = await relay([]);
    const again = await relay(records.slice(0, 2));

    // Assess
    const all = [...inARow, nearTheEnd, again];
    for (const { report } of all) expect(report).toMatchObject({ published: 0, failed: 2 });
    expect(all.map(({ report }) => report.backoffMs)).toEqual([300, 600, 1_200, 1_200, 500, 300]);
    for (const { report, elapsedMs } of all) {
      expect(elapsedMs).toBeGreaterThanOrEqual((report.backoffMs ?? Number.NaN) - 5);
    }
    expect(went.report).toMatchObject({ received: 0, failed: 0 });
    expect(went.report).not.toHaveProperty("backoffMs");
  });
});
