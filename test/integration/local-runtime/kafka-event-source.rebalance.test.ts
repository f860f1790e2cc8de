/**
 * docs/architecture.md ("Lambda event sources"), MSK event source mapping across consumer group rebalances (issue 16, finding
 * 11): a second member joins the mapping's group while records wait in the mapping's queue
 * and more keep coming, then leaves again. Real broker; the second member is a plain kafkajs
 * consumer that holds what it is assigned without consuming it. The tests run one at a time:
 * each relies on a first invocation outlasting the 3 s it takes the mapping to notice a
 * rebalance.
 */

import { Kafka, logLevel } from "kafkajs";
import type { TestContext } from "vitest";
import { describe, it } from "vitest";
import type { LambdaKafkaEvent } from "../../../shared/kafka/lambda-kafka-event";
import { kafkaBrokers } from "../../support/local-endpoints";
import {
  fileKafkaFixture,
  kafkaRecords,
  kafkaTrigger,
  pause,
  type ScriptedFunction,
  scriptedFunction,
  startKafkaMapping,
  waitFor,
} from "./harness";

const kafka = fileKafkaFixture();

/** Records per partition in each test: half before the mapping starts, half while it runs. */
const PER_PARTITION = 20;

const upTo = (end: number) => Array.from({ length: end }, (_, offset) => offset);

/** The offsets the function received of one partition, in the order it received them. */
const receivedOffsets = (fn: ScriptedFunction, partition: number): number[] =>
  fn
    .invocations<LambdaKafkaEvent>()
    .flatMap(({ event }) => kafkaRecords(event))
    .filter((record) => record.partition === partition)
    .map((record) => record.offset);

/** Splits offsets into runs that each go strictly up. */
const increasingRuns = (offsets: readonly number[]): number[][] =>
  offsets.reduce<number[][]>((runs, offset) => {
    const run = runs.at(-1);
    if (run !== undefined && offset > (run.at(-1) ?? -1)) run.push(offset);
    else runs.push([offset]);
    return runs;
  }, []);

/**
 * A function whose first invocation takes 6 s, longer than the mapping takes to notice a
 * rebalance (a heartbeat every 3 s), so that the rebalance comes while records wait in its
 * queue; later invocations take 300 ms, so that a few are in flight as records keep coming.
 */
const slowFirstInvocation = (test: TestContext) =>
  scriptedFunction(test, {
    script: {
      action: "sequence",
      steps: [
        { action: "sleep", ms: 6_000 },
        { action: "sleep", ms: 300 },
      ],
    },
  });

/** The `index`-th record of every partition. */
const round = (partitions: number, index: number) =>
  upTo(partitions).map((partition) => ({ partition, value: `p${partition}-${index}` }));

/** The first half of the records of every partition, at once. */
const produceFirstHalf = (topic: string, partitions: number) =>
  kafka.produce(
    topic,
    upTo(PER_PARTITION / 2).flatMap((index) => round(partitions, index)),
  );

/** The second half, one record per partition every 100 ms. */
const produceSecondHalf = async (topic: string, partitions: number) => {
  for (let index = PER_PARTITION / 2; index < PER_PARTITION; index += 1) {
    await kafka.produce(topic, round(partitions, index));
    await pause(100);
  }
};

/**
 * A second member of the group, which holds what the group's leader (the mapping, the first
 * member) assigns it: it pauses every partition it fetches and never commits.
 */
const joinSecondMember = async (
  test: TestContext,
  groupId: string,
  topic: string,
  clientId: string,
) => {
  const client = new Kafka({ clientId, brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
  const consumer = client.consumer({ groupId, maxWaitTimeInMs: 250 });
  let assigned: number[] | undefined;
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assigned = payload.memberAssignment[topic] ?? [];
  });
  await consumer.connect();
  test.onTestFinished(() => consumer.disconnect());
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ pause: hold }) => {
      hold();
    },
  });
  const partitions = await waitFor("the second member's assignment", () => assigned);
  return { partitions, leave: () => consumer.disconnect() };
};

