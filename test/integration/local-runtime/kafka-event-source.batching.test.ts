/**
 * docs/architecture.md ("Lambda event sources"), MSK event source mapping: the event Lambda builds, and how records are batched
 * (batch size, batching window, 6 MB payload). Real broker, the scripted function in its own
 * sandbox, one local mapping per test with its own topic and consumer group.
 */

import { describe, it } from "vitest";
import type { LambdaKafkaEvent } from "../../../shared/kafka/lambda-kafka-event";
import {
  BOOTSTRAP_SERVERS,
  decoded,
  deliveredValues,
  fileKafkaFixture,
  kafkaRecords,
  kafkaTrigger,
  pause,
  SIX_MB,
  scriptedFunction,
  startKafkaMapping,
  waitFor,
} from "./harness";

const kafka = fileKafkaFixture();

const bytesOf = (text: string) => [...Buffer.from(text, "utf8")];

// What arrives in one batch here depends on records being fetched within the batching
// window: these tests run one at a time, not sharing the machine with the others' sandboxes
// and 6 MB events.
describe("local MSK event source mapping: event and batching window (docs/architecture.md, Lambda event sources)", () => {
  it("Kafka — event shape: aws:kafka, ARN, bootstrap servers, records by topic-partition, base64, tombstones, header bytes", async (ctx) => {
    const { expect } = ctx;
    // Prepare: records on two partitions, produced before the mapping starts
    const topic = await kafka.topic(2);
    const timestamp = Date.now() - 5_000;
    await kafka.produce(topic, [
      {
        partition: 0,
        key: "order-1",
        value: JSON.stringify({ event_type: "OrderCreated" }),
        timestamp: String(timestamp),
        headers: { traceparent: "00-abc-01", seen: ["first", "second"] },
      },
      { partition: 0, key: null, value: "no key here" },
      { partition: 1, key: "order-2", value: null },
      { partition: 1, key: "order-3", value: "third" },
    ]);
    const fn = scriptedFunction(ctx);

    // Act
    await startKafkaMapping(ctx, fn, kafkaTrigger(topic, { maximumBatchingWindowSeconds: 1 }));
    await waitFor("4 records delivered", () => deliveredValues(fn).flat().length >= 4);

    // Assess
    const invocations = fn.invocations<LambdaKafkaEvent>();
    for (const { event } of invocations) {
      expect(event.eventSource).toBe("aws:kafka");
      expect(event.eventSourceArn).toMatch(/^arn:aws:kafka:us-east-1:\d{12}:cluster\/[^/]+\/.+$/);
      expect(event.bootstrapServers).toBe(BOOTSTRAP_SERVERS);
      expect(Object.keys(event).sort()).toEqual(
        ["bootstrapServers", "eventSource", "eventSourceArn", "records"].sort(),
      );
      for (const [group, records] of Object.entries(event.records)) {
        for (const record of records) expect(group).toBe(`${record.topic}-${record.partition}`);
      }
    }
    // Produced before the start, both partitions fit one batch.
    expect(invocations).toHaveLength(1);
    const event = invocations[0]?.event as LambdaKafkaEvent;
    expect(Object.keys(event.records).sort()).toEqual([`${topic}-0`, `${topic}-1`]);
    const [first, noKey] = event.records[`${topic}-0`] ?? [];
    const [tombstone, third] = event.records[`${topic}-1`] ?? [];
    expect(first).toEqual({
      topic,
      partition: 0,
      offset: 0,
      timestamp,
      timestampType: "CREATE_TIME",
      key: Buffer.from("order-1").toString("base64"),
      value: Buffer.from(JSON.stringify({ event_type: "OrderCreated" })).toString("base64"),
      headers: [
        { traceparent: bytesOf("00-abc-01") },
        { seen: bytesOf("first") },
        { seen: bytesOf("second") },
      ],
    });
    expect(noKey).toMatchObject({
      offset: 1,
      value: Buffer.from("no key here").toString("base64"),
    });
    expect(noKey).not.toHaveProperty("key");
    expect(noKey?.headers).toEqual([]);
    expect(tombstone).toMatchObject({ partition: 1, offset: 0, key: "b3JkZXItMg==" });
    expect(tombstone?.value).toBeNull();
    expect(decoded(third?.value)).toBe("third");
    expect(third?.offset).toBe(1);
  });

  it("Kafka — batching window: records produced within the window arrive in one batch", async (ctx) => {
    const { expect } = ctx;
    // Prepare: a running mapping with a 3 s window on an empty topic
    const topic = await kafka.topic(2);
    const fn = scriptedFunction(ctx);
    await startKafkaMapping(ctx, fn, kafkaTrigger(topic, { maximumBatchingWindowSeconds: 3 }));

    // Act: three records, in separate sends, on both partitions, well within the window
    await kafka.produce(topic, [{ partition: 0, value: "w1" }]);
    await pause(150);
    await kafka.produce(topic, [{ partition: 1, value: "w2" }]);
    await pause(150);
    await kafka.produce(topic, [{ partition: 0, value: "w3" }]);
    await waitFor("3 records delivered", () => deliveredValues(fn).flat().length >= 3);

    // Assess
    const batches = deliveredValues(fn);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.sort()).toEqual(["w1", "w2", "w3"]);
  });
});

