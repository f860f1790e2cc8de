/**
 * Relay throughput beside raw kafkajs `sendBatch` for the same messages on the same broker.
 * Both send stream-sized batches (the relay's declared batch size) one after another with
 * an idempotent, acks=all producer; the relay also decodes each stream image, validates the
 * outbox item, opens a producer span per message and injects its trace context.
 */
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import { createTopics } from "../../infra/local/kafka-topics";
import { systemWiring } from "../../infra/wiring/system-wiring";
import { eventHeaders, KafkaProducer, readKafkaSettings, toKafkaHeaders } from "../../shared/kafka";
import { setupTracing } from "../../shared/observability";
import type { OutboxDeadLetters } from "../../shared/outbox/outbox-dead-letters";
import { toOutboxItem } from "../../shared/outbox/outbox-item";
import { relayOutboxRecords } from "../../shared/outbox/outbox-relay";

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
    return {
      eventID: String(n),
      eventName: "INSERT",
      eventSource: "aws:dynamodb",
      dynamodb: {
        Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
        NewImage: marshall(item) as never,
        SequenceNumber: String(1_000_000 + n),
        StreamViewType: "NEW_IMAGE",
      },
    };
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

  const timeRelay = async () => {
    const started = performance.now();
    for (const batch of batches) {
      const { response } = await relayOutboxRecords(batch, {
        sender: relayProducer,
        deadLetters: noDeadLetters,
        maxMessageBytes: 1_000_000,
      });
      if (response.batchItemFailures.length > 0)
        throw new Error("the relay failed during the bench");
    }
    return records.length / ((performance.now() - started) / 1000);
  };
  const timeRaw = async () => {
    const started = performance.now();
    for (const messages of rawBatches) {
      await raw.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [{ topic, messages }],
      });
    }
    return records.length / ((performance.now() - started) / 1000);
  };

  // Warm both paths (connections, JIT) before measuring; then alternate rounds.
  await timeRelay();
  await timeRaw();
  // Each round times both paths back to back, so the ratio of a round compares them under
  // the same broker state (segment rolls and GC on the shared 2 cores drift between rounds).
  const relayRuns: number[] = [];
  const rawRuns: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    // Alternate which path goes first, so neither always meets the warmer broker.
    let raw: number;
    let relay: number;
    if (round % 2 === 0) {
      raw = await timeRaw();
      relay = await timeRelay();
    } else {
      relay = await timeRelay();
      raw = await timeRaw();
    }
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
