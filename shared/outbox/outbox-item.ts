/**
 * The transactional outbox item (`docs/architecture.md`, "Outbox item"): written in the same
 * DynamoDB transaction as the state it describes, it carries everything the relay needs to
 * publish without reading anything else: topic, key, the serialized event, headers (with
 * `traceparent`), aggregate id and version, created time, and a TTL so published items
 * expire. Its sort key orders one aggregate's items by version.
 *
 * @example
 * ```ts
 * const item = toOutboxItem(event, { topic: "order-events", partitionKey: "ORDER#o-1",
 *   headers, now: new Date(), ttlSeconds: 7 * 86400 });
 * ```
 */
import type { TextHeaders } from "../kafka/headers";

/** Every outbox item's sort key starts with this; the relay's stream filter matches it. */
export const OUTBOX_SORT_KEY_PREFIX = "OUTBOX#";

/**
 * Sort key of the outbox item of one aggregate version, zero-padded so keys sort by version.
 *
 * @example
 * ```ts
 * outboxSortKey(7); // "OUTBOX#0000000007"
 * ```
 */
export const outboxSortKey = (aggregateVersion: number): string =>
  `${OUTBOX_SORT_KEY_PREFIX}${String(aggregateVersion).padStart(10, "0")}`;

/** An outbox item as stored in the orders table, next to the state it describes. */
export interface OutboxItem {
  readonly pk: string;
  readonly sk: string;
  readonly item_type: "OUTBOX";
  /** The Kafka topic the relay publishes the event to. */
  readonly topic: string;
  /** The Kafka message key: the aggregate id, so one aggregate's events share a partition. */
  readonly message_key: string;
  /** The serialized event, exactly the bytes to publish (UTF-8 JSON). */
  readonly value: string;
  /** The message's headers (`event_type`, `traceparent`, ...), published as they are. */
  readonly headers: TextHeaders;
  readonly event_id: string;
  readonly event_type: string;
  readonly aggregate_id: string;
  readonly aggregate_version: number;
  /** ISO-8601 UTC. */
  readonly created_at: string;
  /** Epoch seconds; DynamoDB's TTL removes the item after it. */
  readonly expires_at: number;
}

/** What the outbox item needs of the event it carries; the whole event is its value. */
export interface OutboxEvent {
  readonly event_id: string;
  readonly event_type: string;
  readonly aggregate_id: string;
  readonly aggregate_version: number;
}

/**
 * The outbox item that publishes `event`, written in the same transaction as the state change.
 *
 * @example
 * ```ts
 * const item = toOutboxItem(event, { topic: "order-events", partitionKey: "ORDER#o-1",
 *   headers, now: new Date(), ttlSeconds: 7 * 86400 });
 * item.sk; // "OUTBOX#0000000001"
 * ```
 */
export const toOutboxItem = (
  event: OutboxEvent,
  options: {
    readonly topic: string;
    readonly partitionKey: string;
    readonly headers: TextHeaders;
    readonly now: Date;
    readonly ttlSeconds: number;
  },
): OutboxItem => ({
  pk: options.partitionKey,
  sk: outboxSortKey(event.aggregate_version),
  item_type: "OUTBOX",
  topic: options.topic,
  message_key: event.aggregate_id,
  value: JSON.stringify(event),
  headers: options.headers,
  event_id: event.event_id,
  event_type: event.event_type,
  aggregate_id: event.aggregate_id,
  aggregate_version: event.aggregate_version,
  created_at: options.now.toISOString(),
  expires_at: Math.floor(options.now.getTime() / 1000) + options.ttlSeconds,
});
