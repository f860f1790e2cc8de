/**
 * Kafka for the functions: records as Lambda delivers them (`toKafkaRecords`) and read as
 * typed events (`decodeKafkaEvent`), header names and event headers, and the idempotent
 * producer the relay and the consumers' dead letters send with. See docs/architecture.md,
 * Kafka headers and Lambda event sources.
 *
 * @example
 * ```ts
 * import { headerText, readKafkaSettings, sharedProducer, toKafkaRecords } from "../kafka";
 *
 * const producer = sharedProducer(readKafkaSettings(process.env));
 * const records = toKafkaRecords(event);
 * headerText(records[0], "traceparent");
 * ```
 */
export {
  type DecodedRecord,
  decodeKafkaEvent,
  decodeRecordValue,
  type ParsedRecordValue,
  parseRecordValue,
  toKafkaRecord,
  toKafkaRecords,
} from "./decode-kafka-event";
export {
  isProduceError,
  type ProduceError,
  type ProduceFailure,
  ProducePermanentError,
  ProduceTimeoutError,
  ProduceTransientError,
} from "./errors";
export { type PublishableEvent, publishEvents } from "./event-messages";
export {
  type EventHeaderInput,
  eventHeaders,
  HEADER,
  type HeaderContext,
  JSON_CONTENT_TYPE,
  setHeader,
  type TextHeaders,
} from "./headers";
export { type KafkaClientOptions, kafkaClientConfig } from "./kafka-client-config";
export { KafkaProducer, type KafkaProducerOptions } from "./kafka-producer";
export {
  headerText,
  type KafkaRecord,
  type KafkaRecordHeader,
  type KafkaRecordOrigin,
  kafkaRecordOfMessage,
  topicPartition,
} from "./kafka-record";
export { type KafkaAuth, type KafkaSettings, readKafkaSettings } from "./kafka-settings";
export {
  type LambdaKafkaEvent,
  type LambdaKafkaRecord,
  lambdaKafkaEventSchema,
  MalformedHeadersError,
} from "./lambda-kafka-event";
export {
  type MessageSender,
  maxUtf8Bytes,
  type OutgoingHeaders,
  type OutgoingMessage,
  type SendReport,
  toKafkaHeaders,
} from "./outgoing-message";
export { RecordDecodeError, type RecordDecodeFailure } from "./record-decode-error";
export { disconnectSharedProducers, SharedProducer, sharedProducer } from "./shared-producer";
