/**
 * The transactional outbox: the item written with each state change, the relay that
 * publishes it from the table's stream to Kafka, and the S3 place where the items that can
 * never be published are parked. How it works: `docs/outbox-relay.md`; the item's fields:
 * `docs/architecture.md`, "Outbox item".
 *
 * @example
 * ```ts
 * const { response, report } = await relayOutboxRecords(event.Records, {
 *   sender: sharedProducer(kafkaSettings),
 *   deadLetters: s3OutboxDeadLetters({ client: new S3Client({}), bucket, functionName }),
 *   maxMessageBytes: 1_000_000,
 *   topics: new Set(["order-events"]),
 * });
 * ```
 */
export {
  type FirstFailure,
  type OutboxDeadLetters,
  POISON_PREFIX,
  type PoisonOutboxItem,
  poisonObjectKey,
  s3OutboxDeadLetters,
} from "./outbox-dead-letters";
export {
  OUTBOX_SORT_KEY_PREFIX,
  type OutboxEvent,
  type OutboxItem,
  outboxSortKey,
  toOutboxItem,
} from "./outbox-item";
export {
  type RelayDependencies,
  type RelayOutcome,
  type RelayReport,
  relayOutboxRecords,
} from "./outbox-relay";
export {
  KAFKA_TOPIC_NAME,
  type OutboxMessage,
  type OutboxMessageLimits,
  outboxImageSchema,
  PoisonOutboxItemError,
  readOutboxImage,
} from "./read-outbox-item";
export {
  type BackoffSettings,
  exponentialBackoff,
  RELAY_BACKOFF,
  type RetryBackoff,
} from "./relay-backoff";
