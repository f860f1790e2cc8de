/**
 * Names shared by the observability utilities: OpenTelemetry messaging attributes for Kafka
 * spans, and the CloudWatch metric names every function emits.
 *
 * The messaging attributes are copied rather than imported because they live in
 * `@opentelemetry/semantic-conventions/incubating`, which may break in minor releases; the
 * OpenTelemetry docs recommend copying incubating names. Where the conventions renamed an
 * attribute (`messaging.system` -> `messaging.system.name`, `messaging.kafka.offset` ->
 * `kafka.offset`, `messaging.kafka.message.key` -> `kafka.message.key`), spans carry both
 * names, so backends on either side of the rename find them.
 */

/**
 * The OpenTelemetry messaging attribute names the Kafka spans carry.
 *
 * @example
 * ```ts
 * span.setAttribute(MESSAGING_ATTRIBUTE.destinationName, record.topic);
 * ```
 */
export const MESSAGING_ATTRIBUTE = {
  system: "messaging.system",
  systemName: "messaging.system.name",
  destinationName: "messaging.destination.name",
  destinationPartitionId: "messaging.destination.partition.id",
  messageId: "messaging.message.id",
  operationName: "messaging.operation.name",
  operationType: "messaging.operation.type",
  kafkaMessageKey: "messaging.kafka.message.key",
  kafkaMessageKeyCurrent: "kafka.message.key",
  kafkaOffset: "messaging.kafka.offset",
  kafkaOffsetCurrent: "kafka.offset",
} as const;

/**
 * The `messaging.system` of every Kafka span.
 *
 * @example
 * ```ts
 * span.setAttribute(MESSAGING_ATTRIBUTE.system, MESSAGING_SYSTEM_KAFKA);
 * ```
 */
export const MESSAGING_SYSTEM_KAFKA = "kafka";

/**
 * The `messaging.operation.type` of consumer and producer spans.
 *
 * @example
 * ```ts
 * span.setAttribute(MESSAGING_ATTRIBUTE.operationType, MESSAGING_OPERATION_TYPE.process);
 * ```
 */
export const MESSAGING_OPERATION_TYPE = {
  process: "process",
  send: "send",
} as const;

/**
 * The CloudWatch metric names every function emits.
 *
 * @example
 * ```ts
 * metrics.addMetric(METRIC.recordsProcessed, MetricUnit.Count, 1);
 * ```
 */
export const METRIC = {
  recordsProcessed: "RecordsProcessed",
  recordsFailed: "RecordsFailed",
  recordsDeadLettered: "RecordsDeadLettered",
  recordsSkipped: "RecordsSkipped",
  /** Records whose event was applied before (same `event_id`): redelivery or a relay duplicate. */
  recordsDuplicate: "RecordsDuplicate",
  batchSize: "BatchSize",
  processingLatency: "ProcessingLatency",
} as const;

/**
 * The metrics namespace when `POWERTOOLS_METRICS_NAMESPACE` is not set.
 *
 * @example
 * ```ts
 * createMetrics("order-created", {}); // namespace "OrderEvents"
 * ```
 */
export const DEFAULT_METRICS_NAMESPACE = "OrderEvents";
