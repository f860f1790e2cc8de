/**
 * outbox-relay: the only path from the orders table to Kafka. Triggered by the table's
 * stream (outbox INSERTs), it publishes each outbox item with the idempotent producer and
 * reports the first unpublished record, so nothing is lost and one order's events keep
 * their order. See `docs/outbox-relay.md`.
 */
import { S3Client } from "@aws-sdk/client-s3";
import middy from "@middy/core";
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import * as z from "zod/mini";
import { parseEnvironment, wholeNumber } from "../../shared/config";
import { readKafkaSettings, sharedProducer } from "../../shared/kafka";
import {
  addBatchSize,
  addRecordsDeadLettered,
  addRecordsFailed,
  addRecordsProcessed,
  addRecordsSkipped,
  createLogger,
  createMetrics,
  flushTracesMiddleware,
  injectLambdaContext,
  logMetrics,
  setupTracing,
} from "../../shared/observability";
import {
  exponentialBackoff,
  KAFKA_TOPIC_NAME,
  RELAY_BACKOFF,
  relayOutboxRecords,
  s3OutboxDeadLetters,
} from "../../shared/outbox";

/** A comma-separated list of Kafka topic names, at least one. */
const topicList = z.pipe(
  z.pipe(
    z.string(),
    z.transform((list) =>
      list
        .split(",")
        .map((topic) => topic.trim())
        .filter((topic) => topic.length > 0),
    ),
  ),
  z
    .array(z.string().check(z.regex(KAFKA_TOPIC_NAME, "must be Kafka topic names")))
    .check(z.minLength(1, "must name at least one topic")),
);

const config = parseEnvironment(
  z.object({
    POWERTOOLS_SERVICE_NAME: z._default(z.string(), "outbox-relay"),
    DEAD_LETTER_BUCKET_NAME: z.string().check(z.minLength(1)),
    // The wiring's topics for this function (access.kafka.produceTo); an item naming another
    // is poison, instead of a send that fails until the stream drops the item.
    KAFKA_PRODUCE_TOPICS: topicList,
    // MSK's default message.max.bytes is 1 MiB; leave room for the record's framing.
    MAX_MESSAGE_BYTES: wholeNumber({ min: 1, fallback: 1_000_000 }),
    S3_FORCE_PATH_STYLE: z._default(z.stringbool(), false),
  }),
  process.env,
);
const kafkaSettings = readKafkaSettings(process.env);
const topics: ReadonlySet<string> = new Set(config.KAFKA_PRODUCE_TOPICS);

const logger = createLogger(config.POWERTOOLS_SERVICE_NAME);
const metrics = createMetrics(config.POWERTOOLS_SERVICE_NAME);
setupTracing({ serviceName: config.POWERTOOLS_SERVICE_NAME });

const deadLetters = s3OutboxDeadLetters({
  client: new S3Client({ forcePathStyle: config.S3_FORCE_PATH_STYLE }),
  bucket: config.DEAD_LETTER_BUCKET_NAME,
  functionName: config.POWERTOOLS_SERVICE_NAME,
});

// Module scope, so failed batches in a row, which Lambda retries at once, wait longer each.
const backoff = exponentialBackoff(RELAY_BACKOFF);

const relay = async (
  event: DynamoDBStreamEvent,
  context: Context,
): Promise<DynamoDBBatchResponse> => {
  const { response, report } = await relayOutboxRecords(event.Records, {
    sender: sharedProducer(kafkaSettings),
    deadLetters,
    maxMessageBytes: config.MAX_MESSAGE_BYTES,
    topics,
    backoff,
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
  });
  addBatchSize(metrics, report.received);
  addRecordsProcessed(metrics, report.published);
  addRecordsDeadLettered(metrics, report.deadLettered);
  addRecordsFailed(metrics, report.failed);
  addRecordsSkipped(metrics, report.skipped);
  // `trace_ids`, as the consumers' lines carry `trace_id`: `npm run logs -- --trace` finds it.
  const { traceIds, ...counts } = report;
  const keys = { ...counts, trace_ids: traceIds };
  if (report.failed > 0)
    logger.warn("Relay batch partly failed; Lambda retries from the first failure", keys);
  else logger.info("Relay batch published", keys);
  return response;
};

export const handler = middy(relay)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(flushTracesMiddleware());
