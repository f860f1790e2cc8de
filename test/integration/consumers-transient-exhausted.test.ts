/**
 * Transient failures have an end, for real: the read-model table does not exist (moto answers
 * ResourceNotFoundException, a transient failure), and order-created gets a record stamped
 * two hours ago and one stamped now, with an age bound of one hour. In both modes the old
 * record becomes a `transient-exhausted` dead letter in the dead-letter topic, with its
 * attempts and reason, and is reported done; the young one is left for Lambda. And a dead
 * letter the dead-letter topic refuses for its size goes reduced, naming where the original
 * sits, rather than holding its record back until the topic's retention.
 */
import type { Context } from "aws-lambda";
import type { Producer } from "kafkajs";
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from "vitest";
import { BatchIncompleteError, type KafkaBatchResponse } from "../../shared/consumer";
import { readDeadLetter } from "../../shared/dead-letters";
import { disconnectSharedProducers, eventHeaders, type LambdaKafkaEvent } from "../../shared/kafka";
import type { KafkaRecord } from "../../shared/kafka/kafka-record";
import { placeOrder } from "../../shared/orders/commands";
import type { OrderEvent } from "../../shared/orders/order-events";
import { readModelConsumerHandler } from "../../shared/read-model/read-model-consumer";
import { useConsumerEnvironment } from "../support/consumer-environment";
import { createTopic, createTopics, readTopic, testKafkaClient } from "../support/kafka-topics";
import { lambdaContext } from "../support/lambda-context";
import { uniqueName } from "../support/local-endpoints";
import { mskEvent } from "../support/msk-events";
import { jsonLines } from "../unit/observability/fixtures";

type Handler = (event: LambdaKafkaEvent, context: Context) => Promise<unknown>;

const BOUND_SECONDS = 3600;
const RETRY_ATTEMPTS = 3;
const kafka = testKafkaClient();
let rawProducer: Producer;
let output: MockInstance<typeof process.stdout.write>[];

const orderEvent = (label: string): OrderEvent =>
  placeOrder.decide(
    {
      customer_id: uniqueName("cus"),
      currency: "EUR",
      items: [{ sku: label, quantity: 1, unit_price: "5.00" }],
    },
    { orderId: uniqueName(label), now: new Date() },
  ).event;

/** Produces `events` in order to the one partition of `topic`, each with its own timestamp. */
const produce = async (
  topic: string,
  messages: readonly { readonly event: OrderEvent | object; readonly timestamp: number }[],
): Promise<KafkaRecord[]> => {
  await rawProducer.send({
    topic,
    messages: messages.map(({ event, timestamp }) => ({
      key: "aggregate_id" in event ? String(event.aggregate_id) : uniqueName("key"),
      value: JSON.stringify(event),
      timestamp: String(timestamp),
      ...("event_id" in event
        ? { headers: eventHeaders(event as OrderEvent, { source: "test" }) }
        : {}),
    })),
  });
  return readTopic(topic);
};

/** A topic and its dead-letter topic, and order-created reading them in `mode`. */
const consumerOn = async (
  mode: "provisioned" | "on-demand",
  deadLetterConfig: { name: string; value: string }[] = [],
): Promise<{ topic: string; deadLetterTopic: string; handler: Handler }> => {
  const topic = uniqueName("order-events");
  const deadLetterTopic = `${topic}.dlq`;
  await createTopic(topic, 1);
  await createTopics(kafka, [
    { topic: deadLetterTopic, numPartitions: 1, configEntries: deadLetterConfig },
  ]);
  useConsumerEnvironment(
    // A table that never exists: every effect fails transiently.
    { readModelTable: uniqueName("order-read-model-missing"), deadLetterTopic, mode },
    {
      CONSUMER_TRANSIENT_MAX_AGE_SECONDS: String(BOUND_SECONDS),
      CONSUMER_RETRY_ATTEMPTS: String(RETRY_ATTEMPTS),
      CONSUMER_RETRY_BASE_DELAY_MS: "10",
    },
  );
  // The cold start of a function of its own, as the environment is read once, there.
  const handler = readModelConsumerHandler("OrderCreated", "order-created") as Handler;
  return { topic, deadLetterTopic, handler };
};

const twoHoursAgo = () => Date.now() - 2 * BOUND_SECONDS * 1000;

const failuresOf = (response: unknown): string[] =>
  (response as KafkaBatchResponse).batchItemFailures.map(
    ({ itemIdentifier }) => `${itemIdentifier.partition}@${itemIdentifier.offset}`,
  );

