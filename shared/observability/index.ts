/**
 * Observability for the functions: structured logs (Powertools Logger), W3C trace context and
 * OpenTelemetry spans across HTTP, the outbox and Kafka, and CloudWatch EMF metrics
 * (Powertools Metrics).
 *
 * @example
 * ```ts
 * const logger = createLogger("order-created");
 * const metrics = createMetrics("order-created");
 * setupTracing({ serviceName: "order-created" });
 *
 * export const handler = middy(processBatch)
 *   .use(injectLambdaContext(logger, { resetKeys: true }))
 *   .use(logMetrics(metrics))
 *   .use(flushTracesMiddleware());
 * ```
 */
export { DEFAULT_METRICS_NAMESPACE, METRIC } from "./constants";
export { TracingNotSetUpError } from "./errors";
export {
  createLogger,
  type ErrorLogKeys,
  errorLogKeys,
  injectLambdaContext,
  Logger,
  type RecordLogKeys,
  recordLogKeys,
} from "./logger";
export {
  addBatchSize,
  addProcessingLatency,
  addRecordsDeadLettered,
  addRecordsDuplicate,
  addRecordsFailed,
  addRecordsProcessed,
  addRecordsSkipped,
  createMetrics,
  logMetrics,
  Metrics,
} from "./metrics";
export {
  failActiveSpan,
  type OutgoingRecord,
  withProducerSpan,
  withProducerSpans,
  withRecordSpan,
  withRequestSpan,
} from "./spans";
export {
  activeTraceId,
  contextFromHeaders,
  contextFromKafkaRecord,
  type IncomingHeaders,
  type TraceHeaders,
  traceHeaders,
  traceIdOf,
} from "./trace-context";
export {
  currentTracer,
  flushTraces,
  flushTracesMiddleware,
  setupTracing,
  type TracingOptions,
  tracesExported,
} from "./tracing";
