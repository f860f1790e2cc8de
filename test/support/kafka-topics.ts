/**
 * Topics for tests on the real broker: create one, and read back everything it holds as
 * `KafkaRecord`s (the shape functions see), up to the high watermark of every partition, so
 * a read is complete rather than "whatever arrived in time".
 */
import { type Admin, type IHeaders, Kafka, type KafkaMessage, logLevel } from "kafkajs";
import type { KafkaRecord, KafkaRecordHeader } from "../../shared/kafka/kafka-record";
import { kafkaBrokers, uniqueName } from "./local-endpoints";

export const testKafkaClient = (brokers: readonly string[] = kafkaBrokers): Kafka =>
  new Kafka({ clientId: "tests", brokers: [...brokers], logLevel: logLevel.NOTHING });

export const createTopic = async (
  admin: Admin,
  topic: string,
  numPartitions: number,
): Promise<void> => {
  await admin.createTopics({
    topics: [{ topic, numPartitions, replicationFactor: 1 }],
    waitForLeaders: true,
  });
};

/** kafkajs hands headers as an object; a repeated name comes as an array, in wire order. */
const headerList = (headers: IHeaders | undefined): KafkaRecordHeader[] =>
  Object.entries(headers ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).flatMap((each) =>
      each === undefined ? [] : [{ name, value: Buffer.from(each) }],
    ),
  );

const toRecord = (topic: string, partition: number, message: KafkaMessage): KafkaRecord => ({
  topic,
  partition,
  offset: Number(message.offset),
  timestamp: Number(message.timestamp),
  timestampType: "CREATE_TIME",
  key: message.key,
  value: message.value,
  headers: headerList(message.headers),
});

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
            const record = toRecord(topic, partition, message);
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
