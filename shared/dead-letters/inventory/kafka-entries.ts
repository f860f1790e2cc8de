/**
 * Dead letters read from Kafka: our DLQ topic's records (the original plus `dlq_*` headers,
 * read with `readDeadLetter`) and a provisioned mapping's on-failure topic records (Lambda's
 * invocation record with a one-record MSK event as payload).
 *
 * @example
 * ```ts
 * const entry = dlqEntry(record); // from order-events.dlq
 * const other = onFailureEntry(record); // from order-events.on-failure
 * ```
 */
import * as z from "zod/mini";
import "../../config/zod-messages";
import { toKafkaRecords } from "../../kafka/decode-kafka-event";
import type { KafkaRecord } from "../../kafka/kafka-record";
import type { LambdaKafkaEvent } from "../../kafka/lambda-kafka-event";
import { readDeadLetter } from "../read-dead-letter";
import { eventIdentity, storedKafkaLetter } from "./stored-letter";
import type { DeadLetterEntry, DeadLetterSummary } from "./types";

const kafkaId = (place: string, record: KafkaRecord): string =>
  `${place}:${record.topic}:${record.partition}:${record.offset}`;

const EMPTY_SOURCE = {
  table: null,
  sequence_number: null,
  redriven_at: null,
  not_redrivable: null,
} as const;

/**
 * A record of our DLQ topic as a dead letter.
 *
 * @throws {NotADeadLetterError} when its `dlq_*` headers are missing or malformed.
 */
export const dlqEntry = (record: KafkaRecord): DeadLetterEntry => {
  const { original, failure } = readDeadLetter(record);
  const identity = eventIdentity(original.value);
  const summary: DeadLetterSummary = {
    ...EMPTY_SOURCE,
    id: kafkaId("dlq", record),
    place: "dlq",
    source_topic: original.topic,
    source_partition: original.partition,
    source_offset: original.offset,
    records: 1,
    event_type: identity.eventType,
    event_id: identity.eventId,
    kind: failure.kind,
    reason: failure.errorMessage,
    error_class: failure.errorClass,
    function: failure.functionName,
    attempts: failure.attempts,
    first_failure_at: failure.firstFailureAt.toISOString(),
    last_failure_at: failure.lastFailureAt.toISOString(),
    // A reduced letter holds no value: redriving it would send a tombstone instead.
    not_redrivable:
      failure.contentOmitted === undefined
        ? null
        : `reduced letter (${failure.contentOmitted}): read the original at its source position`,
  };
  return {
    summary,
    payload: { kind: "kafka", records: [original] },
    storedAt: {
      store: "kafka",
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
    },
    stored: storedKafkaLetter(record),
  };
};

const invocationRecordSchema = z.object({
  timestamp: z.string(),
  requestContext: z.object({
    functionArn: z.string(),
    condition: z.string(),
    approximateInvokeCount: z.number(),
  }),
  responseContext: z.optional(z.object({ functionError: z.optional(z.string()) })),
  payload: z.unknown(),
});

/** Lambda's invocation record as it is in the on-failure destination (Kafka or S3). */
export type InvocationRecord = z.infer<typeof invocationRecordSchema>;

/** Parses an invocation record; throws a `z.core.$ZodError` naming what is missing. */
export const readInvocationRecord = (json: unknown): InvocationRecord =>
  invocationRecordSchema.parse(json);

/** The function's name: the ARN's last part. */
export const functionOfArn = (arn: string): string => arn.split(":").at(-1) ?? arn;

/** Lambda's condition and the last invocation's error type, as a reason. */
export const invocationReason = (record: InvocationRecord): string =>
  `${record.requestContext.condition} after ${record.requestContext.approximateInvokeCount} invocation(s)` +
  (record.responseContext?.functionError === undefined
    ? ""
    : `; last error: ${record.responseContext.functionError}`);

/**
 * A record of a mapping's on-failure topic as a dead letter: the one record of its payload.
 *
 * @throws {z.core.$ZodError} when its value is not Lambda's invocation record.
 */
export const onFailureEntry = (record: KafkaRecord): DeadLetterEntry => {
  const invocation = readInvocationRecord(JSON.parse(record.value?.toString("utf8") ?? "null"));
  const originals = toKafkaRecords(invocation.payload as LambdaKafkaEvent);
  const first = originals[0];
  const identity = eventIdentity(first?.value);
  const summary: DeadLetterSummary = {
    ...EMPTY_SOURCE,
    id: kafkaId("on-failure", record),
    place: "on-failure",
    source_topic: first?.topic ?? null,
    source_partition: first?.partition ?? null,
    source_offset: first?.offset ?? null,
    records: originals.length,
    event_type: identity.eventType,
    event_id: identity.eventId,
    kind: invocation.requestContext.condition,
    reason: invocationReason(invocation),
    error_class: invocation.responseContext?.functionError ?? null,
    function: functionOfArn(invocation.requestContext.functionArn),
    attempts: invocation.requestContext.approximateInvokeCount,
    first_failure_at: new Date(invocation.timestamp).toISOString(),
    last_failure_at: new Date(invocation.timestamp).toISOString(),
  };
  return {
    summary,
    payload: { kind: "kafka", records: originals },
    storedAt: {
      store: "kafka",
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
    },
    stored: storedKafkaLetter(record),
  };
};
