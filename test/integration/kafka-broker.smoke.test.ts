/**
 * The local broker is a real Kafka broker, usable from kafkajs as the functions will use it.
 */
import { type Admin, type Consumer, Kafka, type KafkaMessage, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kafkaBrokers, uniqueName } from "../support/local-endpoints";

const kafka = new Kafka({ clientId: "smoke", brokers: kafkaBrokers, logLevel: logLevel.NOTHING });

interface Received {
  readonly partition: number;
  readonly message: KafkaMessage;
}

/**
 * Runs a consumer of `groupId` until `count` messages arrived, committing each offset after
 * the message is handled (as the local event source mappings will), then disconnects it.
 */
const consumeUntil = async (topic: string, groupId: string, count: number): Promise<Received[]> => {
  const consumer: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const received: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`only ${received.length} of ${count} messages arrived`)),
      30_000,
    );
    consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          received.push({ partition, message });
          const next = (BigInt(message.offset) + 1n).toString();
          await consumer.commitOffsets([{ topic, partition, offset: next }]);
          if (received.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  try {
    await done;
  } finally {
    await consumer.disconnect();
  }
  return received;
};

describe("local Kafka broker", () => {
  const topic = uniqueName("smoke");
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it("creates a topic with several partitions and no topic appears by itself", async () => {
    // Act
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });

    // Assess
    expect(created).toBe(true);
    expect(metadata.topics[0]?.partitions).toHaveLength(3);
    const producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 0 } });
    await producer.connect();
    await expect(
      producer.send({ topic: uniqueName("never-created"), messages: [{ value: "x" }] }),
    ).rejects.toThrow(/does not host this topic-partition|UNKNOWN_TOPIC/i);
    await producer.disconnect();
  });

  it("round-trips keyed messages with headers in per-partition order, and committed offsets survive a consumer restart", async () => {
    // Prepare
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const keys = ["order-a", "order-b", "order-c", "order-d"];
    const firstRound = keys.flatMap((key) =>
      [1, 2, 3].map((sequence) => ({
        key,
        value: JSON.stringify({ key, sequence }),
        headers: { event_type: "Smoke", sequence: String(sequence) },
      })),
    );

    // Act
    const acks = await producer.send({ topic, acks: -1, messages: firstRound });
    const groupId = uniqueName("smoke-group");
    const firstRead = await consumeUntil(topic, groupId, firstRound.length);

    // Assess: every message back with its key and headers, one key on one partition, in order
    expect(acks.map((ack) => ack.errorCode)).toEqual(acks.map(() => 0));
    expect(acks.length).toBeGreaterThan(0);
    expect(firstRead).toHaveLength(firstRound.length);
    for (const key of keys) {
      const ofKey = firstRead.filter(({ message }) => message.key?.toString() === key);
      expect(new Set(ofKey.map(({ partition }) => partition)).size).toBe(1);
      expect(ofKey.map(({ message }) => JSON.parse(message.value?.toString() ?? "null"))).toEqual([
        { key, sequence: 1 },
        { key, sequence: 2 },
        { key, sequence: 3 },
      ]);
      expect(ofKey.map(({ message }) => message.headers?.sequence?.toString())).toEqual([
        "1",
        "2",
        "3",
      ]);
      expect(
        ofKey.every(({ message }) => message.headers?.event_type?.toString() === "Smoke"),
      ).toBe(true);
      const offsets = ofKey.map(({ message }) => BigInt(message.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }

    // Act: more messages, then a new consumer in the same group
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: "order-e", value: JSON.stringify({ key: "order-e", sequence: 1 }) }],
    });
    await producer.disconnect();
    const secondRead = await consumeUntil(topic, groupId, 1);

    // Assess: the group resumes after its committed offsets, so only the new message arrives
    expect(secondRead.map(({ message }) => message.key?.toString())).toEqual(["order-e"]);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    const endOf = (partition: number) => ends.find((end) => end.partition === partition)?.high;
    const committedPartitions = committed[0]?.partitions ?? [];
    expect(committedPartitions).toHaveLength(3);
    for (const { partition, offset } of committedPartitions) {
      // A partition that never held a message has nothing committed (-1) and an end of 0.
      expect(offset === "-1" ? "0" : offset).toBe(endOf(partition));
    }
  });
});
