/**
 * Fabricated observations of a demo run for the unit tests of its accounting and report:
 * three orders (one shipped, one cancelled, one left), their five relayed events, two
 * malformed records and their dead letters (built with the shared `buildDeadLetter`), the
 * read model exactly as the API implies, and every consumer group at the end of the topic.
 */

import type {
  DemoObservation,
  MappingObservation,
} from "../../../infra/local/demo/demo-observation";
import type {
  ApiOrder,
  CustomerStats,
  OrderView,
} from "../../../infra/local/demo/read-model-views";
import { buildDeadLetter } from "../../../shared/dead-letters";
import type { DeadLetterKind } from "../../../shared/dead-letters/constants";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";

export const TOPIC = "order-events";
export const DLQ = "order-events.dlq";

export const record = (partition: number, offset: number, value: Buffer | null): KafkaRecord => ({
  topic: TOPIC,
  partition,
  offset,
  timestamp: 1_795_683_600_000 + offset,
  timestampType: "CREATE_TIME",
  key: Buffer.from(`key-${partition}`),
  value,
  headers: [],
});

export const eventRecord = (
  partition: number,
  offset: number,
  event: { type: string; orderId: string; version: number; id?: string },
): KafkaRecord =>
  record(
    partition,
    offset,
    Buffer.from(
      JSON.stringify({
        event_id: event.id ?? `${event.orderId}-v${event.version}`,
        event_type: event.type,
        event_version: 1,
        aggregate_type: "Order",
        aggregate_id: event.orderId,
        aggregate_version: event.version,
        occurred_at: "2026-11-26T09:00:00.000Z",
        data: {},
      }),
    ),
  );

/** The dead letter of a record as read back from the DLQ topic. */
export const deadLetterOf = (
  source: KafkaRecord,
  failure: { functionName: string; kind: DeadLetterKind; error: Error },
  dlqOffset: number,
): KafkaRecord => {
  const letter = buildDeadLetter({
    record: source,
    error: failure.error,
    kind: failure.kind,
    functionName: failure.functionName,
    attempts: 1,
    firstFailureAt: new Date("2026-11-26T09:00:01.000Z"),
    lastFailureAt: new Date("2026-11-26T09:00:01.000Z"),
  });
  return {
    topic: DLQ,
    partition: 0,
    offset: dlqOffset,
    timestamp: 1_795_683_601_000,
    timestampType: "CREATE_TIME",
    key: letter.key,
    value: letter.value,
    headers: letter.headers,
  };
};

export const orders: ApiOrder[] = [
  {
    order_id: "o-1",
    customer_id: "cus-1",
    status: "SHIPPED",
    version: 2,
    total: "10.00",
    currency: "EUR",
  },
  {
    order_id: "o-2",
    customer_id: "cus-1",
    status: "CANCELLED",
    version: 2,
    total: "5.00",
    currency: "EUR",
  },
  {
    order_id: "o-3",
    customer_id: "cus-2",
    status: "CREATED",
    version: 1,
    total: "7.50",
    currency: "EUR",
  },
];

export const events = {
  created1: eventRecord(0, 10, { type: "OrderCreated", orderId: "o-1", version: 1 }),
  shipped1: eventRecord(0, 11, { type: "OrderShipped", orderId: "o-1", version: 2 }),
  created2: eventRecord(1, 4, { type: "OrderCreated", orderId: "o-2", version: 1 }),
  cancelled2: eventRecord(1, 5, { type: "OrderCancelled", orderId: "o-2", version: 2 }),
  created3: eventRecord(2, 7, { type: "OrderCreated", orderId: "o-3", version: 1 }),
};

export const notJson = record(3, 2, Buffer.from("order #42: ship it {"));
export const tombstone = record(3, 3, null);

export const views = new Map<string, OrderView>(
  orders.map((order) => [
    order.order_id,
    {
      order_id: order.order_id,
      status: order.status,
      version: order.version,
      customer_id: order.customer_id,
      total: order.total,
      currency: order.currency,
    },
  ]),
);

export const stats = new Map<string, CustomerStats>([
  [
    "cus-1",
    {
      customer_id: "cus-1",
      orders_placed: 2,
      orders_shipped: 1,
      orders_cancelled: 1,
      lifetime_value: { EUR: "10" },
    },
  ],
  [
    "cus-2",
    {
      customer_id: "cus-2",
      orders_placed: 1,
      orders_shipped: 0,
      orders_cancelled: 0,
      lifetime_value: { EUR: "7.5" },
    },
  ],
]);

export const end = new Map([
  [0, 12],
  [1, 6],
  [2, 8],
  [3, 4],
]);

export const mappings: MappingObservation[] = [
  {
    functionName: "order-created",
    groupId: "order-created-v1",
    filters: [{ value: { event_type: ["OrderCreated"] } }],
    committed: end,
  },
  { functionName: "unrouted-events", groupId: "unrouted-events-v1", filters: [], committed: end },
];

/** A run where everything is accounted for; tests change one thing each. */
export const settledObservation = (): DemoObservation => {
  const earlier = record(3, 1, Buffer.from("from an earlier run"));
  return {
    topic: TOPIC,
    deadLetterTopic: DLQ,
    onFailureTopic: "order-events.on-failure",
    start: new Map([
      [0, 10],
      [1, 4],
      [2, 7],
      [3, 2],
    ]),
    end,
    records: [
      events.created1,
      events.shipped1,
      events.created2,
      events.cancelled2,
      events.created3,
      notJson,
      tombstone,
    ],
    unreadRecords: 0,
    deadLetters: [
      deadLetterOf(
        earlier,
        { functionName: "unrouted-events", kind: "undecodable", error: new Error("old") },
        0,
      ),
      deadLetterOf(
        notJson,
        {
          functionName: "unrouted-events",
          kind: "undecodable",
          error: new SyntaxError("Value is not JSON"),
        },
        1,
      ),
      deadLetterOf(
        tombstone,
        {
          functionName: "unrouted-events",
          kind: "undecodable",
          error: new Error("the record has no value (tombstone)"),
        },
        2,
      ),
      { ...record(0, 3, Buffer.from("not a dead letter")), topic: DLQ },
    ],
    onFailureRecords: 0,
    mappings,
    orders,
    malformed: [
      { label: "not JSON", partition: 3, offset: 2 },
      { label: "tombstone", partition: 3, offset: 3 },
    ],
    views,
    stats,
  };
};
