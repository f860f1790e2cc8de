/**
 * OrderCreated: an order was placed. Carries everything a consumer needs about the order
 * (customer, items, exact total, currency), so none has to look anything up.
 *
 * @example
 * ```ts
 * createEvent(orderCreated, { aggregateId, aggregateVersion: 1, data: { customer_id, items, total, currency } });
 * ```
 */
import * as z from "zod/mini";
import { currencySchema, defineEventContract, isSumOfProducts, moneySchema } from "../../events";
import {
  moneyLinesOf,
  ORDER_AGGREGATE,
  orderFields,
  orderItemSchema,
  orderItems,
} from "../order-fields";
import type { EventSample } from "./event-sample";

/** The contract of OrderCreated, version 1; `total` must equal the sum of its items. */
export const orderCreated = defineEventContract({
  eventType: "OrderCreated",
  aggregateType: ORDER_AGGREGATE,
  version: 1,
  data: z
    .looseObject({
      customer_id: orderFields.customerId,
      items: orderItems(orderItemSchema),
      total: moneySchema,
      currency: currencySchema,
    })
    .check(
      z.refine((data) => isSumOfProducts(data.total, moneyLinesOf(data.items)), {
        message: "must equal the sum of quantity x unit_price over the items",
        path: ["total"],
      }),
    ),
});

/** A valid OrderCreated: two items, their exact total, in EUR. */
export const orderCreatedSample: EventSample<typeof orderCreated> = {
  aggregateVersion: 1,
  data: ({ customerId }) => ({
    customer_id: customerId,
    items: [
      { sku: "SKU-1", quantity: 2, unit_price: "10.25" },
      { sku: "SKU-2", quantity: 1, unit_price: "4.50" },
    ],
    total: "25.00",
    currency: "EUR",
  }),
};
