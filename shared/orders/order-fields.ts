/**
 * Field rules shared by the order events and the API's requests, so a request that passes
 * always yields a valid event: ids, SKUs, quantities, carriers, reasons, and the items of an
 * order with their exact total.
 *
 * @example
 * ```ts
 * const request = z.object({ carrier: orderFields.carrier, tracking_number: orderFields.trackingNumber });
 * totalOf([{ quantity: 3, unit_price: "0.10" }]); // "0.30"
 * ```
 */
import * as z from "zod/mini";
import { type MoneyLine, moneySchema, sumOfProducts, textSchema } from "../events";

/**
 * The most items an order holds. The events say so too: a consumer validating an event with
 * 100,000 items would spend seconds and hundreds of MB describing each one's issues.
 */
export const MAX_ITEMS_PER_ORDER = 100;

/** The aggregate type every order event names. */
export const ORDER_AGGREGATE = "Order";

/** Field rules shared by the events and the API's requests. */
export const orderFields = {
  customerId: textSchema(1, 128),
  sku: textSchema(1, 64),
  quantity: z
    .int()
    .check(
      z.positive({ message: "must be a whole number above 0" }),
      z.lte(1_000_000, { message: "must be at most 1000000" }),
    ),
  carrier: textSchema(1, 64),
  trackingNumber: textSchema(1, 128),
  reason: textSchema(1, 500),
} as const;

/**
 * The items of an order, events' and requests' alike: at least one, at most
 * {@link MAX_ITEMS_PER_ORDER}, counted before any item is checked.
 *
 * @example
 * ```ts
 * const items = orderItems(orderItemSchema);
 * ```
 */
export const orderItems = <T extends z.core.$ZodType>(item: T) =>
  z.array(item).check(
    z.minLength(1, { message: "must hold at least one item" }),
    z.maxLength(MAX_ITEMS_PER_ORDER, {
      message: `must hold at most ${MAX_ITEMS_PER_ORDER} items`,
    }),
  );

/** One item of an order as events carry it (extra fields tolerated). */
export const orderItemSchema = z.looseObject({
  sku: orderFields.sku,
  quantity: orderFields.quantity,
  unit_price: moneySchema,
});

/** One item of an order: SKU, quantity and unit price (a decimal string). */
export type OrderItem = z.output<typeof orderItemSchema>;

type PricedItem = Pick<OrderItem, "quantity" | "unit_price">;

/** Each item as a money line: its unit price, counted quantity times. */
export const moneyLinesOf = (items: readonly PricedItem[]): MoneyLine[] =>
  items.map((item) => [item.unit_price, item.quantity]);

/**
 * The total of a list of items: the sum of quantity x unit price, exact.
 *
 * @example
 * ```ts
 * totalOf([{ quantity: 2, unit_price: "3.50" }]); // "7.00"
 * ```
 */
export const totalOf = (items: readonly PricedItem[]): string => sumOfProducts(moneyLinesOf(items));
