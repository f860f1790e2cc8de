/**
 * Decodes every record of a Lambda Kafka event (all topic-partitions, in the order Lambda
 * gave them) into a typed event or a typed failure. One bad record never throws out of the
 * batch: each failure is a {@link RecordDecodeError} carrying the record's origin, and the
 * record's original bytes stay available for the dead-letter topic.
 *
 * The steps are exported too, for consumers that look at a record's `event_type` before
 * deciding whether to validate it: {@link toKafkaRecords}, {@link parseRecordValue} (bytes to
 * a JSON object) and {@link decodeRecordValue} (JSON object to a typed event).
 *
 * @example
 * ```ts
 * for (const outcome of decodeKafkaEvent(orderEventContracts, event)) {
 *   if (outcome.status === "decoded") await router.route(outcome.event, context);
 *   else await deadLetter(outcome.record, outcome.error);
 * }
 * ```
 */
import { isUtf8 } from "node:buffer";
import { z } from "zod";
import { describeError } from "../errors";
import type { AnyEventOf, EventContracts } from "../events";
import {
  InvalidEventError,
  MalformedEventError,
  readEvent,
  UnknownEventTypeError,
} from "../events";
import {
  HEADERS_READER,
  type HeadersReader,
  type KafkaRecord,
  type KafkaRecordHeader,
  type KafkaRecordOrigin,
  KEY_BASE64,
  MalformedHeadersError,
} from "./kafka-record";
import {
  type LambdaKafkaEvent,
  type LambdaKafkaRecord,
  lambdaKafkaEventSchema,
} from "./lambda-kafka-event";
import { RecordDecodeError, type RecordDecodeFailure } from "./record-decode-error";

export type DecodedRecord<E> =
  | { readonly status: "decoded"; readonly record: KafkaRecord; readonly event: E }
  | { readonly status: "failed"; readonly record: KafkaRecord; readonly error: RecordDecodeError };

/** A record's value as a JSON object, or why it is none (always `undecodable`). */
export type ParsedRecordValue =
  | { readonly status: "parsed"; readonly value: Record<string, unknown> }
  | { readonly status: "failed"; readonly error: RecordDecodeError };

const BYTE_ORDER_MARK = "\uFEFF";
const REPLACEMENT_CHARACTER = "\uFFFD";

/**
 * The bytes as text when they are well-formed UTF-8 (a leading byte order mark dropped, as a
 * `TextDecoder` does), else undefined. Decoding replaces every malformed sequence with U+FFFD,
 * so text without one came from well-formed bytes; only text with one (malformed, or a real
 * U+FFFD) has its bytes checked. A fatal `TextDecoder` checks them every time, which costs
 * a consumer about 0.07 µs a record.
 */
const utf8Text = (bytes: Buffer): string | undefined => {
  const text = bytes.toString("utf8");
  if (text.includes(REPLACEMENT_CHARACTER) && !isUtf8(bytes)) return undefined;
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
};

/**
 * The bytes as a Buffer, each number taken modulo 256 (as `Buffer.from(array)` does, so a
 * signed byte reads right) but about 5 times faster: `Buffer.from` takes a generic path for
 * arrays, and this copy runs for every header a consumer reads, of every record.
 */
const bytesToBuffer = (bytes: readonly number[]): Buffer => {
  const buffer = Buffer.allocUnsafe(bytes.length);
  for (let index = 0; index < bytes.length; index += 1) buffer[index] = bytes[index] as number;
  return buffer;
};

/**
 * A header whose bytes become a Buffer when first read. Consumers read two or three headers
 * of a record (trace context, event id); converting all of them eagerly costs more than
 * decoding the value. A class, because V8 builds its instances ~30 times faster than object
 * literals with a getter; `value` is therefore an accessor of the prototype, not an own
 * property.
 */
class LambdaKafkaHeader implements KafkaRecordHeader {
  readonly #bytes: readonly number[];
  #value: Buffer | undefined;

  constructor(
    readonly name: string,
    bytes: readonly number[],
  ) {
    this.#bytes = bytes;
  }

  get value(): Buffer {
    this.#value ??= bytesToBuffer(this.#bytes);
    return this.#value;
  }
}

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The headers of a Lambda record, decoded and checked on the first call and kept from then
 * on. Each must be an object of arrays of bytes (`{ "traceparent": [48, 48, ...] }`), else the
 * call throws a {@link MalformedHeadersError} naming the record and the header, every time.
 */
const lazyHeaders = (
  lambdaHeaders: readonly unknown[],
  { topic, partition, offset }: KafkaRecordOrigin,
): HeadersReader => {
  // Only what reading the headers takes: never the record, whose value may be a megabyte.
  let pending: readonly unknown[] | undefined = lambdaHeaders;
  let headers: KafkaRecordHeader[] | undefined;
  return () => {
    if (headers !== undefined) return headers;
    const origin = { topic, partition, offset };
    const decoded: KafkaRecordHeader[] = [];
    for (const [index, header] of (pending ?? []).entries()) {
      if (!isJsonObject(header)) {
        throw new MalformedHeadersError(origin, `header ${index} is not an object`);
      }
      for (const name in header) {
        const bytes = header[name];
        if (!Array.isArray(bytes)) {
          throw new MalformedHeadersError(
            origin,
            `header ${index} ("${name}") is not an array of bytes`,
          );
        }
        decoded.push(new LambdaKafkaHeader(name, bytes));
      }
    }
    headers = decoded;
    pending = undefined;
    return headers;
  };
};

