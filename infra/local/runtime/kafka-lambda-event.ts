/**
 * Builds the event Lambda passes to a function triggered by Amazon MSK from records read
 * with kafkajs: grouped by "topic-partition", key and value in base64 (omitted key, null
 * value for a tombstone), headers as arrays of bytes, in offset order. See
 * `docs/architecture.md`, section "Lambda event sources".
 *
 * @example
 * ```ts
 * const event = mskEvent([record], { eventSourceArn, bootstrapServers: "127.0.0.1:9092" });
 * ```
 */
import type { IHeaders, KafkaMessage } from "kafkajs";
import type { LambdaKafkaEvent, LambdaKafkaRecord } from "../../../shared/kafka/lambda-kafka-event";

/** A record as Lambda puts it in an event, plus its size in that event. */
export interface PolledRecord {
  readonly record: LambdaKafkaRecord & { headers: Record<string, number[]>[] };
  /** The raw value, for filters. */
  readonly value: Buffer | null;
  readonly bytes: number;
}

const headerEntries = (headers: IHeaders | undefined): Record<string, number[]>[] =>
  Object.entries(headers ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).flatMap((each) =>
      each === undefined ? [] : [{ [name]: [...Buffer.from(each)] }],
    ),
  );

/** A fetched message as the record of an MSK event, with its size there. */
export const toPolledRecord = (
  topic: string,
  partition: number,
  message: KafkaMessage,
): PolledRecord => {
  const record = {
    topic,
    partition,
    offset: Number(message.offset),
    timestamp: Number(message.timestamp),
    timestampType: "CREATE_TIME",
    ...(message.key === null ? {} : { key: message.key.toString("base64") }),
    value: message.value === null ? null : message.value.toString("base64"),
    headers: headerEntries(message.headers),
  };
  return { record, value: message.value, bytes: Buffer.byteLength(JSON.stringify(record)) };
};

/** Where the records of an MSK event come from: the mapping's cluster. */
export interface MskEventSource {
  readonly eventSourceArn: string;
  readonly bootstrapServers: string;
}

/** The MSK event for the records, grouped by partition in the order given. */
export const mskEvent = (
  records: readonly PolledRecord[],
  source: MskEventSource,
): LambdaKafkaEvent => {
  const grouped: Record<string, LambdaKafkaRecord[]> = {};
  for (const { record } of records) {
    const key = `${record.topic}-${record.partition}`;
    const partition = grouped[key];
    if (partition === undefined) grouped[key] = [record];
    else partition.push(record);
  }
  return {
    eventSource: "aws:kafka",
    eventSourceArn: source.eventSourceArn,
    bootstrapServers: source.bootstrapServers,
    records: grouped,
  };
};
