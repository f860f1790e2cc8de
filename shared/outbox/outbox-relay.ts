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
 *   a record again: a duplicate with the same `event_id`, which consumers apply once. Before
 *   it answers a failed batch it backs off (Lambda retries at once), longer after each failed
 *   batch in a row.
 * - Each message continues the trace stored in its item: a PRODUCER span whose parent is the
 *   item's `traceparent`, and whose own context goes into the message's headers.
 *
 * How the steps fit together, and why: `docs/outbox-relay.md`; what it guarantees:
 * `docs/architecture.md`, "Guarantees".
 *
 * @example
 * ```ts
 * const { response, report } = await relayOutboxRecords(event.Records, { sender, deadLetters, maxMessageBytes, topics });
 * return response; // { batchItemFailures: [...] }
 * ```
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import { describeError, isPermanent } from "../errors";
import { MessageRefusedError } from "../kafka/classify-produce-error";
import { isProduceError } from "../kafka/errors";
import { HEADER } from "../kafka/headers";
import type { MessageSender } from "../kafka/outgoing-message";
import {
  contextFromHeaders,
  type TraceHeaders,
  traceIdOf,
  tracesExported,
  withProducerSpans,
} from "../observability";
import type { OutboxDeadLetters } from "./outbox-dead-letters";
import { OUTBOX_SORT_KEY_PREFIX } from "./outbox-item";
import { type OutboxMessage, type OutboxMessageLimits, readOutboxImage } from "./read-outbox-item";
import type { RetryBackoff } from "./relay-backoff";

/** What one relay invocation did with its batch, for logs and metrics. */
export interface RelayReport {
  /** Stream records in the batch. */
  readonly received: number;
  /** Acknowledged by the broker in this invocation (a retry may send some again). */
  readonly published: number;
  /** Records that are not outbox INSERTs. */
  readonly skipped: number;
  /** Poison items parked in the dead-letter place. */
  readonly deadLettered: number;
  /** Records left for Lambda to retry, from the first failure on. */
  readonly failed: number;
  /** The sequence number Lambda retries from; only when `failed > 0`. */
  readonly firstFailedSequenceNumber?: string;
  /** The error at the first failed record; only when `failed > 0`. */
  readonly failure?: { readonly errorClass: string; readonly message: string };
  /** How long the relay waited before answering (see `backoff`); only when `failed > 0`. */
  readonly backoffMs?: number;
  /**
   * The traces of the batch's outbox messages, each once, in stream order (from the stored
   * `traceparent`): what a log line needs to be found by any of its traces.
   */
  readonly traceIds: readonly string[];
}

/** What the relay publishes with and parks poison in. */
export interface RelayDependencies {
  /** The idempotent producer (or a stand-in in tests). */
  readonly sender: MessageSender;
  /** Where poison items go, whole and with their reason. */
  readonly deadLetters: OutboxDeadLetters;
  /** The broker's maximum message size; a larger item is poison. */
  readonly maxMessageBytes: number;
  /**
   * The topics the relay may publish to (its wiring's); an item naming another is poison,
   * rather than a send that fails until the stream drops the item.
   */
  readonly topics: ReadonlySet<string>;
  /** The clock for `produced_at` and `failedAt`; the system clock by default. */
  readonly now?: () => Date;
  /**
   * Waits after a batch that failed before the relay answers, as Lambda retries it at once;
   * reset by a batch that went. Without it the relay answers at once.
   */
  readonly backoff?: RetryBackoff;
  /** The time the invocation has left, which bounds the backoff's wait; unbounded if absent. */
  readonly remainingTimeMs?: () => number;
}

/** The relay's answer to Lambda, and its report of the batch. */
export interface RelayOutcome {
  /** Names the first record Lambda must retry from, if any. */
  readonly response: DynamoDBBatchResponse;
  readonly report: RelayReport;
}

/**
 * Relays one DynamoDB stream batch: parks the poison items, publishes the outbox messages in
 * stream order, and names the first record not handled so Lambda retries from it.
 *
 * @example
 * ```ts
 * const { response, report } = await relayOutboxRecords(event.Records, {
 *   sender: sharedProducer(kafkaSettings),
 *   deadLetters: s3OutboxDeadLetters({ client, bucket, functionName }),
 *   maxMessageBytes: 1_000_000,
 *   topics: new Set(["order-events"]),
 * });
 * if (report.failed > 0) logger.warn("Relay batch partly failed", { ...report });
 * return response;
 * ```
 */