/**
 * A Kafka record over Lambda's. The value is decoded at once (every consumer reads it); the
 * key when first read, since grouping by key compares the base64 text Lambda sent when it is
 * canonical (`keyIdentityOf`); the headers when first read, since most records are applied without
 * reading any: no trace context asked for, nothing dead-lettered. A class, for the reason
 * headers are: `key`, `headers` and the symbol-named members are therefore accessors of the
 * prototype, not own properties, and building one decodes nothing but the value. Its
 * headers reader holds only the headers, so a trace context waiting to read them does not
 * keep the value alive.
 */
class LambdaKafkaRecordView implements KafkaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly timestampType: string;
  readonly value: Buffer | null;
  readonly #keyBase64: string | null;
  #key: Buffer | null | undefined;
  #lambdaHeaders: readonly unknown[] | undefined;
  #headersReader: HeadersReader | undefined;

  constructor(record: LambdaKafkaRecord) {
    this.topic = record.topic;
    this.partition = record.partition;
    this.offset = record.offset;
    this.timestamp = record.timestamp;
    this.timestampType = record.timestampType;
    this.value = record.value == null ? null : Buffer.from(record.value, "base64");
    this.#keyBase64 = record.key ?? null;
    this.#lambdaHeaders = record.headers ?? [];
  }

  /** The text Lambda sent. */
  get [KEY_BASE64](): string | null {
    return this.#keyBase64;
  }

  get key(): Buffer | null {
    if (this.#key === undefined) {
      this.#key = this.#keyBase64 === null ? null : Buffer.from(this.#keyBase64, "base64");
    }
    return this.#key;
  }

  get [HEADERS_READER](): HeadersReader {
    if (this.#headersReader === undefined) {
      this.#headersReader = lazyHeaders(this.#lambdaHeaders ?? [], this);
      this.#lambdaHeaders = undefined;
    }
    return this.#headersReader;
  }

  get headers(): readonly KafkaRecordHeader[] {
    return this[HEADERS_READER]();
  }
}

/** Lambda's record with key, value and headers as the bytes that were produced. */
export const toKafkaRecord = (record: LambdaKafkaRecord): KafkaRecord =>
  new LambdaKafkaRecordView(record);

/**
 * Every record of a Lambda Kafka event, validated at the edge (throws on an invocation that
 * is not a Kafka event), in Lambda's order: topic-partition by topic-partition, by offset.
 */
export const toKafkaRecords = (event: LambdaKafkaEvent): KafkaRecord[] => {
  // Validated in place: parsing a valid event would copy every topic-partition's array of
  // records. Only an invalid event is parsed, for the error that names what is wrong.
  const checked = z.validate(lambdaKafkaEventSchema, event)
    ? event
    : lambdaKafkaEventSchema.parse(event);
  const records: KafkaRecord[] = [];
  for (const batch of Object.values(checked.records)) {
    for (const record of batch) records.push(toKafkaRecord(record));
  }
  return records;
};

const failure = (
  record: KafkaRecord,
  kind: RecordDecodeFailure,
  detail: string,
  cause?: unknown,
): { readonly status: "failed"; readonly error: RecordDecodeError } => ({
  status: "failed",
  error: new RecordDecodeError(kind, record, detail, { cause }),
});

/** The value as a JSON object; a tombstone, non-UTF-8 bytes or non-object JSON are undecodable. */
export const parseRecordValue = (record: KafkaRecord): ParsedRecordValue => {
  if (record.value === null)
    return failure(record, "undecodable", "the record has no value (tombstone)");
  const text = utf8Text(record.value);
  if (text === undefined) return failure(record, "undecodable", "the value is not UTF-8 text");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return failure(record, "undecodable", `Value is not JSON: ${(error as Error).message}`, error);
  }
  return isJsonObject(value)
    ? { status: "parsed", value }
    : failure(record, "undecodable", "Event is not a JSON object");
};

/** Reads a parsed value as an event of the contracts, or says why it is none. */
export const decodeRecordValue = <C extends EventContracts>(
  contracts: C,
  record: KafkaRecord,
  value: Record<string, unknown>,
): DecodedRecord<AnyEventOf<C>> => {
  try {
    return { status: "decoded", record, event: readEvent(contracts, value) };
  } catch (error) {
    return { status: "failed", record, error: decodeErrorOf(record, error) };
  }
};

const decodeFailureOf = (error: unknown): RecordDecodeFailure | undefined => {
  if (error instanceof MalformedEventError) return "undecodable";
  if (error instanceof UnknownEventTypeError) return "unknown-type";
  if (error instanceof InvalidEventError) return "invalid";
  return undefined;
};

/**
 * Reading an event is pure: the same bytes fail the same way every time. So an error no
 * contract meant to raise (a refinement or an upcaster that throws on input it did not
 * expect) makes the record poison too, `invalid` and `unexpected`, instead of failing its
 * batch again and again; the consumer logs it as an error, since a contract may be at fault.
 */
const decodeErrorOf = (record: KafkaRecord, error: unknown): RecordDecodeError => {
  const kind = decodeFailureOf(error);
  const { message } = describeError(error);
  return kind === undefined
    ? new RecordDecodeError("invalid", record, `reading the event threw: ${message}`, {
        cause: error,
        unexpected: true,
      })
    : new RecordDecodeError(kind, record, message, { cause: error });
};

const decodeRecord = <C extends EventContracts>(
  contracts: C,
  record: KafkaRecord,
): DecodedRecord<AnyEventOf<C>> => {
  const parsed = parseRecordValue(record);
  if (parsed.status === "failed") return { status: "failed", record, error: parsed.error };
  return decodeRecordValue(contracts, record, parsed.value);
};

export const decodeKafkaEvent = <C extends EventContracts>(
  contracts: C,
  event: LambdaKafkaEvent,
): DecodedRecord<AnyEventOf<C>>[] =>
  toKafkaRecords(event).map((record) => decodeRecord(contracts, record));
