/**
 * What one demo run does, decided up front and purely: the orders it places (for customers
 * no earlier run used, so their stats are exact), which of them it ships or cancels, and the
 * malformed records it writes straight to Kafka, each of a kind the system must dead-letter.
 *
 * @example
 * ```ts
 * const plan = planDemo({ runId: "demo-lx3k2a", orderCount: 6, topic: "order-events", now });
 * plan.orders[0]; // { customerId: "demo-lx3k2a-cus-1", currency: "EUR", items, fate: "ship" }
 * plan.malformed.map((record) => record.label); // ["not JSON", ..., "OrderCreated that breaks its schema"]
 * ```
 */
import { randomUUID } from "node:crypto";
import { JSON_CONTENT_TYPE } from "../../../shared/kafka/headers";
import type { OutgoingMessage } from "../../../shared/kafka/outgoing-message";

export type OrderFate = "ship" | "cancel" | "keep";

export interface PlannedItem {
  readonly sku: string;
  readonly quantity: number;
  readonly unit_price: string;
}

export interface PlannedOrder {
  readonly customerId: string;
  readonly currency: string;
  readonly items: readonly PlannedItem[];
  readonly fate: OrderFate;
}

/** A record the demo writes straight to the topic, bypassing the API and the outbox. */
export interface MalformedRecord {
  readonly label: string;
  readonly message: OutgoingMessage;
}

export interface DemoPlan {
  readonly runId: string;
  readonly customers: readonly string[];
  readonly orders: readonly PlannedOrder[];
  readonly malformed: readonly MalformedRecord[];
}

export interface DemoPlanInput {
  readonly runId: string;
  readonly orderCount: number;
  readonly topic: string;
  readonly now: Date;
  /** Event ids of the malformed records; random unless a test fixes them. */
  readonly newId?: () => string;
}

const FATES: readonly OrderFate[] = ["ship", "cancel", "keep"];
const CUSTOMERS = 3;
/** A type no contract declares, nor ever will: the demo's unknown-type poison. */
const UNKNOWN_EVENT_TYPE = "NoSuchEventTypeDemoPoison";

/** A run id no earlier run used: the time in base 36 and a random tail. */
export const newRunId = (now: Date, random: () => number = Math.random): string =>
  `demo-${now.getTime().toString(36)}-${random().toString(36).slice(2, 8)}`;

const itemsOf = (index: number): PlannedItem[] => [
  { sku: `SKU-${(index % 7) + 1}`, quantity: 1 + (index % 3), unit_price: `${(index % 5) + 2}.50` },
  { sku: "SKU-GIFT-WRAP", quantity: 1, unit_price: "0.99" },
];

const json = (value: unknown): string => JSON.stringify(value);

/** An event envelope as the relay would publish it, with the fields given overriding. */
const envelope = (id: string, runId: string, now: Date, fields: Record<string, unknown>) => ({
  event_id: id,
  event_version: 1,
  aggregate_type: "Order",
  aggregate_id: `${runId}-ord-bad`,
  aggregate_version: 1,
  occurred_at: now.toISOString(),
  ...fields,
});

/** The malformed records of a run, one of each kind the system must dead-letter. */
export const malformedRecords = (
  runId: string,
  topic: string,
  now: Date,
  newId: () => string,
): MalformedRecord[] => {
  const record = (
    label: string,
    value: string | null,
    headers: Record<string, string> = {},
  ): MalformedRecord => ({
    label,
    message: { topic, key: `${runId}-${label.replaceAll(/\W+/g, "-")}`, value, headers },
  });
  const jsonHeaders = { "content-type": JSON_CONTENT_TYPE };
  return [
    record("not JSON", "order #42: ship it, please {", { "content-type": "text/plain" }),
    record(
      "JSON without event_type",
      json({ event_id: newId(), aggregate_id: `${runId}-ord-x`, note: "no type" }),
      jsonHeaders,
    ),
    record(
      "unknown event_type",
      json(
        envelope(newId(), runId, now, { event_type: UNKNOWN_EVENT_TYPE, data: { amount: "5.00" } }),
      ),
      { ...jsonHeaders, event_type: UNKNOWN_EVENT_TYPE },
    ),
    record("tombstone", null),
    // The total disagrees with the items: valid JSON of a known type that fails its schema.
    record(
      "OrderCreated that breaks its schema",
      json(
        envelope(newId(), runId, now, {
          event_type: "OrderCreated",
          data: {
            customer_id: `${runId}-cus-bad`,
            items: [{ sku: "SKU-1", quantity: 2, unit_price: "3.00" }],
            total: "999.00",
            currency: "EUR",
          },
        }),
      ),
      { ...jsonHeaders, event_type: "OrderCreated" },
    ),
  ];
};

export const planDemo = ({
  runId,
  orderCount,
  topic,
  now,
  newId = randomUUID,
}: DemoPlanInput): DemoPlan => {
  const customers = Array.from({ length: CUSTOMERS }, (_, n) => `${runId}-cus-${n + 1}`);
  const orders = Array.from({ length: orderCount }, (_, index) => ({
    // Two orders per customer in turn, so each customer's orders end differently.
    customerId: customers[Math.floor(index / 2) % customers.length] ?? `${runId}-cus-1`,
    currency: "EUR",
    items: itemsOf(index),
    fate: FATES[index % FATES.length] ?? "keep",
  }));
  return {
    runId,
    customers: customers.slice(0, Math.min(Math.ceil(orderCount / 2), customers.length)),
    orders,
    malformed: malformedRecords(runId, topic, now, newId),
  };
};
