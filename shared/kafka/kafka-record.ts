/**
 * A Kafka record as the functions see it after taking it out of a Lambda event: bytes kept
 * exactly as they arrived (for dead letters and redrive), plus where it came from. The tools
 * that read topics with kafkajs turn what they fetch into the same shape
 * (`kafkaRecordOfMessage`).
 */
import type { IHeaders, KafkaMessage } from "kafkajs";

/**
 * One header of a record; a record may carry several of one name.
 *
 * @example
 * ```ts
 * const header: KafkaRecordHeader = { name: "event_type", value: Buffer.from("OrderCreated") };
 * ```
 */
export interface KafkaRecordHeader {
  readonly name: string;
  readonly value: Buffer;
}

/**
 * Where a record came from, and when it was written.
 *
 * @example
 * ```ts
 * const origin: KafkaRecordOrigin = {
 *   topic: "order-events", partition: 2, offset: 41, timestamp: Date.now(), timestampType: "CREATE_TIME",
 * };
 * ```
 */
export interface KafkaRecordOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly timestampType: string;
}

/**
 * A consumed record: its origin, and key, value and headers as the bytes that were produced.
 *
 * @example
 * ```ts
 * const text = record.value?.toString("utf8");
 * record.key?.toString("utf8"); // "ord-1"
 * ```
 */
export interface KafkaRecord extends KafkaRecordOrigin {
  /** `null` when the record has no key (an empty key is a Buffer of length 0). */
  readonly key: Buffer | null;
  /** `null` for a tombstone. */
  readonly value: Buffer | null;
  /** In their original order; a name may repeat. */
  readonly headers: readonly KafkaRecordHeader[];
}

/**
 * The last header of that name as UTF-8 text, or undefined when the record has none.
 *
 * @example
 * ```ts
 * headerText(record, "traceparent"); // "00-...-01" or undefined
 * ```
 */
export const headerText = (
  record: Pick<KafkaRecord, "headers">,
  name: string,
): string | undefined => {
  for (let index = record.headers.length - 1; index >= 0; index -= 1) {
    const header = record.headers[index];
    if (header?.name === name) return header.value.toString("utf8");
  }
  return undefined;
};

/**
 * "topic-partition", the form Lambda uses for batch keys and partial batch responses.
 *
 * @example
 * ```ts
 * topicPartition({ topic: "order-events", partition: 2 }); // "order-events-2"
 * ```
 */
export const topicPartition = (origin: Pick<KafkaRecordOrigin, "topic" | "partition">): string =>
  `${origin.topic}-${origin.partition}`;

/** kafkajs hands headers as an object; a repeated name comes as an array, in wire order. */
const headerList = (headers: IHeaders | undefined): KafkaRecordHeader[] =>
  Object.entries(headers ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).flatMap((each) =>
      each === undefined ? [] : [{ name, value: Buffer.from(each) }],
    ),
  );

/**
 * A message a kafkajs consumer fetched, as a record: its key, value and every header value as
 * bytes, a repeated header in order. For the tools that read topics themselves (the
 * dead-letters inventory, the demo); a function's records come from its Lambda event.
 *
 * @example
 * ```ts
 * await consumer.run({
 *   eachMessage: async ({ topic, partition, message }) => {
 *     records.push(kafkaRecordOfMessage(topic, partition, message));
 *   },
 * });
 * ```
 */
export const kafkaRecordOfMessage = (
  topic: string,
  partition: number,
  message: KafkaMessage,
): KafkaRecord => ({
  topic,
  partition,
  offset: Number(message.offset),
  timestamp: Number(message.timestamp),
  timestampType: "CREATE_TIME",
  key: message.key,
  value: message.value,
  headers: headerList(message.headers),
});
