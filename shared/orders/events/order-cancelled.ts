/**
 * OrderCancelled: an order was cancelled before it shipped. Carries the order's total and
 * currency, so the customer's lifetime value can be corrected without a lookup.
 *
 * @example
 * ```ts
 * createEvent(orderCancelled, { aggregateId, aggregateVersion: 2, data: { customer_id, reason, cancelled_at, total, currency } });
 * ```
 */
import * as z from "zod";
import { currencySchema, defineEventContract, isoUtcTimestamp, moneySchema } from "../../events";
import { ORDER_AGGREGATE, orderFields } from "../order-fields";

/** The contract of OrderCancelled, version 1. */
export const orderCancelled = defineEventContract({
  eventType: "OrderCancelled",
  aggregateType: ORDER_AGGREGATE,
  version: 1,
  data: z.looseObject({
    customer_id: orderFields.customerId,
    reason: orderFields.reason,
    cancelled_at: isoUtcTimestamp,
    total: moneySchema,
    currency: currencySchema,
  }),
});
