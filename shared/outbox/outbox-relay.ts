/**
 * The outbox relay: turns a DynamoDB stream batch of outbox INSERTs into Kafka messages and
 * publishes them in order with the idempotent producer, in as few requests as possible.
 *
 * - Records that are not outbox INSERTs are skipped and counted (the trigger's filter should
 *   already have left them out).
 * - A poison item (cannot become a message) goes whole, with its reason, to the dead-letter
 *   place, and the relay moves on: one bad item never blocks its shard.
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
import { isProduceError } from "../kafka/errors";
import { HEADER } from "../kafka/headers";
import type { MessageSender, OutgoingMessage } from "../kafka/outgoing-message";
import {
  contextFromHeaders,
  type TraceHeaders,
  tracesExported,
  withProducerSpans,
} from "../observability";
import type { OutboxDeadLetters } from "./outbox-dead-letters";
import { OUTBOX_SORT_KEY_PREFIX, type OutboxItem } from "./outbox-item";
import { readOutboxImage } from "./read-outbox-item";

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
  | { readonly kind: "message"; readonly item: OutboxItem };

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

  // Poison items never reach Kafka, so parking them cannot reorder anything.
  const poison = classified.flatMap((entry, index) =>
    entry.kind === "poison" ? [{ index, error: entry.error }] : [],
  );
  let deadLettered = 0;
  await Promise.all(
    poison.map(async ({ index, error }) => {
      const record = records[index];
      if (record === undefined) return;
      try {
        await dependencies.deadLetters.put({
          record,
          reason: error.message,
          errorClass: error.name,
          failedAt: now(),
        });
        deadLettered += 1;
      } catch (putError) {
        failAt(index, putError);
      }
    }),
  );

  const outgoing = classified.flatMap((entry, index) =>
    entry.kind === "message" ? [{ index, item: entry.item }] : [],
  );
  let published = 0;
  try {
    const send = async (traceHeaders: readonly TraceHeaders[]) => {
      const producedAt = now().toISOString();
      const messages: OutgoingMessage[] = outgoing.map(({ item }, position) => ({
        topic: item.topic,
        key: item.message_key,
        value: item.value,
        headers: { ...item.headers, [HEADER.producedAt]: producedAt, ...traceHeaders[position] },
      }));
      await dependencies.sender.send(messages);
      published = messages.length;
    };
    if (tracesExported()) {
      await withProducerSpans(
        outgoing.map(({ item }) => ({
          topic: item.topic,
          key: item.message_key,
          eventId: item.event_id,
          parent: contextFromHeaders(item.headers),
        })),
        send,
      );
    } else {
      // No span would be recorded: the stored trace context travels on unchanged, and the
      // hot path skips parsing and re-writing it for every record.
      await send([]);
    }
  } catch (error) {
    const unacknowledged = isProduceError(error) ? error.firstUnacknowledged : 0;
    published = unacknowledged;
    failAt(outgoing[unacknowledged]?.index ?? 0, error);
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
