/**
 * On-demand mode, where Lambda ignores partial batch responses and retries the whole batch
 * on an error: order-created fails the invocation while records are not done (first the
 * read-model table is missing, then time runs low halfway), and the redelivered batch applies
 * every event exactly once, the ones applied before included. Poison is dead-lettered once,
 * by the invocation that succeeds.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import type { Producer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READ_MODEL_TABLE } from "../../infra/wiring/system-wiring";
import { BatchIncompleteError } from "../../shared/consumer";
import { readDeadLetter } from "../../shared/dead-letters";
import {
  disconnectSharedProducers,
  KafkaProducer,
  type LambdaKafkaEvent,
  publishEvents,
  readKafkaSettings,
} from "../../shared/kafka";
import { placeOrder } from "../../shared/orders/commands";
import { createReadModelQueries } from "../../shared/read-model";
import { useConsumerEnvironment } from "../support/consumer-environment";
import { createDeclaredTable } from "../support/declared-tables";
import { createTopic, readTopic, testKafkaClient } from "../support/kafka-topics";
import { lambdaContext } from "../support/lambda-context";
import { awsClientConfig, kafkaBrokers, uniqueName } from "../support/local-endpoints";
import { mskEvent } from "../support/msk-events";

const ORDERS = 40;
const tableName = uniqueName("order-read-model-not-yet");
const topic = uniqueName("order-events");
const deadLetterTopic = `${topic}.dlq`;
const dynamodb = new DynamoDBClient(awsClientConfig);
const kafka = testKafkaClient();
const producer = new KafkaProducer(readKafkaSettings({ KAFKA_BROKERS: kafkaBrokers.join(",") }));
let rawProducer: Producer;
let orderCreated: (event: LambdaKafkaEvent, context: Context) => Promise<unknown>;

/** Lambda's context, but the remaining time drops to nothing after `checks` looks at it. */
const contextRunningOutAfter = (checks: number): Context => {
  let looks = 0;
  return {
    ...lambdaContext("order-created"),
    getRemainingTimeInMillis: () => {
      looks += 1;
      return looks <= checks ? 30_000 : 0;
    },
  };
};

beforeAll(async () => {
  await createTopic(topic, 6);
  await createTopic(deadLetterTopic, 1);
  rawProducer = kafka.producer();
  await rawProducer.connect();
  useConsumerEnvironment(
    { readModelTable: tableName, deadLetterTopic, mode: "on-demand" },
    {
      // One record at a time, so "time runs low after a dozen looks" cuts the batch at a
      // predictable point.
      CONSUMER_CONCURRENCY: "1",
      CONSUMER_RETRY_BASE_DELAY_MS: "20",
    },
  );
  ({ handler: orderCreated } = await import("../../functions/order-created/handler"));
});

afterAll(async () => {
  await disconnectSharedProducers();
  await producer.disconnect();
  await rawProducer.disconnect();
  dynamodb.destroy();
});

describe("order-created in on-demand mode", () => {
  it("fails the batch while records are not done, and its redelivery applies every event once", async () => {
    // Prepare: 40 orders of one customer and one poison record, read back from the broker
    const customerId = uniqueName("cus");
    const events = Array.from(
      { length: ORDERS },
      (_, n) =>
        placeOrder.decide(
          {
            customer_id: customerId,
            currency: "EUR",
            items: [{ sku: `SKU-${n}`, quantity: 1, unit_price: "2.50" }],
          },
          { orderId: uniqueName("ord"), now: new Date() },
        ).event,
    );
    await publishEvents(producer, topic, events, { source: "test" });
    await rawProducer.send({
      topic,
      messages: [
        { key: "poison", value: JSON.stringify({ ...events[0], event_id: "not-a-uuid" }) },
      ],
    });
    const batch = mskEvent(await readTopic(topic));
    const queries = createReadModelQueries({ client: dynamodb, tableName });

    // Act 1: the table does not exist yet
    const first = orderCreated(batch, lambdaContext("order-created"));

    // Assess 1: the invocation fails, so Lambda delivers the whole batch again; no dead letter yet
    await expect(first).rejects.toBeInstanceOf(BatchIncompleteError);
    await expect(first).rejects.toMatchObject({ report: { applied: 0, failed: ORDERS + 1 } });

    // Act 2: the table exists, but time runs low after a dozen looks at it
    await createDeclaredTable(dynamodb, READ_MODEL_TABLE, tableName);
    const second = await orderCreated(batch, contextRunningOutAfter(12)).catch(
      (error: unknown) => error,
    );

    // Assess 2: middy reads the remaining time once (for its timeout) and the consumer once per
    // record it starts, one at a time: so exactly the first 11 records in Lambda's order
    // started, all applied but the poison if among them; the rest were not started, and the
    // invocation fails again
    expect(second).toBeInstanceOf(BatchIncompleteError);
    const { applied, failed } = (second as BatchIncompleteError).report;
    const started = Object.values(batch.records)
      .flat()
      .slice(0, 12 - 1);
    const poisonStarted = started.some(
      ({ key }) => key === Buffer.from("poison").toString("base64"),
    );
    expect(applied).toBe(started.length - (poisonStarted ? 1 : 0));
    expect(failed).toBe(ORDERS - applied + 1);
    expect((await queries.customerStats(customerId)).orders_placed).toBe(applied);
    expect(await readTopic(deadLetterTopic)).toEqual([]);

    // Act 3: the redelivery, with time enough
    const third = await orderCreated(batch, lambdaContext("order-created"));

    // Assess 3: every event applied exactly once, the poison dead-lettered once
    expect(third).toEqual({ batchItemFailures: [] });
    expect(await queries.customerStats(customerId)).toMatchObject({
      customer_id: customerId,
      orders_placed: ORDERS,
      orders_shipped: 0,
      orders_cancelled: 0,
      lifetime_value: { EUR: "100.00" },
    });
    const deadLetters = (await readTopic(deadLetterTopic)).map(readDeadLetter);
    expect(
      deadLetters.map(({ original, failure }) => [original.key?.toString(), failure.kind]),
    ).toEqual([["poison", "permanent"]]);
    expect(deadLetters[0]?.failure.errorMessage).toContain("event_id");
  });
});
