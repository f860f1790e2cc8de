/**
 * The outbox relay: turns a DynamoDB stream batch of outbox INSERTs into Kafka messages and
 * publishes them in order with the idempotent producer, in as few requests as possible.
 *
 * - Records that are not outbox INSERTs are skipped and counted (the trigger's filter should
 *   already have left them out).
 * - A poison item (cannot become a message, or a message the broker refuses for what it is,
 *   e.g. above the topic's `max.message.bytes`) goes whole, with its reason, to the
 *   dead-letter place, and the relay moves on: one bad item never blocks its shard.
 * - On a failed publish it reports the sequence number of the first record not acknowledged,
 *   so Lambda's checkpoint never passes an unpublished record and retries from there; the
 *   records after it are not sent, which keeps one order's events in order. A retry may send
 *   a record again: a duplicate with the same `event_id`, which consumers apply once.
 * - Each message continues the trace stored in its item: a PRODUCER span whose parent is the
 *   item's `traceparent`, and whose own context goes into the message's headers.
 *
 * @example
 * ```ts
 * const { response, report } = await relayOutboxRecords(event.Records, { sender, deadLetters, maxMessageBytes });
 * return response; // { batchItemFailures: [...] }
 * ```
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { describeError, isPermanent } from "../errors";
import { isProduceError, ProducePermanentError } from "../kafka/errors";
import { HEADER } from "../kafka/headers";
import type { MessageSender } from "../kafka/outgoing-message";
import {
  contextFromHeaders,
  type TraceHeaders,
  tracesExported,
  withProducerSpans,
} from "../observability";
import type { OutboxDeadLetters } from "./outbox-dead-letters";
import { OUTBOX_SORT_KEY_PREFIX } from "./outbox-item";
import { type OutboxMessage, readOutboxImage } from "./read-outbox-item";

export interface RelayReport {
  readonly received: number;
  /** Acknowledged by the broker in this invocation (a retry may send some again). */
  readonly published: number;
  readonly skipped: number;
  readonly deadLettered: number;
  /** Records left for Lambda to retry, from the first failure on. */
  readonly failed: number;
  readonly firstFailedSequenceNumber?: string;
  readonly failure?: { readonly errorClass: string; readonly message: string };
}

export interface RelayDependencies {
  readonly sender: MessageSender;
  readonly deadLetters: OutboxDeadLetters;
  /** The broker's maximum message size; a larger item is poison. */
  readonly maxMessageBytes: number;
  readonly now?: () => Date;
}

type Classified =
  | { readonly kind: "skip" }
  | { readonly kind: "poison"; readonly error: Error }
  | { readonly kind: "message"; readonly item: OutboxMessage };

const isOutboxInsert = (record: DynamoDBRecord): boolean =>
  record.eventName === "INSERT" &&
  (record.dynamodb?.Keys?.sk?.S?.startsWith(OUTBOX_SORT_KEY_PREFIX) ?? false);

const classify = (record: DynamoDBRecord, maxMessageBytes: number): Classified => {
  if (!isOutboxInsert(record)) return { kind: "skip" };
  try {
    const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
    return { kind: "message", item: readOutboxImage(image, { maxMessageBytes }) };
  } catch (error) {
    if (isPermanent(error)) return { kind: "poison", error };
    throw error;
  }
};

/**
 * Broker refusals that are about the message itself (its size or its bytes), so no retry can
 * ever publish it. Other permanent errors (authorization, a missing topic) are about the
 * cluster: the relay waits for an operator rather than park every item.
 */
const MESSAGE_REFUSALS = new Set([
  "MESSAGE_TOO_LARGE",
  "RECORD_LIST_TOO_LARGE",
  "INVALID_RECORD",
  "CORRUPT_MESSAGE",
]);

const refusedForGood = (error: unknown): error is ProducePermanentError =>
  error instanceof ProducePermanentError && MESSAGE_REFUSALS.has(error.kafkaErrorType ?? "");

