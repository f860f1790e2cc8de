/**
 * Takes the records out of a Lambda Kafka event and reads them as typed events. One bad
 * record never throws out of the batch: each failure is a {@link RecordDecodeError} carrying
 * the record's origin, and the record's original bytes stay available for the dead-letter
 * topic. Only an invocation that is not a Kafka event at all, or whose headers are not
 * Lambda's shape, fails as a whole.
 *
 * The steps are exported too, for consumers that look at a record's `event_type` before
 * deciding whether to validate it: {@link toKafkaRecords}, {@link parseRecordValue} (bytes to
 * a JSON object) and {@link decodeRecordValue} (JSON object to a typed event).
 */
import "../config/zod-messages";
import { describeError } from "../errors";
import {
  type AnyEventOf,
  type EventContracts,
  InvalidEventError,
  MalformedEventError,
  readEvent,
  UnknownEventTypeError,
} from "../events";
import type { KafkaRecord, KafkaRecordHeader } from "./kafka-record";
import {
  type LambdaKafkaEvent,
  type LambdaKafkaRecord,
  lambdaKafkaEventSchema,
  MalformedHeadersError,
} from "./lambda-kafka-event";
import { RecordDecodeError, type RecordDecodeFailure } from "./record-decode-error";

/**
 * A record and the event read from it, or why it holds none.
 *
 * @example
 * ```ts
 * if (outcome.status === "decoded") await apply(outcome.event);
 * else await deadLetter(outcome.record, outcome.error);
 * ```
 */
export type DecodedRecord<E> =
  | { readonly status: "decoded"; readonly record: KafkaRecord; readonly event: E }
  | { readonly status: "failed"; readonly record: KafkaRecord; readonly error: RecordDecodeError };

/**
 * A record's value as a JSON object, or why it is none (always `undecodable`).
 *
 * @example
 * ```ts
 * const parsed = parseRecordValue(record);
 * if (parsed.status === "parsed") parsed.value.event_type;
 * ```
 */
export type ParsedRecordValue =
  | { readonly status: "parsed"; readonly value: Record<string, unknown> }
  | { readonly status: "failed"; readonly error: RecordDecodeError };

/** Refuses malformed bytes instead of replacing them, and drops a leading byte order mark. */
const utf8 = new TextDecoder("utf-8", { fatal: true });

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Lambda's headers as name and bytes, in order. Each element of a header's array is taken as
 * a byte (its low 8 bits, as `Buffer.from` does), so Java's signed bytes, -128..127, read
 * right.
 */
const headersOf = (record: LambdaKafkaRecord): KafkaRecordHeader[] => {
  const headers: KafkaRecordHeader[] = [];
  const lambdaHeaders = record.headers ?? [];
  for (let index = 0; index < lambdaHeaders.length; index += 1) {
    const header = lambdaHeaders[index];
    if (!isJsonObject(header)) {
      throw new MalformedHeadersError(record, `header ${index} is not an object`);
    }
    for (const name in header) {
      const bytes = header[name];
      if (!Array.isArray(bytes)) {
        throw new MalformedHeadersError(
          record,
          `header ${index} ("${name}") is not an array of bytes`,
        );
      }
      headers.push({ name, value: Buffer.from(bytes as readonly number[]) });
    }
  }
  return headers;
};

/**
 * Lambda's record with key, value and headers as the bytes that were produced. Throws a
 * `MalformedHeadersError` when its headers are not Lambda's shape.
 *
 * @example
 * ```ts
 * const record = toKafkaRecord(event.records["order-events-0"][0]);
 * record.key?.toString("utf8"); // "ord-1"
 * ```
 */
export const toKafkaRecord = (record: LambdaKafkaRecord): KafkaRecord => ({
  topic: record.topic,
  partition: record.partition,
  offset: record.offset,
  timestamp: record.timestamp,
  timestampType: record.timestampType,
  key: record.key == null ? null : Buffer.from(record.key, "base64"),
  value: record.value == null ? null : Buffer.from(record.value, "base64"),
  headers: headersOf(record),
});

/**
 * Every record of a Lambda Kafka event, in Lambda's order: topic-partition by
 * topic-partition, by offset. Throws on an invocation that is not a Kafka event (a
 * `$ZodError` naming what is wrong) and on headers that are not Lambda's shape
 * (`MalformedHeadersError`).
 *
 * @example
 * ```ts
 * const records = toKafkaRecords(event);
 * records.map(topicPartition); // ["order-events-0", "order-events-0", "order-events-1"]
 * ```
 */
export const toKafkaRecords = (event: LambdaKafkaEvent): KafkaRecord[] =>
  Object.values(lambdaKafkaEventSchema.parse(event).records).flatMap((records) =>
    records.map(toKafkaRecord),
  );

const failure = (
  record: KafkaRecord,
  kind: RecordDecodeFailure,
  detail: string,
  cause?: unknown,
): { readonly status: "failed"; readonly error: RecordDecodeError } => ({
  status: "failed",
  error: new RecordDecodeError(kind, record, detail, { cause }),
});

const utf8Text = (bytes: Buffer): string | undefined => {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
};

/**
 * The value as a JSON object; a tombstone, bytes that are not well-formed UTF-8 and JSON that
 * is not an object are undecodable.
 *
 * @example
 * ```ts
 * parseRecordValue(tombstone); // { status: "failed", error: RecordDecodeError { kind: "undecodable" } }
 * ```
 */
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

/**
 * Reads a parsed value as an event of the contracts (`readEvent`), or says why it is none.
 *
 * @example
 * ```ts
 * const parsed = parseRecordValue(record);
 * if (parsed.status === "parsed") decodeRecordValue(orderEventContracts, record, parsed.value);
 * ```
 */
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

const decodeRecord = <C extends EventContracts>(
  contracts: C,
  record: KafkaRecord,
): DecodedRecord<AnyEventOf<C>> => {
  const parsed = parseRecordValue(record);
  if (parsed.status === "failed") return { status: "failed", record, error: parsed.error };
  return decodeRecordValue(contracts, record, parsed.value);
};

/**
 * Every record of a Lambda Kafka event, each decoded into a typed event or a typed failure.
 *
 * @example
 * ```ts
 * for (const outcome of decodeKafkaEvent(orderEventContracts, event)) {
 *   if (outcome.status === "decoded") await router.route(outcome.event, context);
 *   else await deadLetter(outcome.record, outcome.error);
 * }
 * ```
 */
export const decodeKafkaEvent = <C extends EventContracts>(
  contracts: C,
  event: LambdaKafkaEvent,
): DecodedRecord<AnyEventOf<C>>[] =>
  toKafkaRecords(event).map((record) => decodeRecord(contracts, record));
