/**
 * Reads topics from given offsets onwards, in the background, as `KafkaRecord`s (the shape
 * the functions and `readDeadLetter` take), for as long as the demo runs. A consumer group
 * of its own, used only to be assigned every partition: it commits nothing, starts at the
 * offsets it is told (kafkajs applies seeks before the first fetch), and is deleted on stop.
 *
 * @example
 * ```ts
 * const reader = await startTopicReader(kafka, [{ topic: "order-events", start }], "demo-x-reader");
 * reader.records("order-events"); // what arrived since `start`, by partition then offset
 * reader.unread("order-events", end); // 0 once it has read up to `end`
 * await reader.stop();
 * ```
 */
import type { Admin, Kafka } from "kafkajs";
import { type KafkaRecord, kafkaRecordOfMessage } from "../../../shared/kafka/kafka-record";
import type { PartitionOffsets } from "./demo-observation";

export interface TopicWindow {
  readonly topic: string;
  /** Where reading starts, per partition. */
  readonly start: PartitionOffsets;
}

export interface TopicReader {
  /** Records read so far of that topic, sorted by partition, then offset. */
  records(topic: string): KafkaRecord[];
  /** How many records before `end` are not read yet, over all partitions. */
  unread(topic: string, end: PartitionOffsets): number;
  /** The consumer's failure, if it stopped reading. */
  failure(): Error | undefined;
  stop(): Promise<void>;
}

export const startTopicReader = async (
  kafka: Kafka,
  admin: Admin,
  windows: readonly TopicWindow[],
  groupId: string,
): Promise<TopicReader> => {
  const read = new Map<string, Map<string, KafkaRecord>>(
    windows.map((window) => [window.topic, new Map()]),
  );
  const next = new Map<string, Map<number, number>>(
    windows.map((window) => [window.topic, new Map(window.start)]),
  );
  let failure: Error | undefined;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topics: windows.map((window) => window.topic), fromBeginning: false });
  consumer
    .run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const record = kafkaRecordOfMessage(topic, partition, message);
        // A record may come twice (a fetch before the seek took effect, a rebalance).
        read.get(topic)?.set(`${partition}@${record.offset}`, record);
        const positions = next.get(topic);
        if (positions !== undefined && record.offset + 1 > (positions.get(partition) ?? 0)) {
          positions.set(partition, record.offset + 1);
        }
      },
    })
    .catch((error: unknown) => {
      failure = error instanceof Error ? error : new Error(String(error));
    });
  for (const window of windows) {
    for (const [partition, offset] of window.start) {
      consumer.seek({ topic: window.topic, partition, offset: String(offset) });
    }
  }

  return {
    records: (topic) =>
      [...(read.get(topic)?.values() ?? [])].sort(
        (a, b) => a.partition - b.partition || a.offset - b.offset,
      ),
    unread: (topic, end) => {
      const positions = next.get(topic);
      let unread = 0;
      for (const [partition, offset] of end) {
        unread += Math.max(0, offset - (positions?.get(partition) ?? 0));
      }
      return unread;
    },
    failure: () => failure,
    stop: async () => {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    },
  };
};
