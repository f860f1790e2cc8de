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
export * from "./constants";
export * from "./errors";
export * from "./logger";
export * from "./metrics";
export * from "./spans";
export * from "./trace-context";
export * from "./tracing";
