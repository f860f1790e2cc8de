/**
 * Metrics in CloudWatch embedded metric format with Powertools Metrics: one namespace for the
 * system (`POWERTOOLS_METRICS_NAMESPACE`, default "OrderEvents"), a `service` dimension per
 * function, and the metrics every consumer reports. Add counts once per batch rather than once
 * per record: each call adds a value to the EMF line. `logMetrics` publishes them at the end of
 * the invocation.
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
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { z } from "zod";
import { parseEnvironment } from "../config";
import { DEFAULT_METRICS_NAMESPACE, METRIC } from "./constants";

export { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
export { logMetrics } from "@aws-lambda-powertools/metrics/middleware";

const metricsEnvironment = z.object({
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).default(DEFAULT_METRICS_NAMESPACE),
});

export const createMetrics = (
  serviceName: string,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): Metrics =>
  new Metrics({
    namespace: parseEnvironment(metricsEnvironment, environment).POWERTOOLS_METRICS_NAMESPACE,
    serviceName,
  });

export const addRecordsProcessed = (metrics: Metrics, count: number): void => {
  metrics.addMetric(METRIC.recordsProcessed, MetricUnit.Count, count);
};

export const addRecordsFailed = (metrics: Metrics, count: number): void => {
  metrics.addMetric(METRIC.recordsFailed, MetricUnit.Count, count);
};

export const addRecordsDeadLettered = (metrics: Metrics, count: number): void => {
  metrics.addMetric(METRIC.recordsDeadLettered, MetricUnit.Count, count);
};

/** Records a function saw but was not meant to handle (e.g. another event type). */
export const addRecordsSkipped = (metrics: Metrics, count: number): void => {
  metrics.addMetric(METRIC.recordsSkipped, MetricUnit.Count, count);
};

/** Records whose event had already been applied (same `event_id`), so nothing changed. */
export const addRecordsDuplicate = (metrics: Metrics, count: number): void => {
  metrics.addMetric(METRIC.recordsDuplicate, MetricUnit.Count, count);
};

export const addBatchSize = (metrics: Metrics, size: number): void => {
  metrics.addMetric(METRIC.batchSize, MetricUnit.Count, size);
};

export const addProcessingLatency = (metrics: Metrics, milliseconds: number): void => {
  metrics.addMetric(METRIC.processingLatency, MetricUnit.Milliseconds, milliseconds);
};
