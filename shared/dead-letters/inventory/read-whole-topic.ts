/**
 * Reads every record a topic holds now, from its earliest retained offset to the end seen at
 * the start, with a consumer group of its own that commits nothing and is deleted after.
 *
 * @example
 * ```ts
 * const records = await readWholeTopic(kafka, "order-events.dlq");
 * ```
 */
import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import { type KafkaRecord, kafkaRecordOfMessage } from "../../kafka/kafka-record";

/**
 * The prefix of the consumer groups a read creates (and deletes): the dead-letters function's
 * IAM grants on groups are scoped to it.
 */
export const DEAD_LETTERS_READER_GROUP_PREFIX = "dead-letters-reader-";

/** The topic could not be read to its end in time. */
export class TopicReadTimeoutError extends Error {
  override readonly name = "TopicReadTimeoutError";
}

/** The offset to read up to per partition (exclusive), only partitions that hold records. */
const endsOf = async (kafka: Kafka, topic: string): Promise<Map<number, number>> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(
      offsets
        .filter((each) => Number(each.high) > Number(each.low))
        .map((each) => [each.partition, Number(each.high)]),
    );
  } finally {
    await admin.disconnect();
  }
};

/** Every record of `topic`, by partition then offset; fails after `timeoutMs`. */
export const readWholeTopic = async (
  kafka: Kafka,
  topic: string,
  timeoutMs = 60_000,
): Promise<KafkaRecord[]> => {
  const ends = await endsOf(kafka, topic);
  if (ends.size === 0) return [];
  const groupId = `${DEAD_LETTERS_READER_GROUP_PREFIX}${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  const records = new Map<string, KafkaRecord>();
  const left = new Map(ends);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(
        () => fail(new TopicReadTimeoutError(`reading ${topic} took over ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const record = kafkaRecordOfMessage(topic, partition, message);
            const end = ends.get(partition) ?? 0;
            if (record.offset < end) records.set(`${partition}@${record.offset}`, record);
            if (record.offset + 1 >= end) left.delete(partition);
            if (left.size === 0) {
              clearTimeout(timer);
              done();
            }
          },
        })
        .catch(fail);
    });
  } finally {
    await consumer.disconnect();
    await deleteGroup(kafka, groupId);
  }
  return [...records.values()].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
};

const deleteGroup = async (kafka: Kafka, groupId: string): Promise<void> => {
  const admin = kafka.admin();
  await admin.connect();
  // A group left behind only costs the broker a little memory until it expires.
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.disconnect();
};
