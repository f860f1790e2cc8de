/**
 * Structured JSON logs with Powertools Logger. The level comes from `POWERTOOLS_LOG_LEVEL`
 * (or Lambda's log-level control), as Powertools reads it; `injectLambdaContext` adds the
 * function name, request id and cold start to every line of an invocation. Per record, log
 * with {@link recordLogKeys}: where the record came from, its event and its trace.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { describeError } from "../errors";
import { HEADER } from "../kafka/headers";
import { headerText, type KafkaRecord } from "../kafka/kafka-record";
import { activeTraceId } from "./trace-context";

/**
 * Powertools' structured logger, re-exported so functions depend on this module only.
 *
 * @example
 * ```ts
 * const logger: Logger = createLogger("order-created");
 * ```
 */
export { Logger } from "@aws-lambda-powertools/logger";

/**
 * Powertools' middy middleware that adds the Lambda context to every log line.
 *
 * @example
 * ```ts
 * export const handler = middy(processBatch).use(injectLambdaContext(logger, { resetKeys: true }));
 * ```
 */
export { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";

/**
 * The keys that tie a log line to one Kafka record. A type, not an interface, so it fits
 * Powertools' `LogAttributes` index signature.
 *
 * @example
 * ```ts
 * const keys: RecordLogKeys = { topic: "order-events", partition: 2, offset: 41 };
 * ```
 */
export type RecordLogKeys = {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly event_id?: string;
  readonly trace_id?: string;
};

/**
 * The logger of a function, its `service` named after it.
 *
 * @example
 * ```ts
 * const logger = createLogger("order-created");
 * logger.info("Kafka batch consumed", { ...report });
 * ```
 */
export const createLogger = (serviceName: string): Logger => new Logger({ serviceName });

/**
 * The log keys of a record. `eventId` defaults to the record's `event_id` header (pass the
 * decoded event's id once known); `trace_id` is the active span's, so call it inside
 * `withRecordSpan`. Absent values are left out rather than logged as empty.
 *
 * @example
 * ```ts
 * // inside withRecordSpan, so trace_id is the record's trace
 * logger.info("event applied", recordLogKeys(record, event.event_id));
 * // or, for several lines about one record
 * const recordLogger = logger.createChild({ persistentKeys: recordLogKeys(record) });
 * ```
 */
export const recordLogKeys = (
  record: KafkaRecord,
  eventId: string | undefined = headerText(record, HEADER.eventId),
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

/** An error's keys on a log line (a type, not an interface, so it is a log attributes object). */
export type ErrorLogKeys = {
  readonly errorClass: string;
  readonly errorMessage: string;
};

/**
 * An error as log keys. Not `message`: Powertools reserves it for the line's own message and
 * drops a key of that name, so the error's text would be lost.
 *
 * @example
 * ```ts
 * logger.warn("Event could not be applied", { ...recordLogKeys(record), ...errorLogKeys(error) });
 * // {"message":"Event could not be applied","errorClass":"ReadModelUnavailableError","errorMessage":"..."}
 * ```
 */
export const errorLogKeys = (error: unknown): ErrorLogKeys => {
  const { errorClass, message } = describeError(error);
  return { errorClass, errorMessage: message };
};
