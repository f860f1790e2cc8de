/**
 * docs/architecture.md ("Lambda event sources"), MSK event source mapping in provisioned mode: retry attempts, the Kafka
 * on-failure destination, maximum record age, bisect on error and partial batch responses.
 * Real broker; what reached the on-failure topic is read back from it. The tests of this file
 * run concurrently: one of them waits out kafkajs's own retries (~10 s) to a missing topic.
 */

import { describe, it } from "vitest";
import type { LambdaKafkaEvent } from "../../../shared/kafka/lambda-kafka-event";
import { createTopics } from "../../support/kafka-topics";
import {
  deliveredValues,
  fileKafkaFixture,
  kafkaRecords,
  kafkaTrigger,
  onFailureRecords,
  payloadValues,
  provisionedMode,
  scriptedFunction,
  startKafkaMapping,
  waitFor,
} from "./harness";

const kafka = fileKafkaFixture();

const offsetsOf = (event: LambdaKafkaEvent) =>
  kafkaRecords(event).map((record) => `${record.partition}:${record.offset}`);

describe.concurrent("local MSK event source mapping: provisioned mode (docs/architecture.md, Lambda event sources)", () => {
  it("Kafka provisioned — retry attempts, then the on-failure topic receives the records with metadata and offsets move past them", async (ctx) => {
    const { expect } = ctx;
    // Prepare: a function that always fails, two retry attempts
    const topic = await kafka.topic(1);
    const onFailure = await kafka.topic(1);
    await kafka.produce(topic, [
      { key: "k-0", value: "bad-0" },
      { key: "k-1", value: "bad-1" },
      { key: "k-2", value: "bad-2" },
    ]);
    const fn = scriptedFunction(ctx, { script: { action: "throw", message: "always" } });
    const trigger = kafkaTrigger(topic, {
      maximumBatchingWindowSeconds: 1,
      mode: provisionedMode(onFailure, { retryAttempts: 2 }),
    });

    // Act
    await startKafkaMapping(ctx, fn, trigger);
    const parked = await onFailureRecords(kafka, onFailure, 3);
    await waitFor(
      "offsets committed past the parked records",
      async () => (await kafka.committed(trigger.consumerGroupId, topic)).get(0) === 3,
    );
    fn.setScript({ action: "succeed" });
    await kafka.produce(topic, [{ key: "k-3", value: "good-3" }]);
    await waitFor("the next record", () => deliveredValues(fn).flat().includes("good-3"));

    // Assess: the first invocation and two retries, then on to the next record only
    expect(deliveredValues(fn)).toEqual([
      ["bad-0", "bad-1", "bad-2"],
      ["bad-0", "bad-1", "bad-2"],
      ["bad-0", "bad-1", "bad-2"],
      ["good-3"],
    ]);
    expect(parked.map((record) => record.key)).toEqual(["k-0", "k-1", "k-2"]);
    expect(parked.map(payloadValues)).toEqual([["bad-0"], ["bad-1"], ["bad-2"]]);
    for (const [index, record] of parked.entries()) {
      expect(record.requestContext).toMatchObject({
        condition: "RetryAttemptsExhausted",
        approximateInvokeCount: 3,
      });
      expect(record.payload).toMatchObject({ eventSource: "aws:kafka" });
      expect(kafkaRecords(record.payload)[0]).toMatchObject({ topic, partition: 0, offset: index });
    }
  });

  it("Kafka provisioned — records that cannot reach the on-failure topic are not committed and are retried until they do", async (ctx) => {
    const { expect } = ctx;
    // Prepare: the on-failure topic does not exist yet
    const topic = await kafka.topic(1);
    const onFailure = `${topic}.on-failure`;
    await kafka.produce(topic, [{ key: "k", value: "stuck" }]);
    const fn = scriptedFunction(ctx, { script: { action: "throw", message: "always" } });
    const trigger = kafkaTrigger(topic, { mode: provisionedMode(onFailure, { retryAttempts: 0 }) });

    // Act
    const mapping = await startKafkaMapping(ctx, fn, trigger);
    // The mapping logs the function's failures, and then the producer's own error.
    await waitFor("a failed hand-over to the on-failure topic", () =>
      mapping.logs.some((line) => !line.includes("invocation failed")),
    );
    const whileMissing = await kafka.committed(trigger.consumerGroupId, topic);
    await createTopics(kafka.kafka, [{ topic: onFailure, numPartitions: 1 }]);
    const parked = await onFailureRecords(kafka, onFailure, 1);
    await waitFor(
      "the offset committed",
      async () => (await kafka.committed(trigger.consumerGroupId, topic)).get(0) === 1,
    );

    // Assess
    expect(whileMissing.get(0)).toBe(-1);
    expect(parked.map(payloadValues)).toEqual([["stuck"]]);
  });

  it("Kafka provisioned — infinite retries with an on-failure destination stop after 10 retries", async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const topic = await kafka.topic(1);
    const onFailure = await kafka.topic(1);
    await kafka.produce(topic, [{ key: "k", value: "never-ok" }]);
    const fn = scriptedFunction(ctx, { script: { action: "throw", message: "always" } });
    const trigger = kafkaTrigger(topic, {
      mode: provisionedMode(onFailure, { retryAttempts: -1 }),
    });

    // Act
    await startKafkaMapping(ctx, fn, trigger);
    const parked = await onFailureRecords(kafka, onFailure, 1);
    await waitFor(
      "the offset committed",
      async () => (await kafka.committed(trigger.consumerGroupId, topic)).get(0) === 1,
    );

    // Assess: the first invocation and 10 retries
    expect(deliveredValues(fn)).toEqual(Array.from({ length: 11 }, () => ["never-ok"]));
    expect(parked[0]?.requestContext).toMatchObject({
      condition: "RetryAttemptsExhausted",
      approximateInvokeCount: 11,
    });
  });

  it("Kafka provisioned — a retry count above 10 is honoured in full, beside an on-failure destination (the consumers' 10,000)", async (ctx) => {
    const { expect } = ctx;
    // Prepare: 12 retries, more than the 10 that -1 comes to
    const topic = await kafka.topic(1);
    const onFailure = await kafka.topic(1);
    await kafka.produce(topic, [{ key: "k", value: "never-ok" }]);
    const fn = scriptedFunction(ctx, { script: { action: "throw", message: "always" } });
    const trigger = kafkaTrigger(topic, {
      mode: provisionedMode(onFailure, { retryAttempts: 12 }),
    });

    // Act
    await startKafkaMapping(ctx, fn, trigger);
    const parked = await onFailureRecords(kafka, onFailure, 1);

    // Assess: the first invocation and 12 retries
    expect(deliveredValues(fn)).toEqual(Array.from({ length: 13 }, () => ["never-ok"]));
    expect(parked[0]?.requestContext).toMatchObject({
      condition: "RetryAttemptsExhausted",
      approximateInvokeCount: 13,
    });
  });

  it("Kafka provisioned — maximum record age: an old record goes to the on-failure topic without an invocation", async (ctx) => {
    const { expect } = ctx;
    // Prepare: a record stamped an hour ago between two fresh ones
    const topic = await kafka.topic(1);
    const onFailure = await kafka.topic(1);
    await kafka.produce(topic, [
      { key: "fresh", value: "fresh-0" },
      { key: "old", value: "old-1", timestamp: String(Date.now() - 3_600_000) },
      { key: "fresh", value: "fresh-2" },
    ]);
    const fn = scriptedFunction(ctx);
    const trigger = kafkaTrigger(topic, {
      mode: provisionedMode(onFailure, { maximumRecordAgeSeconds: 60, retryAttempts: 5 }),
    });

    // Act
    await startKafkaMapping(ctx, fn, trigger);
    const parked = await onFailureRecords(kafka, onFailure, 1);
    await waitFor(
      "every offset committed",
      async () => (await kafka.committed(trigger.consumerGroupId, topic)).get(0) === 3,
    );

    // Assess
    expect(deliveredValues(fn).flat()).toEqual(["fresh-0", "fresh-2"]);
    expect(parked).toHaveLength(1);
    expect(parked[0]?.key).toBe("old");
    expect(parked[0] && payloadValues(parked[0])).toEqual(["old-1"]);
    expect(parked[0]?.requestContext).toMatchObject({
      condition: "RecordAgeExceeded",
      approximateInvokeCount: 0,
    });
  });

  it("Kafka provisioned — bisect on error isolates a poison record", async (ctx) => {
    const { expect } = ctx;
    // Prepare: eight records, one of which always fails
    const topic = await kafka.topic(1);
    const onFailure = await kafka.topic(1);
    const values = Array.from({ length: 8 }, (_, index) =>
      index === 5 ? "poison-5" : `ok-${index}`,
    );
    await kafka.produce(
      topic,
      values.map((value) => ({ key: value, value })),
    );
    const fn = scriptedFunction(ctx, { script: { action: "throw-if-contains", text: "poison" } });
    const trigger = kafkaTrigger(topic, {
      maximumBatchingWindowSeconds: 1,
      mode: provisionedMode(onFailure, { bisectBatchOnError: true, retryAttempts: 4 }),
    });

    // Act
    await startKafkaMapping(ctx, fn, trigger);
    const parked = await onFailureRecords(kafka, onFailure, 1);
    await waitFor(
      "every offset committed",
      async () => (await kafka.committed(trigger.consumerGroupId, topic)).get(0) === 8,
    );

    // Assess: halves, quarters... until the poison is alone; every other record succeeded
    const batches = deliveredValues(fn);
    // Each failed batch is halved, the first half first; the poison alone is retried until
    // its retry attempts are spent, then the rest of the batch goes on
    expect(batches).toEqual([
      values,
      values.slice(0, 4),
      values.slice(4),
      ["ok-4", "poison-5"],
      ["ok-4"],
      ["poison-5"],
      ["poison-5"],
      ["ok-6", "ok-7"],
    ]);
    const succeeded = batches.filter((_, index) => fn.outcomes[index]?.ok).flat();
    expect(succeeded.sort()).toEqual(values.filter((value) => value !== "poison-5").sort());
    expect(parked.map(payloadValues)).toEqual([["poison-5"]]);
    expect(parked[0]?.requestContext.condition).toBe("RetryAttemptsExhausted");
  });

  it("Kafka provisioned — partial batch response: only the reported record and the later ones of its partition are retried", async (ctx) => {
    const { expect } = ctx;
    // Prepare: five records on partition 0, three on partition 1, all in the first batch;
    // the function reports offset 2 of partition 0 once
    const topic = await kafka.topic(2);
    const onFailure = await kafka.topic(1);
    await kafka.produce(topic, [
      ...Array.from({ length: 5 }, (_, offset) => ({ partition: 0, value: `p0-${offset}` })),
      ...Array.from({ length: 3 }, (_, offset) => ({ partition: 1, value: `p1-${offset}` })),
    ]);
    const fn = scriptedFunction(ctx, {
      script: {
        action: "sequence",
        steps: [
          {
            action: "respond",
            response: {
              batchItemFailures: [{ itemIdentifier: { partition: `${topic}-0`, offset: 2 } }],
            },
          },
          { action: "succeed" },
        ],
      },
    });
    const trigger = kafkaTrigger(topic, {
      maximumBatchingWindowSeconds: 1,
      mode: provisionedMode(onFailure, { reportBatchItemFailures: true, retryAttempts: 3 }),
    });

    // Act
    await startKafkaMapping(ctx, fn, trigger);
    await waitFor("both partitions committed", async () => {
      const committed = await kafka.committed(trigger.consumerGroupId, topic);
      return committed.get(0) === 5 && committed.get(1) === 3;
    });

    // Assess
    const batches = fn.invocations<LambdaKafkaEvent>().map(({ event }) => offsetsOf(event).sort());
    expect(batches).toEqual([
      ["0:0", "0:1", "0:2", "0:3", "0:4", "1:0", "1:1", "1:2"],
      ["0:2", "0:3", "0:4"],
    ]);
    expect((await kafka.endOffsets(onFailure)).get(0)).toBe(0);
  });

  it("Kafka provisioned — an identifier not in the batch, or the older topic-partition key, fails the whole batch", async (ctx) => {
    const { expect } = ctx;
    // Prepare: four records; the function answers with an unknown offset, then with the older
    // page's key shape, then with an offset as text, then succeeds
    const topic = await kafka.topic(1);
    const onFailure = await kafka.topic(1);
    await kafka.produce(
      topic,
      Array.from({ length: 4 }, (_, offset) => ({ value: `r${offset}` })),
    );
    const fn = scriptedFunction(ctx, {
      script: {
        action: "sequence",
        steps: [
          {
            action: "respond",
            response: {
              batchItemFailures: [{ itemIdentifier: { partition: `${topic}-0`, offset: 99 } }],
            },
          },
          {
            action: "respond",
            response: {
              batchItemFailures: [
                { itemIdentifier: { "topic-partition": `${topic}-0`, offset: 2 } },
              ],
            },
          },
          {
            action: "respond",
            response: {
              batchItemFailures: [{ itemIdentifier: { partition: `${topic}-1`, offset: 2 } }],
            },
          },
          { action: "succeed" },
        ],
      },
    });
    const trigger = kafkaTrigger(topic, {
      maximumBatchingWindowSeconds: 1,
      mode: provisionedMode(onFailure, { reportBatchItemFailures: true, retryAttempts: 5 }),
    });

    // Act
    await startKafkaMapping(ctx, fn, trigger);
    await waitFor(
      "every offset committed",
      async () => (await kafka.committed(trigger.consumerGroupId, topic)).get(0) === 4,
    );

    // Assess: each invalid answer retried the whole batch
    expect(deliveredValues(fn)).toEqual(Array.from({ length: 4 }, () => ["r0", "r1", "r2", "r3"]));
    expect((await kafka.endOffsets(onFailure)).get(0)).toBe(0);
  });
});