const committedToTheEnd = (groupId: string, topic: string, partitions: number) =>
  waitFor(
    "every partition committed to the end",
    async () => {
      const committed = await kafka.committed(groupId, topic);
      return upTo(partitions).every((partition) => committed.get(partition) === PER_PARTITION);
    },
    40_000,
  );

describe("local MSK event source mapping: rebalances (docs/architecture.md, Lambda event sources)", () => {
  it("Kafka — a rejoin that keeps the mapping's partition delivers every record once, in order, and commits them all", async (ctx) => {
    const { expect } = ctx;
    // Prepare: one partition; records wait in the mapping's queue behind a slow invocation
    const topic = await kafka.topic(1);
    const fn = slowFirstInvocation(ctx);
    const trigger = kafkaTrigger(topic, { batchSize: 2, maximumBatchingWindowSeconds: 0 });
    await produceFirstHalf(topic, 1);
    await startKafkaMapping(ctx, fn, trigger);
    const producing = produceSecondHalf(topic, 1);
    await waitFor("the first invocation", () => fn.invocations().length >= 1);

    // Act: a second member joins, so the mapping rejoins. The leader assigns round-robin over
    // the members sorted by member id, which begins with the client id ("tests" for the
    // mapping): this one sorts last and gets nothing, the mapping keeps its partition.
    const second = await joinSecondMember(ctx, trigger.consumerGroupId, topic, "zz-second");
    await producing;
    await committedToTheEnd(trigger.consumerGroupId, topic, 1);

    // Assess: no record again (no 5, 6, 5, 6), none lost
    expect(second.partitions).toEqual([]);
    expect(receivedOffsets(fn, 0)).toEqual(upTo(PER_PARTITION));
  });

  it("Kafka — a partition taken away and given back: its queued records are left to the other member, none lost, all committed", async (ctx) => {
    const { expect } = ctx;
    // Prepare: two partitions; records of both wait in the mapping's queue
    const topic = await kafka.topic(2);
    const fn = slowFirstInvocation(ctx);
    const trigger = kafkaTrigger(topic, { batchSize: 2, maximumBatchingWindowSeconds: 0 });
    await produceFirstHalf(topic, 2);
    const mapping = await startKafkaMapping(ctx, fn, trigger);
    const producing = produceSecondHalf(topic, 2);
    await waitFor("the first invocation", () => fn.invocations().length >= 1);

    // Act 1: a second member joins and takes one partition; the mapping keeps the other
    const second = await joinSecondMember(ctx, trigger.consumerGroupId, topic, "second");
    const [moved = -1] = second.partitions;
    const kept = moved === 0 ? 1 : 0;
    await producing;
    await waitFor("every record of the kept partition", () =>
      receivedOffsets(fn, kept).includes(PER_PARTITION - 1),
    );

    // Act 2: the second member leaves; the mapping gets the moved partition back
    await second.leave();
    await committedToTheEnd(trigger.consumerGroupId, topic, 2);

    // Assess: the kept partition, every offset once, in order
    expect(second.partitions).toHaveLength(1);
    expect(receivedOffsets(fn, kept)).toEqual(upTo(PER_PARTITION));
    // The moved partition: in order up to where it was taken away, then again from its
    // committed offset once it came back; nothing lost. Only records in flight or done but
    // not yet committed when it moved come twice (Kafka's at-least-once), no queued copies.
    const movedOffsets = receivedOffsets(fn, moved);
    const runs = increasingRuns(movedOffsets);
    expect(runs.length).toBeLessThanOrEqual(2);
    for (const run of runs) {
      expect(run).toEqual(upTo(PER_PARTITION).slice(run[0], (run.at(-1) ?? 0) + 1));
    }
    expect(new Set(movedOffsets)).toEqual(new Set(upTo(PER_PARTITION)));
    // The rebalance did come while records of the moved partition waited in the queue.
    const revocation = mapping.logs.find((line) => line.includes("rebalanced:"));
    expect(revocation).toMatch(/, [1-9]\d* queued record\(s\) left to it$/);
  });
});
