/**
 * A dead-letter send the consumer gives up on must not make a later dead letter vanish.
 *
 * kafkajs rewinds a partition's sequence numbers when a produce request times out, even
 * when the broker wrote it. A send abandoned by the consumer's own timer (before the
 * producer's deadline) keeps its producer id; the next invocation's letter for that
 * partition could then take the abandoned letter's sequence number, be acknowledged by the
 * broker as a duplicate of it, and count as dead-lettered while it is nowhere.
 *
 * Here order-created, as deployed, sends its dead letters through the Kafka fault proxy,
 * which holds the first produce response past the request timeout: the first invocation's
 * letter is written and its send abandoned; the second invocation's letter must then be in
 * the dead-letter topic.
 */
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KafkaBatchResponse } from "../../../shared/consumer";
import { readDeadLetter } from "../../../shared/dead-letters";
import {
  disconnectSharedProducers,
  eventHeaders,
  type LambdaKafkaEvent,
  readKafkaSettings,
  sharedProducer,
} from "../../../shared/kafka";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";
import { placeOrder } from "../../../shared/orders/commands";
import type { OrderEvent } from "../../../shared/orders/order-events";
import { useConsumerEnvironment } from "../../support/consumer-environment";
import { type KafkaFaultProxy, startKafkaFaultProxy } from "../../support/faults/kafka-fault-proxy";
import { createTopic, readTopic, testKafkaClient } from "../../support/kafka-topics";
import { lambdaContext } from "../../support/lambda-context";
import { kafkaBrokers, uniqueName } from "../../support/local-endpoints";
import { mskEvent } from "../../support/msk-events";

const topic = uniqueName("order-events");
const deadLetterTopic = `${topic}.dlq`;
/** kafkajs' request timeout: the held response comes later than this. */
const REQUEST_TIMEOUT_MS = 1_000;
/** The first invocation's time: its dead-letter send gives up 500 ms before the end. */
const SHORT_INVOCATION_MS = 1_200;
let proxy: KafkaFaultProxy;
let orderCreated: (event: LambdaKafkaEvent, context: Context) => Promise<unknown>;

/** An OrderCreated whose total disagrees with its items: poison, dead-lettered at once. */
const poisonEvent = (): OrderEvent => {
  const { event } = placeOrder.decide(
    {
      customer_id: "cus-1",
      currency: "EUR",
      items: [{ sku: "a", quantity: 1, unit_price: "5.00" }],
    },
    { orderId: uniqueName("ord"), now: new Date() },
  );
  return { ...event, data: { ...event.data, total: "0.01" } } as OrderEvent;
};

/** Puts poison on the source topic (past the proxy) and reads it back as Lambda hands it. */
const poisonRecord = async (): Promise<KafkaRecord> => {
  const event = poisonEvent();
  const producer = testKafkaClient().producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [
      {
        key: event.aggregate_id,
        value: JSON.stringify(event),
        headers: eventHeaders(event, { source: "test" }),
      },
    ],
  });
  await producer.disconnect();
  const record = (await readTopic(topic)).find((r) => r.key?.toString() === event.aggregate_id);
  if (record === undefined) throw new Error("the poison record did not arrive");
  return record;
};

const invoke = async (record: KafkaRecord, remainingMs: number) =>
  (await orderCreated(
    mskEvent([record]),
    lambdaContext("order-created", remainingMs),
  )) as KafkaBatchResponse;

/** The source offsets of the dead letters the topic holds, in the topic's order. */
const deadLetteredOffsets = async (): Promise<number[]> =>
  (await readTopic(deadLetterTopic)).map((letter) => readDeadLetter(letter).original.offset);

beforeAll(async () => {
  await createTopic(topic, 1);
  await createTopic(deadLetterTopic, 1);
  proxy = await startKafkaFaultProxy({ upstream: kafkaBrokers[0] as string });
  useConsumerEnvironment(
    { readModelTable: uniqueName("unused"), deadLetterTopic, mode: "provisioned" },
    {
      KAFKA_BROKERS: proxy.endpoint,
      KAFKA_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      // Records may start with little time left, so the short invocation reaches its send.
      CONSUMER_TIME_MARGIN_MS: "100",
    },
  );
  ({ handler: orderCreated } = await import("../../../functions/order-created/handler"));
  // Connected ahead (the function's own shared producer), so the send is all the first
  // invocation's time goes to.
  await sharedProducer(readKafkaSettings(process.env)).connect();
});

afterAll(async () => {
  await disconnectSharedProducers();
  await proxy.close();
});

describe("a dead-letter send given up on", () => {
  it("does not make the next invocation's dead letter vanish", async () => {
    // Prepare: two poison records; the first produce response held past the request timeout
    const first = await poisonRecord();
    const second = await poisonRecord();
    proxy.setRules([{ kind: "delay-response", api: "Produce", delayMs: 1_500, times: 1 }]);

    // Act: the first invocation gives up on its send; the next one starts right away
    const abandoned = await invoke(first, SHORT_INVOCATION_MS);
    const next = await invoke(second, 30_000);

    // Assess: the first record is left for Lambda, the second one's letter is really there
    expect(proxy.counts().delayedResponses).toBe(1);
    expect(abandoned.batchItemFailures).toEqual([
      { itemIdentifier: { partition: `${topic}-0`, offset: first.offset } },
    ]);
    expect(next).toEqual({ batchItemFailures: [] });
    const offsets = await deadLetteredOffsets();
    expect(offsets.filter((offset) => offset === second.offset)).toHaveLength(1);
    expect(offsets).toContain(first.offset);
    // The abandoned send's producer was retired: the next letter went out under a new id.
    expect(proxy.counts().requests.InitProducerId).toBe(2);
  });
});
