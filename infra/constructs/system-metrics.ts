/**
 * The CloudWatch metrics the alarms and the dashboard watch, in one place:
 *
 * - per function: `Errors`, `Throttles` (AWS/Lambda);
 * - per Kafka mapping: `OffsetLag` (AWS/Lambda, by function: one mapping per function), the
 *   records behind the newest offset;
 * - per stream mapping: `IteratorAge` (AWS/Lambda), how old the oldest unprocessed record is,
 *   and `DestinationDeliveryFailures` (a failed batch could not be written to S3);
 * - per mapping with an on-failure destination: `OnFailureDestinationDeliveredEventCount`
 *   (AWS/Lambda, by `EventSourceMappingUUID`, emitted when the mapping's `EventCount` metrics
 *   are on): records that exhausted their retries;
 * - per dead-lettering function: `RecordsDeadLettered` (the functions' own metric, namespace
 *   `OrderEvents`, dimension `service`), poison records parked in `<topic>.dlq`.
 *
 * @example
 * ```ts
 * offsetLag(fn.function); deadLettered("order-created");
 * ```
 */
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { DEFAULT_METRICS_NAMESPACE, METRIC } from "../../shared/observability/constants";

const ONE_MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

export const offsetLag = (fn: lambda.IFunction): cloudwatch.Metric =>
  fn.metric("OffsetLag", { statistic: cloudwatch.Stats.MAXIMUM, period: ONE_MINUTE });

export const iteratorAge = (fn: lambda.IFunction): cloudwatch.Metric =>
  fn.metric("IteratorAge", { statistic: cloudwatch.Stats.MAXIMUM, period: ONE_MINUTE });

export const destinationDeliveryFailures = (fn: lambda.IFunction): cloudwatch.Metric =>
  fn.metric("DestinationDeliveryFailures", {
    statistic: cloudwatch.Stats.SUM,
    period: FIVE_MINUTES,
  });

export const errors = (fn: lambda.IFunction): cloudwatch.Metric =>
  fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES });

export const throttles = (fn: lambda.IFunction): cloudwatch.Metric =>
  fn.metricThrottles({ statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES });

export const onFailureDeliveries = (eventSourceMappingId: string): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: "AWS/Lambda",
    metricName: "OnFailureDestinationDeliveredEventCount",
    dimensionsMap: { EventSourceMappingUUID: eventSourceMappingId },
    statistic: cloudwatch.Stats.SUM,
    period: FIVE_MINUTES,
  });

/** `serviceName` is the function's `POWERTOOLS_SERVICE_NAME`, its declared name. */
export const deadLettered = (serviceName: string): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: DEFAULT_METRICS_NAMESPACE,
    metricName: METRIC.recordsDeadLettered,
    dimensionsMap: { service: serviceName },
    statistic: cloudwatch.Stats.SUM,
    period: FIVE_MINUTES,
  });
