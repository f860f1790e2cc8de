/**
 * The Lambda handler of a Kafka consumer, as a middy handler: takes the records out of the
 * MSK event (every topic-partition), runs the batch through `consumeKafkaBatch`, records the
 * batch's metrics and answers Lambda the way its mapping mode expects. In provisioned mode
 * that is the partial batch response; in on-demand mode Lambda ignores that response, so
 * records that are not done make the invocation fail and the whole batch comes again. Logger
 * context, metrics publication and span flushing are middlewares.
 */
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { toKafkaRecords } from "../kafka/decode-kafka-event";
import type { LambdaKafkaEvent } from "../kafka/lambda-kafka-event";
import { injectLambdaContext } from "../observability/logger";
import {
  addBatchSize,
  addProcessingLatency,
  addRecordsDeadLettered,
  addRecordsDuplicate,
  addRecordsFailed,
  addRecordsProcessed,
  addRecordsSkipped,
  logMetrics,
  type Metrics,
  MetricUnit,
} from "../observability/metrics";
import { flushTracesMiddleware } from "../observability/tracing";
import type { KafkaBatchResponse } from "./batch-item-failure";
import { CONSUMER_METRIC } from "./constants";
import { type BatchConsumer, consumeKafkaBatch } from "./consume-kafka-batch";
import { BatchIncompleteError } from "./errors";
import type { BatchReport } from "./types";

/**
 * The options of {@link kafkaConsumerHandler}: the batch consumer, and the metrics its
 * batches are counted in.
 *
 * @example
 * ```ts
 * const options: KafkaConsumerHandlerOptions<OrderEvent> = { ...consumerFunctionEdges("order-created"), read, apply };
 * ```
 */
export interface KafkaConsumerHandlerOptions<E> extends BatchConsumer<E> {
  readonly metrics: Metrics;
}

const addBatchMetrics = (metrics: Metrics, report: BatchReport): void => {
  addBatchSize(metrics, report.received);
  addRecordsProcessed(metrics, report.applied);
  addRecordsDuplicate(metrics, report.duplicates);
  addRecordsSkipped(metrics, report.skipped);
  addRecordsDeadLettered(metrics, report.deadLettered);
  metrics.addMetric(
    CONSUMER_METRIC.recordsTransientExhausted,
    MetricUnit.Count,
    report.transientExhausted,
  );
  metrics.addMetric(
    CONSUMER_METRIC.deadLettersReduced,
    MetricUnit.Count,
    report.deadLettersReduced,
  );
  addRecordsFailed(metrics, report.failed);
  addProcessingLatency(metrics, report.durationMs);
};

/**
 * The Lambda handler of a consumer that reads records with `read` and applies their events
 * with `apply`. Rejects an invocation that is not a Kafka event, or whose headers are not
 * Lambda's shape.
 *
 * @example
 * ```ts
 * export const handler = kafkaConsumerHandler({
 *   functionName, read, apply, settings, deadLetters: sharedProducer(kafkaSettings), logger, metrics,
 * });
 * ```
 */
export const kafkaConsumerHandler = <E>(options: KafkaConsumerHandlerOptions<E>) => {
  const { logger, metrics, settings } = options;
  const consume = async (
    event: LambdaKafkaEvent,
    context: Context,
  ): Promise<KafkaBatchResponse> => {
    const records = toKafkaRecords(event);
    const { response, report } = await consumeKafkaBatch(
      records,
      () => context.getRemainingTimeInMillis(),
      options,
    );
    addBatchMetrics(metrics, report);
    if (report.failed === 0) {
      logger.info("Kafka batch consumed", { ...report });
      return response;
    }
    logger.warn("Kafka batch partly not done; Lambda delivers those records again", {
      ...report,
      mode: settings.mode,
    });
    if (settings.mode === "on-demand") throw new BatchIncompleteError(report);
    return response;
  };
  return middy(consume)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(flushTracesMiddleware());
};