const sequenceOf = (record: DynamoDBRecord | undefined): string =>
  record?.dynamodb?.SequenceNumber ?? "";

export const relayOutboxRecords = async (
  records: readonly DynamoDBRecord[],
  dependencies: RelayDependencies,
): Promise<{ readonly response: DynamoDBBatchResponse; readonly report: RelayReport }> => {
  const now = dependencies.now ?? (() => new Date());
  const classified = records.map((record) => classify(record, dependencies.maxMessageBytes));
  let firstFailure = records.length;
  let failure: RelayReport["failure"];
  const failAt = (index: number, error: unknown) => {
    if (index < firstFailure) {
      firstFailure = index;
      failure = describeError(error);
    }
  };

  let deadLettered = 0;
  /** Parks a record's item with its reason; a failure to park is a failure at that record. */
  const park = async (index: number, error: Error): Promise<boolean> => {
    const record = records[index];
    if (record === undefined) return false;
    try {
      await dependencies.deadLetters.put({
        record,
        reason: error.message,
        errorClass: error.name,
        failedAt: now(),
      });
      deadLettered += 1;
      return true;
    } catch (putError) {
      failAt(index, putError);
      return false;
    }
  };

  const outgoing: { readonly index: number; readonly item: OutboxMessage }[] = [];
  const parking: Promise<boolean>[] = [];
  classified.forEach((entry, index) => {
    if (entry.kind === "message") outgoing.push({ index, item: entry.item });
    // Poison items never reach Kafka, so parking them cannot reorder anything.
    else if (entry.kind === "poison") parking.push(park(index, entry.error));
  });
  await Promise.all(parking);

  const publish = async (items: readonly { readonly item: OutboxMessage }[]): Promise<void> => {
    const send = async (traceHeaders: readonly TraceHeaders[]) => {
      const producedAt = now().toISOString();
      await dependencies.sender.send(
        items.map(({ item }, position) => ({
          topic: item.topic,
          key: item.message_key,
          value: item.value,
          headers: { ...item.headers, [HEADER.producedAt]: producedAt, ...traceHeaders[position] },
        })),
      );
    };
    if (!tracesExported()) {
      // No span would be recorded: the stored trace context travels on unchanged, and the
      // hot path skips parsing and re-writing it for every record.
      return send([]);
    }
    return withProducerSpans(
      items.map(({ item }) => ({
        topic: item.topic,
        key: item.message_key,
        eventId: item.event_id,
        parent: contextFromHeaders(item.headers),
      })),
      send,
    );
  };

  let published = 0;
  let from = 0;
  while (from < outgoing.length) {
    try {
      await publish(outgoing.slice(from));
      published += outgoing.length - from;
      break;
    } catch (error) {
      const acknowledged = isProduceError(error) ? error.firstUnacknowledged : 0;
      published += acknowledged;
      const culprit = outgoing[from + acknowledged];
      if (culprit === undefined) break;
      if (!refusedForGood(error)) {
        failAt(culprit.index, error);
        break;
      }
      // The broker refuses a message for what it is: find it (the request may hold several)
      // and park it like poison, so the rest of the batch, and every later one, still goes.
      const alone = await publish([culprit]).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      if (alone === undefined) {
        published += 1;
      } else if (!(refusedForGood(alone) && (await park(culprit.index, alone)))) {
        failAt(culprit.index, alone);
        break;
      }
      from += acknowledged + 1;
    }
  }

  const failed = firstFailure < records.length ? records.length - firstFailure : 0;
  const report: RelayReport = {
    received: records.length,
    published,
    skipped: classified.filter((entry) => entry.kind === "skip").length,
    deadLettered,
    failed,
    ...(failed > 0
      ? { firstFailedSequenceNumber: sequenceOf(records[firstFailure]), failure }
      : {}),
  };
  return {
    response: {
      batchItemFailures: failed > 0 ? [{ itemIdentifier: sequenceOf(records[firstFailure]) }] : [],
    },
    report,
  };
};
