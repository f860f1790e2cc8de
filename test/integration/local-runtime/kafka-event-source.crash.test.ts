/**
 * docs/local-runtime.md ("a consumer kafkajs gave up on"): kafkajs stops a consumer for good
 * after an error it deems not retriable and only reports it (`consumer.events.CRASH` with
 * `restart: false`); Lambda's MSK mapping keeps polling, and so must the local one. Real
 * broker. The error is a real one: another member holds the mapping's group with a partition
 * assignment protocol the mapping's consumer does not speak, so the broker refuses its join
 * with INCONSISTENT_GROUP_PROTOCOL, which kafkajs does not retry.
 */

import { AssignerProtocol, Kafka, logLevel, type PartitionAssigner } from "kafkajs";
import type { TestContext } from "vitest";
import { describe, it } from "vitest";
import type { LambdaKafkaEvent } from "../../../shared/kafka/lambda-kafka-event";
import { kafkaBrokers } from "../../support/local-endpoints";
import {
  decoded,
  fileKafkaFixture,
  kafkaRecords,
  kafkaTrigger,
  scriptedFunction,
  startKafkaMapping,
  waitFor,
} from "./harness";

const kafka = fileKafkaFixture();

const RECORDS = 10;

/** An assigner whose protocol name no other member of the group speaks; it assigns nothing. */
const foreignAssigner: PartitionAssigner = () => ({
  name: "ForeignAssigner",
  version: 1,
  async assign({ members }) {
    return members.map(({ memberId }) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 1,
        assignment: {},
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: "ForeignAssigner",
      metadata: AssignerProtocol.MemberMetadata.encode({
        version: 1,
        topics,
        userData: Buffer.alloc(0),
      }),
    };
  },
});

/** A member that holds `groupId` with {@link foreignAssigner} until it leaves. */
const holdGroupWithForeignProtocol = async (test: TestContext, groupId: string, topic: string) => {
  const client = new Kafka({
    clientId: "foreign",
    brokers: kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const consumer = client.consumer({ groupId, partitionAssigners: [foreignAssigner] });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  await consumer.connect();
  test.onTestFinished(() => consumer.disconnect());
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachBatch: async () => undefined });
  await waitFor("the foreign member in the group", () => joined);
  return { leave: () => consumer.disconnect() };
};

describe("local MSK event source mapping: a consumer kafkajs gave up on (docs/local-runtime.md)", () => {
  it("Kafka — a join the broker refuses for good stops nothing: once the group admits it, every record is delivered once, in order, and committed", async (ctx) => {
    const { expect } = ctx;
    // Prepare: records waiting, and a group the mapping's consumer cannot join
    const topic = await kafka.topic(1);
    const values = Array.from({ length: RECORDS }, (_, index) => `record-${index}`);
    await kafka.produce(
      topic,
      values.map((value) => ({ value })),
    );
    const trigger = kafkaTrigger(topic, { maximumBatchingWindowSeconds: 0 });
    const foreign = await holdGroupWithForeignProtocol(ctx, trigger.consumerGroupId, topic);
    const fn = scriptedFunction(ctx);

    // Act: the mapping starts; its consumer crashes, and the ones it starts after it too
    const mapping = await startKafkaMapping(ctx, fn, trigger);
    const crashes = () =>
      mapping.logs.filter(
        (line) => line.includes("consumer stopped") && line.includes("protocols are incompatible"),
      );
    await waitFor("two consumers the broker refused", () => crashes().length >= 2);
    const invokedWhileRefused = fn.invocations().length;
    await foreign.leave();
    await waitFor(
      "every record committed",
      async () => (await kafka.committed(trigger.consumerGroupId, topic)).get(0) === RECORDS,
    );

    // Assess: nothing delivered while refused; then each record once, in order
    expect(invokedWhileRefused).toBe(0);
    const delivered = fn
      .invocations<LambdaKafkaEvent>()
      .flatMap(({ event }) => kafkaRecords(event))
      .map((record) => decoded(record.value));
    expect(delivered).toEqual(values);
    expect(crashes()[0]).toContain(`${fn.name}: consumer stopped (`);
  });
});
