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
import { isCanonicalBase64 } from "./canonical-base64";

export interface KafkaRecordHeader {
  readonly name: string;
  readonly value: Buffer;
}

export type HeadersReader = () => readonly KafkaRecordHeader[];

export const HEADERS_READER: unique symbol = Symbol("kafka-record.headers-reader");

/**
 * The key's bytes in the base64 text they arrived as (a Lambda record's), for records that
 * decode the key lazily; undefined when the record has no such text. Lambda writes canonical
 * base64 (see `isCanonicalBase64`); a hand-made event may not.
 */
export const KEY_BASE64: unique symbol = Symbol("kafka-record.key-base64");

export interface KafkaRecordOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly timestampType: string;
}

export interface KafkaRecord extends KafkaRecordOrigin {
  /**
   * `null` when the record has no key. Like `headers`, may be an accessor that decodes it on
   * first read.
   */
  readonly key: Buffer | null;
  /** `null` for a tombstone. */
  readonly value: Buffer | null;
  /**
   * In their original order; a name may repeat. May be an accessor that decodes them on first
   * read (records taken out of a Lambda event): a copy must name it and `key`, `{ ...record,
   * key: record.key, headers: record.headers }`, since a spread copies own properties only.
   */
  readonly headers: readonly KafkaRecordHeader[];
  /** Reads the headers without holding the record, for records that decode them lazily. */
  readonly [HEADERS_READER]?: HeadersReader;
  /** The key in the base64 text it arrived as, for records that decode it lazily. */
  readonly [KEY_BASE64]?: string | null | undefined;
}

/**
 * Headers that came malformed (a hand-made Lambda event: Lambda's carry each header as an
 * object of one array of bytes, DESIGN §7), found when they were first read. Records taken
 * out of a Lambda event check their headers then, not up front: checking every header of
 * every record costs a consumer about 0.3 µs a record, 15% of its time, and most records are
 * applied without reading a header.
 */
export class MalformedHeadersError extends Error {
  override readonly name = "MalformedHeadersError";

  constructor(origin: Pick<KafkaRecordOrigin, "topic" | "partition" | "offset">, detail: string) {
    super(`${origin.topic}-${origin.partition}@${origin.offset} has malformed headers: ${detail}`);
  }
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

/**
 * The headers, or none when they came malformed: for what only describes a record (its trace
 * context, a log line's event id), which must not fail because of them. What carries them on
 * (a dead letter) reads `headers` and fails.
 */
export const describableHeaders = (read: HeadersReader): readonly KafkaRecordHeader[] => {
  try {
    return read();
  } catch (error) {
    if (error instanceof MalformedHeadersError) return [];
    throw error;
  }
};

/**
 * A text that two records share exactly when their keys' bytes are equal, `null` for no key:
 * the key in canonical base64, as the record kept it when it arrived canonical, or else
 * encoded now. Lambda writes keys that way, so grouping a batch by key decodes no key (0.1 µs
 * a record).
 */
export const keyIdentityOf = (
  record: Pick<KafkaRecord, "key" | typeof KEY_BASE64>,
): string | null => {
  const kept = record[KEY_BASE64];
  if (kept !== undefined && (kept === null || isCanonicalBase64(kept))) return kept;
  return record.key === null ? null : record.key.toString("base64");
};

const lastHeaderText = (headers: readonly KafkaRecordHeader[], name: string): string | undefined =>
  headers.findLast((header) => header.name === name)?.value.toString("utf8");

/** The last header of that name as UTF-8 text. */
export const headerText = (
  record: Pick<KafkaRecord, "headers">,
  name: string,
): string | undefined => lastHeaderText(record.headers, name);

/** {@link headerText}, or undefined when the headers came malformed (see `describableHeaders`). */
export const describingHeaderText = (
  record: Pick<KafkaRecord, "headers">,
  name: string,
): string | undefined =>
  lastHeaderText(
    describableHeaders(() => record.headers),
    name,
  );

/** "topic-partition", the form Lambda uses for batch keys and partial batch responses. */
export const topicPartition = (origin: Pick<KafkaRecordOrigin, "topic" | "partition">): string =>
  `${origin.topic}-${origin.partition}`;
