/**
 * The console's topic tail on the real broker: its group commits nothing, so a rebalance
 * starts it over from the beginning of each partition it gets back, and a record it is
 * handed again must not show twice (an order's events, the diagram's counts).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Admin } from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { TopicTail } from "../../../infra/local/console/topic-tail";
import { createTopic, testKafkaClient } from "../../support/kafka-topics";
import { uniqueName } from "../../support/local-endpoints";

const kafka = testKafkaClient();
const producer = kafka.producer();

afterAll(async () => {
  await producer.disconnect();
});

const waitFor = async (what: string, done: () => boolean, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
};

/** Until the group is stable with one member: the tail, holding every partition again. */
const waitUntilAlone = async (admin: Admin, groupId: string) => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { groups } = await admin.describeGroups([groupId]);
    if (groups[0]?.state === "Stable" && groups[0].members.length === 1) return;
    if (Date.now() > deadline) throw new Error(`group ${groupId} never settled to one member`);
    await sleep(200);
  }
};

describe("TopicTail", () => {
  it("keeps each record once when a rebalance hands it the partitions again", async () => {
    // Prepare
    const topic = uniqueName("console-tail");
    await createTopic(topic, 1, kafka);
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: "ord-1", value: JSON.stringify({ event_type: "OrderCreated", event_id: "e-1" }) },
        { key: "ord-1", value: JSON.stringify({ event_type: "OrderCancelled", event_id: "e-2" }) },
      ],
    });
    const tail = new TopicTail(kafka, [topic]);
    await tail.start();
    try {
      await waitFor("both records", () => tail.byKey(topic, "ord-1").length >= 2);

      // Act: a second member joins the tail's group and leaves: two rebalances, after which
      // the tail owns the partition again with nothing committed, so it reads it over.
      const other = kafka.consumer({ groupId: tail.groupId, maxWaitTimeInMs: 100 });
      let otherJoined = false;
      other.on(other.events.GROUP_JOIN, () => {
        otherJoined = true;
      });
      await other.connect();
      await other.subscribe({ topics: [topic], fromBeginning: true });
      await other.run({ eachMessage: async () => undefined });
      await waitFor("the second member to join", () => otherJoined);
      await other.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      try {
        await waitUntilAlone(admin, tail.groupId);
      } finally {
        await admin.disconnect();
      }
      // Whatever it reads over arrives within a fetch or two of getting the partition back.
      await sleep(3_000);

      // Assess
      expect(tail.byKey(topic, "ord-1").map((record) => record.eventId)).toEqual(["e-1", "e-2"]);
      expect(tail.countOf(topic)).toBe(2);
    } finally {
      await tail.stop();
    }
  });
});
