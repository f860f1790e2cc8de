/**
 * docs/local-runtime.md ("offsets are committed per partition"): kafkajs answers a commit
 * made while its consumer is not running (joining the group after a restart, or stopping
 * after a crash) as done, without sending it. The local mapping's commits must not take that
 * answer for a commit: when kafkajs fetches the partition again after the join, the batch's
 * end is committed again. Real broker, real kafkajs consumers. The join is held open the way
 * a broker holds it: another member of the group is busy in a batch and has not rejoined.
 */

import type { Consumer, KafkaMessage } from "kafkajs";
import type { TestContext } from "vitest";
import { describe, expect, it } from "vitest";
import { KafkaOffsetCommits } from "../../../infra/local/runtime/kafka-offset-commits";
import type { RecordOutcome } from "../../../infra/local/runtime/kafka-record-queue";
import { uniqueName } from "../../support/local-endpoints";
import { fileKafkaFixture, waitFor } from "./harness";

const kafka = fileKafkaFixture();

/** A member of `groupId` that fetches the topic's first batch and holds it until released. */
const busyMember = async (test: TestContext, groupId: string, topic: string) => {
  // No heartbeat before it leaves: a heartbeat answered "rebalancing" would make it rejoin.
  const consumer = kafka.kafka.consumer({
    groupId,
    sessionTimeout: 60_000,
    heartbeatInterval: 50_000,
  });
  let release = () => {};
  const released = new Promise<void>((done) => {
    release = done;
  });
  // Released first, also when the test fails before: disconnecting waits for its batch.
  test.onTestFinished(async () => {
    release();
    await consumer.disconnect();
  });
  const held: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      held.push(...batch.messages);
      await released;
    },
  });
  await waitFor("the busy member holding a batch", () => held.length > 0);
  return { release, leave: () => consumer.disconnect() };
};

/** A consumer of `groupId` whose `run` waits in the group's join until the group lets it in. */
const joiningConsumer = (test: TestContext, groupId: string, topic: string) => {
  const consumer: Consumer = kafka.kafka.consumer({ groupId });
  test.onTestFinished(() => consumer.disconnect());
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  const running = (async () => {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ autoCommit: false, eachBatch: async () => undefined });
  })();
  return { consumer, running, joined: () => joined };
};

/** Waits until the broker reports the group in `state`. */
const waitForGroupState = (groupId: string, state: string) =>
  waitFor(`group ${groupId} ${state}`, async () => {
    const { groups } = await kafka.admin.describeGroups([groupId]);
    return groups[0]?.state === state;
  });

const done: Promise<RecordOutcome>[] = [Promise.resolve("done")];

describe("local Kafka mapping commits against kafkajs", () => {
  it("commits a batch's end again once the consumer runs, after kafkajs dropped it unsent", async (test) => {
    // Prepare: one record, held by a busy member, while the mapping's consumer waits to join
    const topic = await kafka.topic(1);
    const groupId = uniqueName("group");
    await kafka.produce(topic, [{ value: "r0" }]);
    const member = await busyMember(test, groupId, topic);
    const joining = joiningConsumer(test, groupId, topic);
    await waitForGroupState(groupId, "PreparingRebalance"); // the broker holds its JoinGroup
    const logs: string[] = [];
    const commits = new KafkaOffsetCommits({
      commit: (offsets) => joining.consumer.commitOffsets(offsets),
      log: (line) => logs.push(line),
    });

    // Act: the record's batch is done while the consumer is still joining
    commits.commitWhenSettled(topic, 0, 1, done);
    await commits.settled();

    // Assess: kafkajs answered the commit, and nothing reached the broker
    expect(joining.joined()).toBe(false);
    expect(logs).toEqual([]);
    await expect(kafka.committed(groupId, topic)).resolves.toEqual(new Map([[0, -1]]));

    // Act: the busy member leaves; the consumer joins and runs, and kafkajs fetches the
    // partition again from the committed offset: the same batch, nothing new in it
    member.release();
    await member.leave();
    await joining.running;
    commits.commitWhenSettled(topic, 0, 1, []);
    await commits.settled();

    // Assess
    await expect(kafka.committed(groupId, topic)).resolves.toEqual(new Map([[0, 1]]));
    expect(logs).toEqual([]);
  });
});
