/**
 * The I/O edge of an accounting run (`npm run demo`, `npm run chaos`): one look at the running
 * system — the topic's end offsets, each mapping's committed offsets, the records and dead
 * letters read so far, and the read model where it may be stale — and the writing of the
 * malformed records whose dead letters the run then expects.
 *
 * @example
 * ```ts
 * const malformed = await sendMalformedRecords(settings, plan.malformed);
 * const observation = await observeSystem({ observer, reader, client, start, orders, malformed, views, stats });
 * accountForDemo(observation).allAccounted;
 * ```
 */
import { logLevel } from "kafkajs";
import { KafkaProducer } from "../../../shared/kafka/kafka-producer";
import type { KafkaSettings } from "../../../shared/kafka/kafka-settings";
import {
  ORDER_EVENTS_DLQ_TOPIC,
  ORDER_EVENTS_ON_FAILURE_TOPIC,
  ORDER_EVENTS_TOPIC,
  systemWiring,
} from "../../wiring/system-wiring";
import type { DemoObservation, PartitionOffsets, SentRecord } from "./demo-observation";
import type { MalformedRecord } from "./demo-plan";
import { inParallel } from "./in-parallel";
import type { KafkaObserver } from "./kafka-observer";
import type { OrdersClient } from "./orders-client";
import { readModelToRefresh } from "./read-model-refresh";
import type { ApiOrder, CustomerStats, OrderView } from "./read-model-views";
import { topicMappings } from "./topic-mappings";
import type { TopicReader } from "./topic-reader";

const HTTP_CONCURRENCY = 4;

/** What a run watches with, and what it has seen so far (views and stats are refreshed). */
export interface SystemWatch {
  readonly observer: KafkaObserver;
  readonly reader: TopicReader;
  readonly client: OrdersClient;
  /** End offsets of `order-events` when the run started. */
  readonly start: PartitionOffsets;
  /** The API's last answer for each order the run placed. */
  readonly orders: readonly ApiOrder[];
  readonly malformed: readonly SentRecord[];
  readonly views: Map<string, OrderView>;
  readonly stats: Map<string, CustomerStats>;
}

/** One look at the system: offsets, records, dead letters, and the read model where stale. */
export const observeSystem = async (watch: SystemWatch): Promise<DemoObservation> => {
  const failure = watch.reader.failure();
  if (failure !== undefined) throw failure;
  const end = await watch.observer.endOffsets(ORDER_EVENTS_TOPIC);
  const mappings = await Promise.all(
    topicMappings(systemWiring, ORDER_EVENTS_TOPIC).map(async (mapping) => ({
      ...mapping,
      committed: await watch.observer.committedOffsets(mapping.groupId, ORDER_EVENTS_TOPIC),
    })),
  );
  const records = watch.reader
    .records(ORDER_EVENTS_TOPIC)
    .filter((record) => record.offset < (end.get(record.partition) ?? 0));
  await refreshReadModel(watch, records);
  return {
    topic: ORDER_EVENTS_TOPIC,
    deadLetterTopic: ORDER_EVENTS_DLQ_TOPIC,
    onFailureTopic: ORDER_EVENTS_ON_FAILURE_TOPIC,
    start: watch.start,
    end,
    records,
    unreadRecords: watch.reader.unread(ORDER_EVENTS_TOPIC, end),
    deadLetters: watch.reader.records(ORDER_EVENTS_DLQ_TOPIC),
    onFailureRecords: watch.reader.records(ORDER_EVENTS_ON_FAILURE_TOPIC).length,
    mappings,
    orders: watch.orders,
    malformed: watch.malformed,
    views: watch.views,
    stats: watch.stats,
  };
};

/** Reads again the views and stats the records seen since the last look may have changed. */
const refreshReadModel = async (
  watch: SystemWatch,
  records: DemoObservation["records"],
): Promise<void> => {
  const refresh = readModelToRefresh({
    records,
    orders: watch.orders,
    views: watch.views,
    stats: watch.stats,
  });
  await inParallel(refresh.orderIds, HTTP_CONCURRENCY, async (orderId) => {
    const view = await watch.client.orderView(orderId);
    if (view !== undefined) watch.views.set(orderId, view);
  });
  await inParallel(refresh.customerIds, HTTP_CONCURRENCY, async (customerId) => {
    const stats = await watch.client.customerStats(customerId);
    if (stats !== undefined) watch.stats.set(customerId, stats);
  });
};

/** Writes the malformed records with the shared idempotent producer; where they landed. */
export const sendMalformedRecords = async (
  settings: KafkaSettings,
  records: readonly MalformedRecord[],
): Promise<SentRecord[]> => {
  const producer = new KafkaProducer(settings, { logLevel: logLevel.NOTHING });
  try {
    const { acknowledgements } = await producer.send(records.map((record) => record.message));
    return records.map((record, index) => {
      const ack = acknowledgements[index];
      if (ack === undefined) throw new Error(`no acknowledgement for "${record.label}"`);
      return { label: record.label, partition: ack.partition, offset: Number(ack.offset) };
    });
  } finally {
    await producer.disconnect();
  }
};