/** Checks the one dead letter of `deadLetterTopic`: the old record, given up on its age. */
const expectExhausted = async (deadLetterTopic: string, old: KafkaRecord, startedAt: number) => {
  const letters = (await readTopic(deadLetterTopic)).map(readDeadLetter);
  expect(letters).toHaveLength(1);
  const [{ original, failure }] = letters as [ReturnType<typeof readDeadLetter>];
  expect(original).toMatchObject({
    topic: old.topic,
    partition: 0,
    offset: old.offset,
    timestamp: old.timestamp,
    timestampType: "CREATE_TIME",
  });
  expect(original.value?.equals(old.value ?? Buffer.alloc(0))).toBe(true);
  expect(failure).toMatchObject({
    kind: "transient-exhausted",
    errorClass: "ReadModelUnavailableError",
    functionName: "order-created",
    attempts: RETRY_ATTEMPTS,
  });
  expect(failure.firstFailureAt.getTime()).toBeGreaterThanOrEqual(startedAt);
  expect(failure.lastFailureAt.getTime()).toBeGreaterThanOrEqual(failure.firstFailureAt.getTime());
  expect(errorLinesAbout(old.offset)).toEqual([
    expect.objectContaining({
      message: expect.stringContaining("outlasted the age bound"),
      errorClass: "ReadModelUnavailableError",
      attempts: RETRY_ATTEMPTS,
      transientMaxAgeSeconds: BOUND_SECONDS,
    }),
  ]);
};

beforeAll(async () => {
  rawProducer = kafka.producer();
  await rawProducer.connect();
});

beforeEach(() => {
  // The function's log lines, read to see what it said of the records it gave up on.
  output = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, "write").mockImplementation(() => true),
  );
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The function's error lines about the record at `offset`. */
const errorLinesAbout = (offset: number) =>
  output
    .flatMap((spy) => jsonLines(spy.mock.calls))
    .filter((line) => line.level === "ERROR" && line.offset === offset);

afterAll(async () => {
  await disconnectSharedProducers();
  await rawProducer.disconnect();
});

describe("order-created, a transient failure past the age bound", () => {
  it("provisioned: dead-letters the old record as transient-exhausted and names only the young one", async () => {
    // Prepare: offset 0 stamped two hours ago, offset 1 now
    const { topic, deadLetterTopic, handler } = await consumerOn("provisioned");
    const [old, young] = await produce(topic, [
      { event: orderEvent("old"), timestamp: twoHoursAgo() },
      { event: orderEvent("young"), timestamp: Date.now() },
    ]);
    if (old === undefined || young === undefined) throw new Error("records not read back");
    const startedAt = Date.now();

    // Act
    const response = await handler(mskEvent([old, young]), lambdaContext("order-created"));

    // Assess
    expect(failuresOf(response)).toEqual([`${topic}-0@1`]);
    await expectExhausted(deadLetterTopic, old, startedAt);
  });

  it("on-demand: dead-letters the old record and answers done; the young one fails the invocation", async () => {
    // Prepare
    const { topic, deadLetterTopic, handler } = await consumerOn("on-demand");
    const [old, young] = await produce(topic, [
      { event: orderEvent("old"), timestamp: twoHoursAgo() },
      { event: orderEvent("young"), timestamp: Date.now() },
    ]);
    if (old === undefined || young === undefined) throw new Error("records not read back");
    const startedAt = Date.now();

    // Act
    const oldAlone = await handler(mskEvent([old]), lambdaContext("order-created"));
    const youngAlone = handler(mskEvent([young]), lambdaContext("order-created"));

    // Assess: the old record's batch is done; the young one's comes again, with no letter
    expect(failuresOf(oldAlone)).toEqual([]);
    await expect(youngAlone).rejects.toBeInstanceOf(BatchIncompleteError);
    await expect(youngAlone).rejects.toMatchObject({ report: { failed: 1, deadLettered: 0 } });
    await expectExhausted(deadLetterTopic, old, startedAt);
  });

  it.each(["provisioned", "on-demand"] as const)(
    "%s: sends a dead letter the topic refuses for its size reduced, naming where the original sits",
    async (mode) => {
      // Prepare: a dead-letter topic taking 4 KiB, and a poison record of 8 KiB
      const { topic, deadLetterTopic, handler } = await consumerOn(mode, [
        { name: "max.message.bytes", value: "4096" },
      ]);
      const [poison] = await produce(topic, [
        {
          event: { event_type: "OrderCreated", padding: "x".repeat(8_192) },
          timestamp: Date.now(),
        },
      ]);
      if (poison === undefined) throw new Error("record not read back");

      // Act
      const response = await handler(mskEvent([poison]), lambdaContext("order-created"));

      // Assess: done, and the letter holds where the original is and why it is not in it
      expect(failuresOf(response)).toEqual([]);
      const letters = (await readTopic(deadLetterTopic)).map(readDeadLetter);
      expect(letters).toHaveLength(1);
      const [{ original, failure }] = letters as [ReturnType<typeof readDeadLetter>];
      expect(original).toMatchObject({ topic, partition: 0, offset: poison.offset, value: null });
      expect(original.headers).toEqual([]);
      expect(original.key?.equals(poison.key ?? Buffer.alloc(0))).toBe(true);
      expect(failure.kind).toBe("permanent");
      expect(failure.errorClass).toBe("RecordDecodeError");
      expect(failure.contentOmitted).toMatch(/MESSAGE_TOO_LARGE/);
      expect(errorLinesAbout(poison.offset)).toEqual([
        expect.objectContaining({
          message: expect.stringContaining("refused a letter"),
          errorClass: "ProducePermanentError",
        }),
      ]);
    },
  );
});
