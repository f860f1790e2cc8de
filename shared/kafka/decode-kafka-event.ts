/**
 * Decodes every record of a Lambda Kafka event (all topic-partitions, in the order Lambda
 * gave them) into a typed event or a typed failure. One bad record never throws out of the
 * batch: each failure is a {@link RecordDecodeError} carrying the record's origin, and the
 * record's original bytes stay available for the dead-letter topic.
 *
 * @example
 * ```ts
 * for (const outcome of decodeKafkaEvent(orderEventContracts, event)) {
 *   if (outcome.status === "decoded") await router.route(outcome.event, context);
 *   else await deadLetter(outcome.record, outcome.error);
 * }
 * ```
 */
import type { AnyEventOf, EventContracts } from "../events";
import {
  InvalidEventError,
  MalformedEventError,
  readEvent,
  UnknownEventTypeError,
} from "../events";
import type { KafkaRecord } from "./kafka-record";
import {
  type LambdaKafkaEvent,
  type LambdaKafkaRecord,
  lambdaKafkaEventSchema,
} from "./lambda-kafka-event";
import { RecordDecodeError } from "./record-decode-error";

export type DecodedRecord<E> =
  | { readonly status: "decoded"; readonly record: KafkaRecord; readonly event: E }
  | { readonly status: "failed"; readonly record: KafkaRecord; readonly error: RecordDecodeError };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Lambda's record with key, value and headers as the bytes that were produced. */
export const toKafkaRecord = (record: LambdaKafkaRecord): KafkaRecord => ({
  topic: record.topic,
  partition: record.partition,
  offset: record.offset,
  timestamp: record.timestamp,
  timestampType: record.timestampType,
  key: record.key == null ? null : Buffer.from(record.key, "base64"),
  value: record.value == null ? null : Buffer.from(record.value, "base64"),
  headers: (record.headers ?? []).flatMap((header) =>
    Object.entries(header).map(([name, bytes]) => ({ name, value: Buffer.from(bytes) })),
  ),
});

const decodeRecord = <C extends EventContracts>(
  contracts: C,
  record: KafkaRecord,
): DecodedRecord<AnyEventOf<C>> => {
  const fail = (kind: RecordDecodeError["kind"], detail: string, cause?: unknown) => ({
    status: "failed" as const,
    record,
    error: new RecordDecodeError(kind, record, detail, { cause }),
  });
  if (record.value === null) return fail("undecodable", "the record has no value (tombstone)");
  let text: string;
  try {
    text = utf8.decode(record.value);
  } catch (error) {
    return fail("undecodable", "the value is not UTF-8 text", error);
  }
  try {
    return { status: "decoded", record, event: readEvent(contracts, text) };
  } catch (error) {
    if (error instanceof MalformedEventError) return fail("undecodable", error.message, error);
    if (error instanceof UnknownEventTypeError) return fail("unknown-type", error.message, error);
    if (error instanceof InvalidEventError) return fail("invalid", error.message, error);
    throw error;
  }
};

export const decodeKafkaEvent = <C extends EventContracts>(
  contracts: C,
  event: LambdaKafkaEvent,
): DecodedRecord<AnyEventOf<C>>[] => {
  const parsed = lambdaKafkaEventSchema.parse(event);
  return Object.values(parsed.records).flatMap((records) =>
    records.map((record) => decodeRecord(contracts, toKafkaRecord(record))),
  );
};
