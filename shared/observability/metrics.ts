/**
 * Metrics in CloudWatch embedded metric format with Powertools Metrics: one namespace for the
 * system (`POWERTOOLS_METRICS_NAMESPACE`, default "OrderEvents"), a `service` dimension per
 * function, and the metrics every consumer reports. Add counts once per batch rather than once
 * per record: each call adds a value to the EMF line. `logMetrics` publishes them at the end of
 * the invocation.
 */
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import * as z from "zod/mini";
import { parseEnvironment } from "../config";
import { DEFAULT_METRICS_NAMESPACE, METRIC } from "./constants";

/**
 * Powertools' EMF metrics and units, re-exported so functions depend on this module only.
 *
 * @example
 * ```ts
 * metrics.addMetric(METRIC.recordsProcessed, MetricUnit.Count, 1);
 * ```
 */
export { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

/**
 * Powertools' middy middleware that publishes the invocation's metrics at its end.
 *
 * @example
 * ```ts
 * export const handler = middy(processBatch).use(logMetrics(metrics, { captureColdStartMetric: true }));
 * ```
 */
export { logMetrics } from "@aws-lambda-powertools/metrics/middleware";

const metricsEnvironment = z.object({
  POWERTOOLS_METRICS_NAMESPACE: z._default(
    z.string().check(z.minLength(1)),
    DEFAULT_METRICS_NAMESPACE,
  ),
});

/**
 * The metrics of a function: its `service` dimension named after it, in the namespace of
 * `POWERTOOLS_METRICS_NAMESPACE` (default "OrderEvents").
 *
 * @example
 * ```ts
 * const metrics = createMetrics("order-created");
 *
 * export const handler = middy(async (event) => {
 *   addBatchSize(metrics, records.length);
 *   // ... process ...
 *   addRecordsProcessed(metrics, processed);
 *   addRecordsDeadLettered(metrics, deadLettered);
 * }).use(logMetrics(metrics, { captureColdStartMetric: true }));
 * ```
 */
export const createMetrics = (
  serviceName: string,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): Metrics =>
  new Metrics({
    namespace: parseEnvironment(metricsEnvironment, environment).POWERTOOLS_METRICS_NAMESPACE,
    serviceName,
  });

/**
 * Counts records whose event was applied.
 *
 * @example
 * ```ts
 * addRecordsProcessed(metrics, report.applied);
 * ```
 */
export const addRecordsProcessed = (metrics: Metrics, count: number): void => {
  metrics.addMetric(METRIC.recordsProcessed, MetricUnit.Count, count);
};

/**
 * Counts records left for Lambda to deliver again.
 *
 * @example
 * ```ts
 * addRecordsFailed(metrics, report.failed);
 * ```
 */
export const addRecordsFailed = (metrics: Metrics, count: number): void => {
  metrics.addMetric(METRIC.recordsFailed, MetricUnit.Count, count);
};

/**
 * Counts records sent to the dead-letter topic.
 *
 * @example
 * ```ts
 * addRecordsDeadLettered(metrics, report.deadLettered);
 * ```
 */
export const addRecordsDeadLettered = (metrics: Metrics, count: number): void => {
  metrics.addMetric(METRIC.recordsDeadLettered, MetricUnit.Count, count);
};

/**
 * Counts records a function saw but was not meant to handle (e.g. another event type).
 *
 * @example
 * ```ts
 * addRecordsSkipped(metrics, report.skipped);
 * ```
 */
export const addRecordsSkipped = (metrics: Metrics, count: number): void => {
  metrics.addMetric(METRIC.recordsSkipped, MetricUnit.Count, count);
};

/**
 * Counts records whose event had already been applied (same `event_id`), so nothing changed.
 *
 * @example
 * ```ts
 * addRecordsDuplicate(metrics, report.duplicates);
 * ```
 */
export const addRecordsDuplicate = (metrics: Metrics, count: number): void => {
  metrics.addMetric(METRIC.recordsDuplicate, MetricUnit.Count, count);
};

/**
 * Records the size of one batch.
 *
 * @example
 * ```ts
 * addBatchSize(metrics, records.length);
 * ```
 */
export const addBatchSize = (metrics: Metrics, size: number): void => {
  metrics.addMetric(METRIC.batchSize, MetricUnit.Count, size);
};

/**
 * Records how long one batch took.
 *
 * @example
 * ```ts
 * addProcessingLatency(metrics, report.durationMs);
 * ```
 */
export const addProcessingLatency = (metrics: Metrics, milliseconds: number): void => {
  metrics.addMetric(METRIC.processingLatency, MetricUnit.Milliseconds, milliseconds);
};
