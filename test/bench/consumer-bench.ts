/**
 * Consumer throughput, beside the cost of decoding the same batch. One MSK event of 10,000
 * OrderCreated records (6 partitions, 500 keys, the headers the relay sets) goes through the
 * real middy handler of `eventConsumerHandler` with a no-op effect: event validation, base64,
 * header and UTF-8 decoding, JSON parse, contract validation, key grouping, bounded
 * concurrency, each record in its trace context (no OTLP endpoint: no span recorded),
 * routing, metrics. The floor kept is 50,000 records/s: a record's real effect (a DynamoDB
 * transaction) takes milliseconds, so the consumer's own work per record only has to stay
 * far below that. The bare decode (base64 and JSON.parse of each value) and the validated
 * decode (plus the zod contract, `readEvent`) are printed for comparison. No broker and no
 * table: the effect is a no-op.
 */
import type { Context } from "aws-lambda";
import {
  type EffectContext,
  type EffectOutcome,
  eventConsumerHandler,
  readConsumerSettings,
} from "../../shared/consumer";
import { createEvent, readEvent } from "../../shared/events";
import {
  eventHeaders,
  type LambdaKafkaEvent,
  type LambdaKafkaRecord,
  type MessageSender,
} from "../../shared/kafka";
import { createLogger, createMetrics, setupTracing } from "../../shared/observability";
import { type OrderEventContracts, orderEventContracts } from "../../shared/orders/order-events";
import { createEventRouter } from "../../shared/router";
import { lambdaContext } from "../support/lambda-context";

export interface ConsumerBenchResult {
  readonly consumer_batch_records: number;
  readonly consumer_records_per_s: number;
  readonly bare_decode_records_per_s: number;
  /** The median of each round's consumer / bare decode, both timed in that round; for comparison only. */
  readonly consumer_ratio: number;
  readonly consumer_ratio_range: readonly [number, number];
  /**
   * The bare decode plus validating each event against its zod contract (`readEvent`): what
   * any consumer that validates must spend before its own work.
   */
  readonly validated_decode_records_per_s: number;
}

const PARTITIONS = 6;
const KEYS = 500;

const mskBatch = (count: number): LambdaKafkaEvent => {
  const records: Record<string, LambdaKafkaRecord[]> = {};
  for (let n = 0; n < count; n += 1) {
    const orderId = `bench-order-${n % KEYS}`;
    const event = createEvent(orderEventContracts.OrderCreated, {
      aggregateId: orderId,
      aggregateVersion: 1 + Math.floor(n / KEYS),
      data: {
        customer_id: `cus-${n % 97}`,
        items: [
          { sku: "SKU-1", quantity: 2, unit_price: "10.25" },
          { sku: "SKU-2", quantity: 1, unit_price: "4.50" },
        ],
        total: "25.00",
        currency: "EUR",
      },
    });
    const headers = eventHeaders(event, {
      source: "orders-api",
      traceparent: `00-${"1".repeat(32)}-${"2".repeat(16)}-01`,
    });
    const partition = n % PARTITIONS;
    const batch = records[`order-events-${partition}`] ?? [];
    records[`order-events-${partition}`] = batch;
    batch.push({
      topic: "order-events",
      partition,
      offset: batch.length,
      timestamp: Date.now(),
      timestampType: "CREATE_TIME",
      key: Buffer.from(orderId).toString("base64"),
      value: Buffer.from(JSON.stringify(event)).toString("base64"),
      headers: Object.entries(headers).map(([name, value]) => ({
        [name]: [...Buffer.from(value)],
      })),
    });
  }
  return { eventSource: "aws:kafka", records };
};

const noDeadLetters: MessageSender = {
  send: async () => {
    throw new Error("the bench has no poison records");
  },
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

export const benchConsumer = async (options: {
  readonly records: number;
  readonly rounds: number;
}): Promise<ConsumerBenchResult> => {
  // Quiet and local: no EMF lines, no info logs, spans made but not exported (no OTLP endpoint).
  process.env.POWERTOOLS_METRICS_DISABLED = "true";
  process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
  setupTracing({ serviceName: "bench" });
  const handler = eventConsumerHandler({
    functionName: "order-created",
    contracts: orderEventContracts,
    router: createEventRouter<OrderEventContracts, EffectContext, EffectOutcome>().on(
      "OrderCreated",
      async () => "applied",
    ),
    settings: readConsumerSettings({
      CONSUMER_MODE: "provisioned",
      DEAD_LETTER_TOPIC: "order-events.dlq",
    }),
    deadLetters: noDeadLetters,
    logger: createLogger("order-created"),
    metrics: createMetrics("order-created"),
  });
  // As the Lambda runtime hands it over: parsed from JSON, so every array is one JSON.parse made.
  const event = JSON.parse(JSON.stringify(mskBatch(options.records))) as LambdaKafkaEvent;
  const values = Object.values(event.records).flatMap((records) =>
    records.map((record) => record.value ?? ""),
  );
  const context = (): Context => lambdaContext("order-created", 900_000);

  const timeConsumer = async () => {
    const started = performance.now();
    const response = await handler(event, context());
    const elapsed = performance.now() - started;
    if ((response as { batchItemFailures: unknown[] }).batchItemFailures.length > 0) {
      throw new Error("the consumer failed records during the bench");
    }
    return options.records / (elapsed / 1000);
  };
  const timeValidatedDecode = () => {
    const started = performance.now();
    let read = 0;
    for (const value of values) {
      const event = readEvent(
        orderEventContracts,
        JSON.parse(Buffer.from(value, "base64").toString("utf8")),
      );
      if (event.event_type === "OrderCreated") read += 1;
    }
    const elapsed = performance.now() - started;
    if (read !== options.records) throw new Error("the validated decode lost records");
    return options.records / (elapsed / 1000);
  };
  const timeBareDecode = () => {
    const started = performance.now();
    let parsed = 0;
    for (const value of values) {
      if (JSON.parse(Buffer.from(value, "base64").toString("utf8")) !== null) parsed += 1;
    }
    const elapsed = performance.now() - started;
    if (parsed !== options.records) throw new Error("the bare decode lost records");
    return options.records / (elapsed / 1000);
  };

  // Warm both paths (JIT) before measuring; then alternate rounds.
  for (let warm = 0; warm < 3; warm += 1) {
    await timeConsumer();
    timeBareDecode();
    timeValidatedDecode();
  }
  // The ratio is taken round by round, as the relay's is: a machine whose speed drifts
  // between rounds moves both sides of a round alike, not the medians of separate runs.
  const consumerRuns: number[] = [];
  const bareRuns: number[] = [];
  const validatedRuns: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    const bare = timeBareDecode();
    validatedRuns.push(timeValidatedDecode());
    const consumer = await timeConsumer();
    bareRuns.push(bare);
    consumerRuns.push(consumer);
    ratios.push(consumer / bare);
  }
  return {
    consumer_batch_records: options.records,
    consumer_records_per_s: Math.round(median(consumerRuns)),
    bare_decode_records_per_s: Math.round(median(bareRuns)),
    validated_decode_records_per_s: Math.round(median(validatedRuns)),
    consumer_ratio: Number(median(ratios).toFixed(3)),
    consumer_ratio_range: [
      Number(Math.min(...ratios).toFixed(3)),
      Number(Math.max(...ratios).toFixed(3)),
    ],
  };
};
