/**
 * A Kafka record as the functions see it after taking it out of a Lambda event: bytes kept
 * exactly as they arrived (for dead letters and redrive), plus where it came from.
 *
 * @example
 * ```ts
 * const text = record.value?.toString("utf8");
 * headerText(record, "traceparent"); // "00-...-01" or undefined
 * ```
 */

export interface KafkaRecordHeader {
  readonly name: string;
  readonly value: Buffer;
}

export interface KafkaRecordOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly timestampType: string;
}

export interface KafkaRecord extends KafkaRecordOrigin {
  /** `null` when the record has no key. */
  readonly key: Buffer | null;
  /** `null` for a tombstone. */
  readonly value: Buffer | null;
  /** In their original order; a name may repeat. */
  readonly headers: readonly KafkaRecordHeader[];
}

/** The last header of that name as UTF-8 text. */
export const headerText = (
  record: Pick<KafkaRecord, "headers">,
  name: string,
): string | undefined =>
  record.headers.findLast((header) => header.name === name)?.value.toString("utf8");

/** "topic-partition", the form Lambda uses for batch keys and partial batch responses. */
export const topicPartition = (origin: Pick<KafkaRecordOrigin, "topic" | "partition">): string =>
  `${origin.topic}-${origin.partition}`;
