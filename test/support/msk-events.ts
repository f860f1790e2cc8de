/**
 * MSK events (see docs/architecture.md, Lambda event sources) built from records read back
 * from the real broker, the way Lambda's event source mapping hands them to a function:
 * grouped by "topic-partition" in offset order, key and value in base64 (no key: the field
 * is left out; a tombstone: `value: null`), each header as a single-entry object of its bytes.
 *
 * @example
 * ```ts
 * const event = mskEvent(await readTopic(topic));
 * await handler(event, lambdaContext("order-created"));
 * ```
 */
import type { KafkaRecord } from "../../shared/kafka/kafka-record";
import type { LambdaKafkaEvent, LambdaKafkaRecord } from "../../shared/kafka/lambda-kafka-event";

export const lambdaKafkaRecord = (record: KafkaRecord): LambdaKafkaRecord => ({
  topic: record.topic,
  partition: record.partition,
  offset: record.offset,
  timestamp: record.timestamp,
  timestampType: record.timestampType,
  ...(record.key === null ? {} : { key: record.key.toString("base64") }),
  value: record.value === null ? null : record.value.toString("base64"),
  headers: record.headers.map(({ name, value }) => ({ [name]: [...value] })),
});

export const mskEvent = (records: readonly KafkaRecord[]): LambdaKafkaEvent => {
  const sorted = [...records].sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset,
  );
  const grouped: Record<string, LambdaKafkaRecord[]> = {};
  for (const record of sorted) {
    const batchKey = `${record.topic}-${record.partition}`;
    const batch = grouped[batchKey] ?? [];
    batch.push(lambdaKafkaRecord(record));
    grouped[batchKey] = batch;
  }
  return {
    eventSource: "aws:kafka",
    eventSourceArn:
      "arn:aws:kafka:us-east-1:123456789012:cluster/local/00000000-0000-0000-0000-000000000000-1",
    bootstrapServers: "127.0.0.1:9092",
    records: grouped,
  };
};
