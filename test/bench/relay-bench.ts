/**
 * Relay throughput beside raw kafkajs `sendBatch` for the same messages on the same broker.
 * Both send stream-sized batches (the relay's declared batch size) with an idempotent,
 * acks=all producer, interleaved batch by batch. The relay also reads each stream image,
 * validates the message it carries, stamps `produced_at` and goes through `KafkaProducer`
 * (request chunking, sticky partitions, per-message acknowledgements). No OTLP endpoint is
 * set, as in a default deployment: the stored trace context passes through unchanged.
 */
import type { DynamoDBRecord } from "aws-lambda";
import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import { createTopics } from "../../infra/local/kafka-topics";
import { systemWiring } from "../../infra/wiring/system-wiring";
import { eventHeaders, KafkaProducer, readKafkaSettings, toKafkaHeaders } from "../../shared/kafka";
import { setupTracing } from "../../shared/observability";
import type { OutboxDeadLetters } from "../../shared/outbox/outbox-dead-letters";
import { toOutboxItem } from "../../shared/outbox/outbox-item";
import { relayOutboxRecords } from "../../shared/outbox/outbox-relay";
import { outboxStreamRecord } from "../support/outbox-stream-record";

export interface RelayBenchResult {
  readonly records: number;
  readonly batchSize: number;
  readonly relay_records_per_s: number;
  readonly raw_producer_records_per_s: number;
  /** Median of the rounds' ratios. */
  readonly relay_ratio: number;
  readonly relay_ratio_range: readonly [number, number];
}

const relayBatchSize = (): number => {
  const relay = systemWiring.functions.find((fn) => fn.name === "outbox-relay");
  return relay?.trigger?.batchSize ?? 100;
};

const streamRecords = (topic: string, count: number): DynamoDBRecord[] =>
  Array.from({ length: count }, (_, n) => {
    const orderId = `bench-order-${n % 500}`;
    const event = {
      event_id: crypto.randomUUID(),
      event_type: "OrderCreated",
      event_version: 1,
      aggregate_type: "Order",
      aggregate_id: orderId,
      aggregate_version: 1 + Math.floor(n / 500),
      occurred_at: new Date().toISOString(),
      data: {
        customer_id: "cus-1",
        items: [{ sku: "SKU-1", quantity: 2, unit_price: "10.25" }],
        total: "20.50",
        currency: "EUR",
      },
    };
    const item = toOutboxItem(event, {
      topic,
      partitionKey: `ORDER#${orderId}`,
      headers: eventHeaders(event, {
        source: "orders-api",
        traceparent: `00-${"1".repeat(32)}-${"2".repeat(16)}-01`,
      }),
      now: new Date(),
      ttlSeconds: 3600,
    });
    return outboxStreamRecord(item, 1_000_000 + n);
  });

const noDeadLetters: OutboxDeadLetters = {
  put: async () => {
    throw new Error("the bench has no poison items");
  },
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

export const benchRelay = async (options: {
  readonly brokers: readonly string[];
  readonly records: number;
  readonly rounds: number;
}): Promise<RelayBenchResult> => {
  setupTracing({ serviceName: "bench" });
  const batchSize = relayBatchSize();
  const kafka = new Kafka({
    clientId: "bench",
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `bench-relay-${Date.now().toString(36)}`;
  await createTopics(kafka, [{ topic, numPartitions: 6 }]);
  const topics: ReadonlySet<string> = new Set([topic]);

  const records = streamRecords(topic, options.records);
  const batches = Array.from({ length: Math.ceil(records.length / batchSize) }, (_, index) =>
    records.slice(index * batchSize, (index + 1) * batchSize),
  );
  const relayProducer = new KafkaProducer(
    readKafkaSettings({ KAFKA_BROKERS: options.brokers.join(",") }),
    {
      logLevel: logLevel.NOTHING,
    },
  );
  const raw = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([relayProducer.connect(), raw.connect()]);

  // The raw producer sends exactly what the relay would: same topic, key, value and headers.
  const rawBatches = batches.map((batch) =>
    batch.map((record) => {
      const image = record.dynamodb?.NewImage as Record<
        string,
        { S?: string; M?: Record<string, { S: string }> }
      >;
      return {
        key: image.message_key?.S ?? null,
        value: image.value?.S ?? null,
        headers: toKafkaHeaders(
          Object.fromEntries(Object.entries(image.headers?.M ?? {}).map(([k, v]) => [k, v.S])),
        ),
      };
    }),
  );

  /** Milliseconds the relay takes for stream batch `index`. */
  const timeRelay = async (index: number): Promise<number> => {
    const started = performance.now();
    const { response } = await relayOutboxRecords(batches[index] ?? [], {
      sender: relayProducer,
      deadLetters: noDeadLetters,
      maxMessageBytes: 1_000_000,
      topics,
    });
    const elapsed = performance.now() - started;
    if (response.batchItemFailures.length > 0) throw new Error("the relay failed during the bench");
    return elapsed;
  };
  /** Milliseconds raw `sendBatch` takes for the same messages. */
  const timeRaw = async (index: number): Promise<number> => {
    const started = performance.now();
    await raw.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [{ topic, messages: rawBatches[index] ?? [] }],
    });
    return performance.now() - started;
  };

  /**
   * One round: every batch through both paths, interleaved batch by batch (and in turns which
   * goes first), so both paths meet the same broker state. The broker shares the 2 cores and
   * drifts (segment rolls, GC, log flushes) within seconds; timing whole passes one after the
   * other let that drift land on one path and spread the ratios of rounds from 0.6 to 1.1.
   */
  const round = async (turn: number) => {
    let relayMs = 0;
    let rawMs = 0;
    for (let index = 0; index < batches.length; index += 1) {
      if ((index + turn) % 2 === 0) {
        relayMs += await timeRelay(index);
        rawMs += await timeRaw(index);
      } else {
        rawMs += await timeRaw(index);
        relayMs += await timeRelay(index);
      }
    }
    return { relay: records.length / (relayMs / 1000), raw: records.length / (rawMs / 1000) };
  };

  // Warm both paths (connections, JIT) before measuring.
  await round(0);
  const relayRuns: number[] = [];
  const rawRuns: number[] = [];
  const ratios: number[] = [];
  for (let turn = 0; turn < options.rounds; turn += 1) {
    const { relay, raw } = await round(turn);
    rawRuns.push(raw);
    relayRuns.push(relay);
    ratios.push(relay / raw);
  }

  await Promise.all([relayProducer.disconnect(), raw.disconnect()]);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();

  const relay = median(relayRuns);
  const rawRate = median(rawRuns);
  return {
    records: records.length,
    batchSize,
    relay_records_per_s: Math.round(relay),
    raw_producer_records_per_s: Math.round(rawRate),
    relay_ratio: Number(median(ratios).toFixed(3)),
    relay_ratio_range: [
      Number(Math.min(...ratios).toFixed(3)),
      Number(Math.max(...ratios).toFixed(3)),
    ],
  };
};
