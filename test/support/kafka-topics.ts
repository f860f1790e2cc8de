/**
 * Topics for tests on the real broker: create one (or one as the wiring declares it), and
 * read back everything it holds as
 * `KafkaRecord`s (the shape functions see), up to the high watermark of every partition, so
 * a read is complete rather than "whatever arrived in time".
 */
import { Kafka, logLevel } from "kafkajs";
import { createTopics, ensureTopics } from "../../infra/local/kafka-topics";
import { systemWiring } from "../../infra/wiring/system-wiring";
import { type KafkaRecord, kafkaRecordOfMessage } from "../../shared/kafka/kafka-record";
import { kafkaBrokers, uniqueName } from "./local-endpoints";

export { createTopics };

export const testKafkaClient = (brokers: readonly string[] = kafkaBrokers): Kafka =>
  new Kafka({ clientId: "tests", brokers: [...brokers], logLevel: logLevel.NOTHING });

export const createTopic = (
  topic: string,
  numPartitions: number,
  kafka: Kafka = testKafkaClient(),
): Promise<void> => createTopics(kafka, [{ topic, numPartitions }]);

/**
 * Creates a topic exactly as the wiring declares `declaredName` (partitions and configs, such
 * as the largest message it takes), under a name of the test's own.
 */
export const createDeclaredTopic = async (
  declaredName: string,
  topic: string,
  kafka: Kafka = testKafkaClient(),
): Promise<void> => {
  const declaration = systemWiring.topics.find(({ name }) => name === declaredName);
  if (declaration === undefined) throw new Error(`the wiring declares no topic ${declaredName}`);
  await ensureTopics(kafka, [{ ...declaration, name: topic }]);
};

/** Every record of the topic, sorted by partition, then offset. */
export const readTopic = async (
  topic: string,
  kafka: Kafka = testKafkaClient(),
  timeoutMs = 30_000,
): Promise<KafkaRecord[]> => {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const lastOffsets = new Map(
    ends
      .filter((end) => Number(end.high) > Number(end.low))
      .map((end) => [end.partition, Number(end.high) - 1]),
  );
  const records: KafkaRecord[] = [];
  if (lastOffsets.size === 0) return records;
  const consumer = kafka.consumer({ groupId: uniqueName("reader"), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read only ${records.length} records of ${topic}`)),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const record = kafkaRecordOfMessage(topic, partition, message);
            records.push(record);
            if (lastOffsets.get(partition) === record.offset) lastOffsets.delete(partition);
            if (lastOffsets.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
};
