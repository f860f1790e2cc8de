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

export type HeadersReader = () => readonly KafkaRecordHeader[];

export const HEADERS_READER: unique symbol = Symbol("kafka-record.headers-reader");

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
  /**
   * In their original order; a name may repeat. May be an accessor that decodes them on first
   * read (records taken out of a Lambda event): a copy must name it, `{ ...record, headers:
   * record.headers }`, since a spread copies own properties only.
   */
  readonly headers: readonly KafkaRecordHeader[];
  /** Reads the headers without holding the record, for records that decode them lazily. */
  readonly [HEADERS_READER]?: HeadersReader;
}

/**
 * Reads the record's headers when called, holding what that takes and not the record itself
 * (whose value may be a megabyte): a record's own reader, else the headers as they are now.
 */
export const headersReaderOf = (record: Pick<KafkaRecord, "headers" | typeof HEADERS_READER>) => {
  const reader = record[HEADERS_READER];
  if (reader !== undefined) return reader;
  const { headers } = record;
  return (): readonly KafkaRecordHeader[] => headers;
};

/** The last header of that name as UTF-8 text. */
export const headerText = (
  record: Pick<KafkaRecord, "headers">,
  name: string,
): string | undefined =>
  record.headers.findLast((header) => header.name === name)?.value.toString("utf8");

/** "topic-partition", the form Lambda uses for batch keys and partial batch responses. */
export const topicPartition = (origin: Pick<KafkaRecordOrigin, "topic" | "partition">): string =>
  `${origin.topic}-${origin.partition}`;
