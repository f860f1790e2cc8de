/**
 * Follows topics from their start with a consumer group of its own (never committing, deleted
 * on stop) and keeps each record's metadata in memory, indexed by key, so the console can
 * show an order's events without reading a topic per page view. Bounded: beyond `maxRecords`
 * the oldest are forgotten.
 *
 * @example
 * ```ts
 * const tail = new TopicTail(kafka, ["order-events"]);
 * await tail.start();
 * tail.byKey("order-events", orderId); // [{ partition: 2, offset: 7, headers: {...}, ... }]
 * await tail.stop();
 * ```
 */
import { randomUUID } from "node:crypto";
import type { Consumer, IHeaders, Kafka, KafkaMessage } from "kafkajs";
import { traceIdOf } from "../../../shared/observability/trace-context";
import { isJsonObject } from "../runtime/is-json-object";

/** One record as the console shows it. */
export interface TailedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: Date;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly eventType: string | undefined;
  readonly eventId: string | undefined;
  /** The trace id of its `traceparent` header, when it has one. */
  readonly traceId: string | undefined;
}

const headerText = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [
      name,
      (Array.isArray(value) ? value : [value]).map((each) => each?.toString() ?? "").join(", "),
    ]),
  );

const eventFields = (value: Buffer | null): { eventType?: string; eventId?: string } => {
  try {
    const parsed: unknown = JSON.parse(value?.toString("utf8") ?? "");
    if (!isJsonObject(parsed)) return {};
    return {
      ...(typeof parsed.event_type === "string" ? { eventType: parsed.event_type } : {}),
      ...(typeof parsed.event_id === "string" ? { eventId: parsed.event_id } : {}),
    };
  } catch {
    return {};
  }
};

const toTailed = (topic: string, partition: number, message: KafkaMessage): TailedRecord => {
  const headers = headerText(message.headers);
  const fields = eventFields(message.value);
  return {
    topic,
    partition,
    offset: Number(message.offset),
    timestamp: new Date(Number(message.timestamp)),
    key: message.key?.toString("utf8") ?? null,
    headers,
    eventType: fields.eventType,
    eventId: fields.eventId,
    traceId: traceIdOf(headers.traceparent),
  };
};

/** The followed topics' records, by topic and key. */
export class TopicTail {
  /** By `topic:partition:offset`, in the order first read. */
  readonly #records = new Map<string, TailedRecord>();
  /** Its consumer group: its own, committing nothing. */
  readonly groupId = `console-${randomUUID()}`;
  #consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: readonly string[],
    private readonly maxRecords = 100_000,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 250 });
    this.#consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        // The group commits nothing, so a rebalance hands back partitions from their start:
        // a record read again takes its own place, it is not a second one.
        this.#records.set(
          `${topic}:${partition}:${message.offset}`,
          toTailed(topic, partition, message),
        );
        const oldest = this.#records.keys().next();
        if (this.#records.size > this.maxRecords && oldest.done !== true) {
          this.#records.delete(oldest.value);
        }
      },
    });
  }

  /** The records of `topic` with this key, oldest first. */
  byKey(topic: string, key: string): TailedRecord[] {
    return [...this.#records.values()].filter(
      (record) => record.topic === topic && record.key === key,
    );
  }

  /** How many records of `topic` it has seen. */
  countOf(topic: string): number {
    let count = 0;
    for (const record of this.#records.values()) if (record.topic === topic) count += 1;
    return count;
  }

  async stop(): Promise<void> {
    await this.#consumer?.disconnect();
    const admin = this.kafka.admin();
    await admin.connect();
    // A group left behind only costs the broker a little memory until it expires.
    await admin.deleteGroups([this.groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