export const relayOutboxRecords = async (
  records: readonly DynamoDBRecord[],
  dependencies: RelayDependencies,
): Promise<RelayOutcome> => new RelayRun(records, dependencies).relay();

/** What a stream record is to the relay. */
type Classified =
  | { readonly kind: "skip" }
  | { readonly kind: "poison"; readonly error: Error }
  | { readonly kind: "message"; readonly item: OutboxMessage };

/** A message to publish, with the index of its stream record in the batch. */
interface Outgoing {
  readonly index: number;
  readonly item: OutboxMessage;
}

/**
 * One invocation's relay of one batch. It keeps the tallies the report needs and the first
 * failure, by position in the batch: the record Lambda retries from.
 */
class RelayRun {
  readonly #records: readonly DynamoDBRecord[];
  readonly #dependencies: RelayDependencies;
  readonly #now: () => Date;
  #firstFailure: number;
  #failure: RelayReport["failure"];
  #published = 0;
  #deadLettered = 0;

  constructor(records: readonly DynamoDBRecord[], dependencies: RelayDependencies) {
    this.#records = records;
    this.#dependencies = dependencies;
    this.#now = dependencies.now ?? (() => new Date());
    this.#firstFailure = records.length;
  }

  async relay(): Promise<RelayOutcome> {
    const { maxMessageBytes, topics } = this.#dependencies;
    const limits: OutboxMessageLimits = { maxMessageBytes, topics };
    const classified = this.#records.map((record) => classify(record, limits));
    const outgoing = await this.#parkPoison(classified);
    // A poison item that could not be parked is where Lambda retries from: publishing what
    // comes after it would send those messages again on every retry, ahead of the item.
    await this.#publishInOrder(outgoing.filter(({ index }) => index < this.#firstFailure));
    const backoffMs = await this.#backOff();
    return this.#outcome(classified, backoffMs);
  }

