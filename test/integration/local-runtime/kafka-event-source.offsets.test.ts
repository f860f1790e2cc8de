/**
 * docs/architecture.md ("Lambda event sources"), MSK event source mapping: where a mapping starts, which records filters let
 * through, and when offsets are committed (on-demand mode). Real broker; the consumer
 * group's committed offsets are read back with the admin client.
 */

import { describe, it } from "vitest";
import type { LambdaKafkaEvent } from "../../../shared/kafka/lambda-kafka-event";
import {
  deliveredValues,
  fileKafkaFixture,
  kafkaRecords,
  kafkaTrigger,
  scriptedFunction,
  startKafkaMapping,
  waitFor,
} from "./harness";

const kafka = fileKafkaFixture();

const event = (eventType: string, id: string) => JSON.stringify({ event_type: eventType, id });

describe.concurrent("local MSK event source mapping: positions, filters, commits (docs/architecture.md, Lambda event sources)", () => {
  it("Kafka — starting position TRIM_HORIZON vs LATEST applies only to a new consumer group", async (ctx) => {
    const { expect } = ctx;
    // Prepare: two records in the topic before any mapping exists
    const topic = await kafka.topic(1);
    await kafka.produce(topic, [{ value: "before-1" }, { value: "before-2" }]);
    const fromStart = scriptedFunction(ctx);
    const fromLatest = scriptedFunction(ctx);
    const trimHorizon = kafkaTrigger(topic, { startingPosition: "TRIM_HORIZON" });
    const latest = kafkaTrigger(topic, { startingPosition: "LATEST" });

    // Act 1: a new group at TRIM_HORIZON reads from the start; a new one at LATEST does not
    const first = await startKafkaMapping(ctx, fromStart, trimHorizon);
    const second = await startKafkaMapping(ctx, fromLatest, latest);
    await waitFor(
      "the old records at TRIM_HORIZON",
      () => deliveredValues(fromStart).flat().length >= 2,
    );
    // LATEST starts wherever the end is once the group is placed: probe until one arrives.
    let probes = 0;
    await waitFor("a probe at LATEST", async () => {
      if (deliveredValues(fromLatest).flat().length > 0) return true;
      probes += 1;
      await kafka.produce(topic, [{ value: `probe-${probes}` }]);
      await new Promise((done) => setTimeout(done, 300));
      return false;
    });
    await waitFor("both groups committed", async () => {
      const end = (await kafka.endOffsets(topic)).get(0);
      const [a, b] = await Promise.all([
        kafka.committed(trimHorizon.consumerGroupId, topic),
        kafka.committed(latest.consumerGroupId, topic),
      ]);
      return a.get(0) === end && b.get(0) === end;
    });

    // Act 2: both mappings stop; records arrive while they are down; both restart
    await first.stop();
    await second.stop();
    const seenBefore = {
      fromStart: deliveredValues(fromStart).flat(),
      fromLatest: deliveredValues(fromLatest).flat(),
    };
    await kafka.produce(topic, [{ value: "while-down-1" }, { value: "while-down-2" }]);
    await startKafkaMapping(ctx, fromStart, trimHorizon);
    await startKafkaMapping(ctx, fromLatest, latest);
    await waitFor(
      "the records produced while down, by both",
      () =>
        deliveredValues(fromStart).flat().includes("while-down-2") &&
        deliveredValues(fromLatest).flat().includes("while-down-2"),
    );

    // Assess
    expect(seenBefore.fromStart.slice(0, 2)).toEqual(["before-1", "before-2"]);
    expect(seenBefore.fromLatest).not.toContain("before-1");
    expect(seenBefore.fromLatest).not.toContain("before-2");
    expect(seenBefore.fromLatest.every((value) => value.startsWith("probe-"))).toBe(true);
    // Restarted, each group resumes from its committed offsets: nothing again, nothing skipped.
    expect(deliveredValues(fromStart).flat()).toEqual([
      ...seenBefore.fromStart,
      "while-down-1",
      "while-down-2",
    ]);
    expect(deliveredValues(fromLatest).flat()).toEqual([
      ...seenBefore.fromLatest,
      "while-down-1",
      "while-down-2",
    ]);
  });

  it("Kafka — each mapping has its own consumer group: two mappings of one topic each get every record and commit apart", async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const topic = await kafka.topic(2);
    await kafka.produce(
      topic,
      Array.from({ length: 6 }, (_, index) => ({ partition: index % 2, value: `r${index}` })),
    );
    const first = scriptedFunction(ctx);
    const second = scriptedFunction(ctx, { script: { action: "throw", message: "down" } });
    const firstTrigger = kafkaTrigger(topic);
    const secondTrigger = kafkaTrigger(topic);

    // Act: the second function fails throughout, the first one succeeds
    await startKafkaMapping(ctx, first, firstTrigger);
    await startKafkaMapping(ctx, second, secondTrigger);
    await waitFor("the first group committed everything", async () => {
      const committed = await kafka.committed(firstTrigger.consumerGroupId, topic);
      return committed.get(0) === 3 && committed.get(1) === 3;
    });
    await waitFor("the second function failed twice", () => second.outcomes.length >= 2);
    const secondCommitted = await kafka.committed(secondTrigger.consumerGroupId, topic);

    // Assess
    expect(firstTrigger.consumerGroupId).not.toBe(secondTrigger.consumerGroupId);
    expect(deliveredValues(first).flat().sort()).toEqual(["r0", "r1", "r2", "r3", "r4", "r5"]);
    expect(deliveredValues(second).flat()).toEqual(expect.arrayContaining(["r0", "r1"]));
    expect([secondCommitted.get(0), secondCommitted.get(1)]).toEqual([-1, -1]);
  });

  it("Kafka — filters: value event_type patterns OR-ed, non-JSON never matches, filtered-out offsets committed", async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const topic = await kafka.topic(1);
    const fn = scriptedFunction(ctx);
    const trigger = kafkaTrigger(topic, {
      filters: [
        { value: { event_type: ["OrderCreated"] } },
        { value: { event_type: ["OrderShipped"] } },
      ],
    });
    await kafka.produce(topic, [
      { key: "o-1", value: event("OrderCreated", "a") },
      { key: "o-1", value: event("OrderCancelled", "b") },
      { key: "o-2", value: event("OrderShipped", "c") },
      { key: "o-3", value: "OrderCreated" },
      { key: "o-3", value: '{"event_type":"OrderCreated"' },
      { key: "o-3", value: 'event_type="OrderCreated"' },
      { key: "o-4", value: null },
      { key: event("OrderCreated", "key"), value: JSON.stringify({ id: "d" }) },
      { key: "o-5", value: JSON.stringify({ id: "e" }), headers: { event_type: "OrderCreated" } },
      { key: "o-6", value: JSON.stringify({ data: { event_type: "OrderCreated" }, id: "f" }) },
      { key: "o-7", value: event("OrderCreated", "g") },
    ]);

    // Act
    await startKafkaMapping(ctx, fn, trigger);
    await waitFor("the last matching record", () =>
      deliveredValues(fn).flat().includes(event("OrderCreated", "g")),
    );
    const invocationsSoFar = fn.invocations().length;
    // A tail of records that match nothing: only a commit can tell they were seen.
    await kafka.produce(topic, [
      { value: event("OrderCancelled", "h") },
      { value: "not json" },
      { value: null },
    ]);
    const end = (await kafka.endOffsets(topic)).get(0);
    await waitFor(
      "the offsets of the filtered-out tail committed",
      async () => (await kafka.committed(trigger.consumerGroupId, topic)).get(0) === end,
    );

    // Assess
    expect(end).toBe(14);
    expect(deliveredValues(fn).flat()).toEqual([
      event("OrderCreated", "a"),
      event("OrderShipped", "c"),
      event("OrderCreated", "g"),
    ]);
    expect(fn.invocations()).toHaveLength(invocationsSoFar);
  });

  it("Kafka — offsets are committed only after the batch succeeds", async (ctx) => {
    const { expect } = ctx;
    // Prepare: one record handled and committed
    const topic = await kafka.topic(1);
    const fn = scriptedFunction(ctx);
    const trigger = kafkaTrigger(topic);
    await startKafkaMapping(ctx, fn, trigger);
    await kafka.produce(topic, [{ value: "ok-0" }]);
    const committed = async () => (await kafka.committed(trigger.consumerGroupId, topic)).get(0);
    await waitFor("offset 1 committed", async () => (await committed()) === 1);

    // Act 1: the function fails on the next records
    fn.setScript({ action: "throw", message: "not yet" });
    await kafka.produce(topic, [{ value: "fails-1" }, { value: "fails-2" }]);
    await waitFor(
      "three failed invocations",
      () => fn.outcomes.filter((outcome) => !outcome.ok).length >= 3,
    );
    const whileFailing = await committed();

    // Act 2: the function recovers
    fn.setScript({ action: "succeed" });
    await waitFor("offset 3 committed", async () => (await committed()) === 3);

    // Assess
    expect(whileFailing).toBe(1);
    const failedThenSucceeded = fn.outcomes.slice(1);
    expect(failedThenSucceeded.at(-1)?.ok).toBe(true);
    expect(failedThenSucceeded.slice(0, -1).every((outcome) => !outcome.ok)).toBe(true);
  });

  it("Kafka — on-demand: a failing batch is retried whole until it succeeds, no record skipped", async (ctx) => {
    const { expect } = ctx;
    // Prepare: five records in one batch; the function fails five times, then succeeds
    const topic = await kafka.topic(1);
    await kafka.produce(
      topic,
      Array.from({ length: 5 }, (_, index) => ({ value: `r${index}` })),
    );
    const fn = scriptedFunction(ctx, {
      script: {
        action: "sequence",
        steps: [
          ...Array.from({ length: 5 }, () => ({ action: "throw", message: "transient" }) as const),
          { action: "succeed" },
        ],
      },
    });
    const trigger = kafkaTrigger(topic, {
      mode: { kind: "on-demand" },
      maximumBatchingWindowSeconds: 1,
    });

    // Act
    await startKafkaMapping(ctx, fn, trigger);
    await waitFor(
      "all offsets committed",
      async () => (await kafka.committed(trigger.consumerGroupId, topic)).get(0) === 5,
    );

    // Assess: six invocations of the very same batch, the last one succeeding
    const batches = fn
      .invocations<LambdaKafkaEvent>()
      .map(({ event }) => kafkaRecords(event).map((record) => record.offset));
    expect(batches).toEqual(Array.from({ length: 6 }, () => [0, 1, 2, 3, 4]));
    expect(fn.outcomes.map((outcome) => outcome.ok)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });
});
