/**
 * The order events (DESIGN §4.1): OrderCreated, OrderShipped, OrderCancelled. One source of
 * truth: the TypeScript types are inferred from these schemas.
 *
 * Evolution lives here: OrderShipped is at version 2; version 1 had no `shipped_at`, which
 * its upcaster fills from the envelope's `occurred_at` (the moment the shipment committed).
 *
 * @example
 * ```ts
 * const event = readEvent(orderEventContracts, json);
 * if (event.event_type === "OrderCreated") event.data.items[0]?.sku;
 * ```
 */
import { z } from "zod";
import {
  type AnyEventOf,
  currencySchema,
  defineEventContract,
  type EventOf,
  isoUtcTimestamp,
  isSumOfProducts,
  type MoneyLine,
  moneySchema,
  sumOfProducts,
  textSchema,
} from "../events";

const ORDER = "Order";
/**
 * The most items an order holds. The events say so too: a consumer validating an event with
 * 100,000 items would spend seconds and hundreds of MB describing each one's issues.
 */
export const MAX_ITEMS_PER_ORDER = 100;

/** Field rules shared by the events and the API's requests, so a valid request makes a valid event. */
export const orderFields = {
  customerId: textSchema(1, 128),
  sku: textSchema(1, 64),
  quantity: z
    .number()
    .int()
    .positive({ message: "must be a whole number above 0" })
    .max(1_000_000, { message: "must be at most 1000000" }),
  carrier: textSchema(1, 64),
  trackingNumber: textSchema(1, 128),
  reason: textSchema(1, 500),
} as const;

/**
 * The items of an order, events' and requests' alike: at least one, at most
 * MAX_ITEMS_PER_ORDER, counted before any item is checked.
 */
export const orderItems = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .min(1, { message: "must hold at least one item" })
    .max(MAX_ITEMS_PER_ORDER, { message: `must hold at most ${MAX_ITEMS_PER_ORDER} items` });

const customerId = orderFields.customerId;

export const orderItemSchema = z.looseObject({
  sku: orderFields.sku,
  quantity: orderFields.quantity,
  unit_price: moneySchema,
});

export type OrderItem = z.output<typeof orderItemSchema>;

type PricedItem = Pick<OrderItem, "quantity" | "unit_price">;

/** Each item as a money line: its unit price, counted quantity times. */
const moneyLinesOf = (items: readonly PricedItem[]): MoneyLine[] =>
  items.map((item) => [item.unit_price, item.quantity]);

/** The total of a list of items: the sum of quantity x unit price, exact. */
export const totalOf = (items: readonly PricedItem[]): string => sumOfProducts(moneyLinesOf(items));

const orderCreatedData = z
  .looseObject({
    customer_id: customerId,
    items: orderItems(orderItemSchema),
    total: moneySchema,
    currency: currencySchema,
  })
  .refine((data) => isSumOfProducts(data.total, moneyLinesOf(data.items)), {
    message: "must equal the sum of quantity x unit_price over the items",
    path: ["total"],
  });

const orderShippedData = z.looseObject({
  customer_id: customerId,
  carrier: orderFields.carrier,
  tracking_number: orderFields.trackingNumber,
  shipped_at: isoUtcTimestamp,
});

const orderCancelledData = z.looseObject({
  customer_id: customerId,
  reason: orderFields.reason,
  cancelled_at: isoUtcTimestamp,
  total: moneySchema,
  currency: currencySchema,
});

export const orderEventContracts = {
  OrderCreated: defineEventContract({
    eventType: "OrderCreated",
    aggregateType: ORDER,
    version: 1,
    data: orderCreatedData,
  }),
  OrderShipped: defineEventContract({
    eventType: "OrderShipped",
    aggregateType: ORDER,
    version: 2,
    data: orderShippedData,
    upcasters: {
      1: (data, envelope) => ({ ...data, shipped_at: data.shipped_at ?? envelope.occurred_at }),
    },
  }),
  OrderCancelled: defineEventContract({
    eventType: "OrderCancelled",
    aggregateType: ORDER,
    version: 1,
    data: orderCancelledData,
  }),
} as const;

export type OrderEventContracts = typeof orderEventContracts;
export type OrderEventType = keyof OrderEventContracts;
export type OrderEventOf<T extends OrderEventType> = EventOf<OrderEventContracts, T>;
export type OrderEvent = AnyEventOf<OrderEventContracts>;

export const orderEventTypes = Object.keys(orderEventContracts) as OrderEventType[];
