/**
 * A Kafka record as the functions see it after taking it out of a Lambda event: bytes kept
 * exactly as they arrived (for dead letters and redrive), plus where it came from.
 */

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
