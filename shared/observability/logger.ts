/**
 * Structured JSON logs with Powertools Logger. The level comes from `POWERTOOLS_LOG_LEVEL`
 * (or Lambda's log-level control), as Powertools reads it; `injectLambdaContext` adds the
 * function name, request id and cold start to every line of an invocation. Per record, log
 * with {@link recordLogKeys}: where the record came from, its event and its trace.
 *
 * @example
 * ```ts
 * const logger = createLogger("order-created");
 *
 * export const handler = middy(processBatch).use(injectLambdaContext(logger, { resetKeys: true }));
 *
 * // inside withRecordSpan, so trace_id is the record's trace
 * logger.info("event applied", recordLogKeys(record, event.event_id));
 * // or, for several lines about one record
 * const recordLogger = logger.createChild({ persistentKeys: recordLogKeys(record) });
 * ```
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { HEADER } from "../kafka/headers";
import { describingHeaderText, type KafkaRecord } from "../kafka/kafka-record";
import { activeTraceId } from "./trace-context";

export { Logger } from "@aws-lambda-powertools/logger";
export { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";

/**
 * The keys that tie a log line to one Kafka record. A type, not an interface, so it fits
 * Powertools' `LogAttributes` index signature.
 */
export type RecordLogKeys = {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly event_id?: string;
  readonly trace_id?: string;
};

export const createLogger = (serviceName: string): Logger => new Logger({ serviceName });

/**
 * The log keys of a record. `eventId` defaults to the record's `event_id` header (pass the
 * decoded event's id once known); `trace_id` is the active span's, so call it inside
 * `withRecordSpan`. Absent values are left out rather than logged as empty.
 */
export const recordLogKeys = (
  record: KafkaRecord,
  eventId: string | undefined = describingHeaderText(record, HEADER.eventId),
): RecordLogKeys => {
  const traceId = activeTraceId();
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    ...(eventId === undefined ? {} : { event_id: eventId }),
    ...(traceId === undefined ? {} : { trace_id: traceId }),
  };
};