  /**
   * After a failure, waits as the backoff says before Lambda hears of it (and retries at
   * once); after a batch that went, resets the backoff. Returns the milliseconds waited.
   */
  async #backOff(): Promise<number | undefined> {
    const { backoff, remainingTimeMs } = this.#dependencies;
    if (backoff === undefined) return undefined;
    if (this.#firstFailure >= this.#records.length) {
      backoff.reset();
      return undefined;
    }
    return backoff.wait(remainingTimeMs?.() ?? Number.POSITIVE_INFINITY);
  }

  /** Keeps the earliest failure: Lambda retries from there, whatever failed later. */
  #failAt(index: number, error: unknown): void {
    if (index < this.#firstFailure) {
      this.#firstFailure = index;
      this.#failure = describeError(error);
    }
  }

  /**
   * Parks every poison item, all at once, and returns the messages to publish in stream
   * order. Poison items never reach Kafka, so parking them cannot reorder anything.
   */
  async #parkPoison(classified: readonly Classified[]): Promise<Outgoing[]> {
    const outgoing: Outgoing[] = [];
    const parking: Promise<boolean>[] = [];
    classified.forEach((entry, index) => {
      if (entry.kind === "message") outgoing.push({ index, item: entry.item });
      else if (entry.kind === "poison") parking.push(this.#park(index, entry.error));
    });
    await Promise.all(parking);
    return outgoing;
  }

  /** Parks a record's item with its reason; a failure to park is a failure at that record. */
  async #park(index: number, error: Error): Promise<boolean> {
    const record = this.#records[index];
    if (record === undefined) return false;
    try {
      await this.#dependencies.deadLetters.put({
        record,
        reason: error.message,
        errorClass: error.name,
        failedAt: this.#now(),
      });
      this.#deadLettered += 1;
      return true;
    } catch (putError) {
      this.#failAt(index, putError);
      return false;
    }
  }

  /** Publishes the messages in order, going on past each one the broker refuses for good. */
  async #publishInOrder(outgoing: readonly Outgoing[]): Promise<void> {
    let pending = outgoing;
    while (pending.length > 0) pending = await this.#publishRound(pending);
  }

  /**
   * Sends `pending` once. Returns what is still to send after a message the broker refused
   * for what it is, which is parked; nothing when all were published or the relay must stop.
   */
  async #publishRound(pending: readonly Outgoing[]): Promise<readonly Outgoing[]> {
    try {
      await this.#publish(pending);
      this.#published += pending.length;
      return [];
    } catch (error) {
      if (error instanceof MessageRefusedError && error.firstUnacknowledged < pending.length) {
        return this.#setAsideRefused(pending, error);
      }
      // A send that threw published something less than all, whatever its error claims: at
      // worst the last message is sent again, a duplicate rather than a loss.
      const claimed = isProduceError(error) ? error.firstUnacknowledged : 0;
      const acknowledged = Math.max(0, Math.min(claimed, pending.length - 1));
      this.#published += acknowledged;
      const culprit = pending[acknowledged];
      if (culprit !== undefined) this.#failAt(culprit.index, error);
      return [];
    }
  }

  /**
   * The producer found the message the broker refuses, alone, for what it is: parks it like
   * poison, so the rest of the batch, and every later one, still goes, and returns the
   * messages after it that were not acknowledged yet (others after it, in other partitions,
   * may have been, and must not be sent twice). A failed park stops the relay there.
   */
  async #setAsideRefused(
    pending: readonly Outgoing[],
    error: MessageRefusedError,
  ): Promise<readonly Outgoing[]> {
    const { acknowledgements, firstUnacknowledged: refusedAt } = error;
    this.#published += acknowledgements.filter((ack) => ack !== undefined).length;
    const refused = pending[refusedAt];
    if (refused === undefined || !(await this.#park(refused.index, error))) return [];
    return pending.filter(
      (_, position) => position > refusedAt && acknowledgements[position] === undefined,
    );
  }

  /** Sends the messages in one call, each in a PRODUCER span of its stored trace. */
  async #publish(items: readonly Outgoing[]): Promise<void> {
    if (!tracesExported()) {
      // No span would be recorded: the stored trace context travels on unchanged, and the
      // hot path skips parsing and re-writing it for every record.
      return this.#send(items, []);
    }
    return withProducerSpans(
      items.map(({ item }) => ({
        topic: item.topic,
        key: item.message_key,
        eventId: item.event_id,
        parent: contextFromHeaders(item.headers),
      })),
      (traceHeaders) => this.#send(items, traceHeaders),
    );
  }

  /** The messages as sent: the item's headers, then `produced_at`, then the span's context. */
  async #send(items: readonly Outgoing[], traceHeaders: readonly TraceHeaders[]): Promise<void> {
    const producedAt = this.#now().toISOString();
    await this.#dependencies.sender.send(
      items.map(({ item }, position) => ({
        topic: item.topic,
        key: item.message_key,
        value: item.value,
        headers: { ...item.headers, [HEADER.producedAt]: producedAt, ...traceHeaders[position] },
      })),
    );
  }

  /** Lambda's response (the first failed record, if any) and the batch's report. */
  #outcome(classified: readonly Classified[], backoffMs: number | undefined): RelayOutcome {
    const received = this.#records.length;
    const failed = this.#firstFailure < received ? received - this.#firstFailure : 0;
    const firstFailed = sequenceOf(this.#records[this.#firstFailure]);
    const report: RelayReport = {
      received,
      published: this.#published,
      skipped: classified.filter((entry) => entry.kind === "skip").length,
      deadLettered: this.#deadLettered,
      failed,
      traceIds: traceIdsOf(classified),
      ...(failed > 0 ? { firstFailedSequenceNumber: firstFailed, failure: this.#failure } : {}),
      ...(failed > 0 && backoffMs !== undefined ? { backoffMs } : {}),
    };
    return {
      response: { batchItemFailures: failed > 0 ? [{ itemIdentifier: firstFailed }] : [] },
      report,
    };
  }
}

const isOutboxInsert = (record: DynamoDBRecord): boolean =>
  record.eventName === "INSERT" &&
  (record.dynamodb?.Keys?.sk?.S?.startsWith(OUTBOX_SORT_KEY_PREFIX) ?? false);

/**
 * Reads the message straight from the stream image's attribute values (`readOutboxImage`).
 * An item that can never become a message is poison; anything else thrown fails the
 * invocation, and Lambda retries the whole batch.
 */
const classify = (record: DynamoDBRecord, limits: OutboxMessageLimits): Classified => {
  if (!isOutboxInsert(record)) return { kind: "skip" };
  try {
    const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
    return { kind: "message", item: readOutboxImage(image, limits) };
  } catch (error) {
    if (isPermanent(error)) return { kind: "poison", error };
    throw error;
  }
};

/** The traces the messages belong to, each once, in stream order. */
const traceIdsOf = (classified: readonly Classified[]): string[] => {
  const ids = new Set<string>();
  for (const entry of classified) {
    const id =
      entry.kind === "message" ? traceIdOf(entry.item.headers[HEADER.traceparent]) : undefined;
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
};

const sequenceOf = (record: DynamoDBRecord | undefined): string =>
  record?.dynamodb?.SequenceNumber ?? "";
