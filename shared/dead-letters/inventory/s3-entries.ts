/**
 * Dead letters read from the relay's S3 bucket: a parked poison item
 * (`poison/<table>/<sequence>.json`, `{ reason, error_class, function, first_failed_at,
 * failed_at, parked_by, record }`; objects parked before `first_failed_at` existed lack it)
 * and a stream batch Lambda gave up on (`aws/lambda/...`, its invocation record with the
 * batch as payload, as an object or as JSON text).
 *
 * @example
 * ```ts
 * const entry = poisonEntry("poison/orders/49668.json", json);
 * const batch = agedOutEntry("aws/lambda/<uuid>/<shard>/2026/12/02/...", json);
 * ```
 */
import type { DynamoDBRecord } from "aws-lambda";
import * as z from "zod/mini";
import "../../config/zod-messages";
import { functionOfArn, invocationReason, readInvocationRecord } from "./kafka-entries";
import { eventIdentity } from "./stored-letter";
import type { DeadLetterEntry, DeadLetterSummary } from "./types";

const poisonSchema = z.object({
  reason: z.string(),
  error_class: z.string(),
  function: z.string(),
  first_failed_at: z.optional(z.iso.datetime()),
  failed_at: z.iso.datetime(),
  record: z.custom<DynamoDBRecord>((value) => typeof value === "object" && value !== null),
});

const tableOf = (record: DynamoDBRecord | undefined): string | null =>
  /:table\/([^/]+)\//.exec(record?.eventSourceARN ?? "")?.[1] ?? null;

/** The event of an outbox stream record: its new image's `value`, when it is there. */
const identityOf = (record: DynamoDBRecord | undefined) =>
  eventIdentity(record?.dynamodb?.NewImage?.value?.S ?? null);

const KAFKA_SOURCE = { source_topic: null, source_partition: null, source_offset: null } as const;

/**
 * A parked poison outbox item as a dead letter; redriving it relays its stream record again.
 *
 * @throws {z.core.$ZodError} when the object is not what the relay parks.
 */
export const poisonEntry = (key: string, json: unknown): DeadLetterEntry => {
  const parked = poisonSchema.parse(json);
  const identity = identityOf(parked.record);
  const summary: DeadLetterSummary = {
    ...KAFKA_SOURCE,
    id: `outbox-poison:${key}`,
    place: "outbox-poison",
    table: tableOf(parked.record),
    sequence_number: parked.record.dynamodb?.SequenceNumber ?? null,
    records: 1,
    event_type: identity.eventType,
    event_id: identity.eventId,
    kind: "permanent",
    reason: parked.reason,
    error_class: parked.error_class,
    function: parked.function,
    attempts: null,
    first_failure_at: new Date(parked.first_failed_at ?? parked.failed_at).toISOString(),
    last_failure_at: new Date(parked.failed_at).toISOString(),
    redriven_at: null,
    not_redrivable: null,
  };
  return {
    summary,
    payload: { kind: "stream", records: [parked.record] },
    storedAt: { store: "s3", key },
    stored: { key, headers: [], value: json },
  };
};

/** Stream records by sequence number: decimal strings of any length, so by length first. */
const bySequence = (a: DynamoDBRecord, b: DynamoDBRecord): number => {
  const left = a.dynamodb?.SequenceNumber ?? "";
  const right = b.dynamodb?.SequenceNumber ?? "";
  return left.length - right.length || (left < right ? -1 : left > right ? 1 : 0);
};

/** Lambda stores the payload as an object or as JSON text; either gives the batch. */
const batchOf = (payload: unknown): DynamoDBRecord[] => {
  const value: unknown = typeof payload === "string" ? JSON.parse(payload) : payload;
  const records = z.object({ Records: z.array(z.custom<DynamoDBRecord>()) }).parse(value).Records;
  return [...records].sort(bySequence);
};

/**
 * A stream batch Lambda wrote to the on-failure bucket, as one dead letter; redriving it
 * relays its records in sequence order.
 *
 * @throws {z.core.$ZodError} when the object is not Lambda's invocation record with a batch.
 */
export const agedOutEntry = (key: string, json: unknown): DeadLetterEntry => {
  const invocation = readInvocationRecord(json);
  const records = batchOf(invocation.payload);
  const identity = identityOf(records[0]);
  const at = new Date(invocation.timestamp).toISOString();
  const summary: DeadLetterSummary = {
    ...KAFKA_SOURCE,
    id: `stream-aged-out:${key}`,
    place: "stream-aged-out",
    table: tableOf(records[0]),
    sequence_number: records[0]?.dynamodb?.SequenceNumber ?? null,
    records: records.length,
    event_type: identity.eventType,
    event_id: identity.eventId,
    kind: invocation.requestContext.condition,
    reason: invocationReason(invocation),
    error_class: invocation.responseContext?.functionError ?? null,
    function: functionOfArn(invocation.requestContext.functionArn),
    attempts: invocation.requestContext.approximateInvokeCount,
    first_failure_at: at,
    last_failure_at: at,
    redriven_at: null,
    not_redrivable: null,
  };
  return {
    summary,
    payload: { kind: "stream", records },
    storedAt: { store: "s3", key },
    stored: { key, headers: [], value: json },
  };
};
