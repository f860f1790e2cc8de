/**
 * Kafka consumers on Lambda: handlers that read each record against its contract, apply its
 * event with retries in the producer's trace, keep each key's records in order,
 * dead-letter poison, and answer Lambda with the records it must deliver again. See
 * docs/architecture.md, Guarantees and Dead-letter record.
 *
 * @example
 * ```ts
 * import { consumerFunctionEdges, eventConsumerHandler } from "../consumer";
 *
 * export const handler = eventConsumerHandler({
 *   ...consumerFunctionEdges("order-created"),
 *   contracts: orderEventContracts,
 *   router: createEventRouter<OrderEventContracts, EffectContext, EffectOutcome>()
 *     .on("OrderCreated", (event) => readModel.apply(event)),
 * });
 * ```
 */
export {
  type KafkaBatchItemFailure,
  type KafkaBatchResponse,
  kafkaBatchItemFailure,
  kafkaBatchResponse,
} from "./batch-item-failure";
export {
  CONSUMER_BOUND_VARIABLE,
  CONSUMER_METRIC,
  CONSUMER_MODES,
  DEFAULT_CONSUMER_SETTINGS,
} from "./constants";
export { type BatchConsumer, type BatchOutcome, consumeKafkaBatch } from "./consume-kafka-batch";
export {
  type ConsumerBounds,
  type ConsumerMappingMode,
  consumerBoundsEnvironment,
  consumerBoundsOf,
  KAFKA_CAPPED_RETRY_ATTEMPTS,
} from "./consumer-bounds";
export { type ConsumerFunctionEdges, consumerFunctionEdges } from "./consumer-function-edges";
export { type ConsumerSettings, readConsumerSettings } from "./consumer-settings";
export {
  type DeadLetterDelivery,
  type DeadLetterDeliveryOptions,
  deliverDeadLetters,
} from "./deliver-dead-letters";
export { BatchIncompleteError, DeadLetterSendTimeoutError } from "./errors";
export { type EventConsumerHandlerOptions, eventConsumerHandler } from "./event-consumer-handler";
export { type KafkaConsumerHandlerOptions, kafkaConsumerHandler } from "./kafka-consumer-handler";
export { ownedEventReader } from "./owned-event-reader";
export type { RetryPolicy } from "./retry-backoff";
export { isPastTransientBound, recordAgeMs } from "./transient-bound";
export type {
  ApplyEvent,
  BatchReport,
  ConsumerMode,
  EffectContext,
  EffectOutcome,
  RecordReader,
  RecordReading,
} from "./types";
export {
  type UnroutedConsumerHandlerOptions,
  unroutedConsumerHandler,
} from "./unrouted-consumer-handler";
export { unroutedRecordReader } from "./unrouted-record-reader";