describe.concurrent("local MSK event source mapping: batch size and 6 MB (docs/architecture.md, Lambda event sources)", () => {
  it("Kafka — batch size bounds every batch", async (ctx) => {
    const { expect } = ctx;
    // Prepare: 25 records on two partitions, all available at the start
    const topic = await kafka.topic(2);
    await kafka.produce(
      topic,
      Array.from({ length: 25 }, (_, index) => ({ partition: index % 2, value: `r${index}` })),
    );
    const fn = scriptedFunction(ctx);

    // Act
    await startKafkaMapping(ctx, fn, kafkaTrigger(topic, { batchSize: 10 }));
    await waitFor("25 records delivered", () => deliveredValues(fn).flat().length >= 25);

    // Assess: no batch above 10, every record once, each partition in order
    const batches = deliveredValues(fn);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(10);
    const all = batches.flat();
    expect(new Set(all).size).toBe(25);
    expect(all.sort()).toEqual(Array.from({ length: 25 }, (_, index) => `r${index}`).sort());
    const offsets = fn
      .invocations<LambdaKafkaEvent>()
      .flatMap(({ event }) => kafkaRecords(event))
      .map((record) => `${record.partition}:${record.offset}`);
    const perPartition = (partition: number) =>
      offsets
        .filter((each) => each.startsWith(`${partition}:`))
        .map((each) => Number(each.slice(2)));
    expect(perPartition(0)).toEqual(Array.from({ length: 13 }, (_, index) => index));
    expect(perPartition(1)).toEqual(Array.from({ length: 12 }, (_, index) => index));
  });

  it("Kafka — 6 MB payload bound: no invocation above 6 MB, every record delivered once", async (ctx) => {
    const { expect } = ctx;
    // Prepare: eight records on eight partitions, sized so that six of them come within a few
    // bytes of 6 MB on their own, and the event around them takes it above
    const topic = await kafka.topic(8, [{ name: "max.message.bytes", value: "2097152" }]);
    const timestamp = Date.now();
    const recordJson = (valueBytes: number) =>
      JSON.stringify({
        topic,
        partition: 0,
        offset: 0,
        timestamp,
        timestampType: "CREATE_TIME",
        key: Buffer.from("k0").toString("base64"),
        value: "x".repeat((valueBytes / 3) * 4),
        headers: [],
      }).length;
    let valueBytes = 3 * Math.floor(((SIX_MB / 6) * 3) / 4 / 3);
    while (recordJson(valueBytes) > SIX_MB / 6 - 10) valueBytes -= 3;
    await kafka.produce(
      topic,
      Array.from({ length: 8 }, (_, partition) => ({
        partition,
        key: `k${partition}`,
        value: Buffer.alloc(valueBytes, partition),
        timestamp: String(timestamp),
      })),
    );
    const fn = scriptedFunction(ctx);

    // Act
    await startKafkaMapping(ctx, fn, kafkaTrigger(topic, { maximumBatchingWindowSeconds: 1 }));
    await waitFor("8 records delivered", () => deliveredValues(fn).flat().length >= 8, 30_000);

    // Assess
    const invocations = fn.invocations<LambdaKafkaEvent>();
    expect(invocations.length).toBeGreaterThanOrEqual(2);
    for (const { bytes } of invocations) expect(bytes).toBeLessThanOrEqual(SIX_MB);
    const delivered = invocations.flatMap(({ event }) => kafkaRecords(event));
    expect(delivered.map((record) => record.partition).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const record of delivered) {
      expect(Buffer.from(record.value ?? "", "base64")).toEqual(
        Buffer.alloc(valueBytes, record.partition),
      );
    }
  });
});
