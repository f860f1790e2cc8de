/**
 * OrderCancelled: an order was cancelled before it shipped. Carries the order's total and
 * currency, so the customer's lifetime value can be corrected without a lookup.
 *
 * @example
 * ```ts
 * createEvent(orderCancelled, { aggregateId, aggregateVersion: 2, data: { customer_id, reason, cancelled_at, total, currency } });
 * ```
 */
import * as z from "zod/mini";
import { currencySchema, defineEventContract, isoUtcTimestamp, moneySchema } from "../../events";
import { ORDER_AGGREGATE, orderFields } from "../order-fields";
import type { EventSample } from "./event-sample";

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

/** A valid OrderCancelled: the created order (25.00 EUR, as its sample) is cancelled. */
export const orderCancelledSample: EventSample<typeof orderCancelled> = {
  aggregateVersion: 2,
  data: ({ customerId, at }) => ({
    customer_id: customerId,
    reason: "changed mind",
    cancelled_at: at.toISOString(),
    total: "25.00",
    currency: "EUR",
  }),
};
