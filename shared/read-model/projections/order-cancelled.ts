/**
 * OrderCancelled on the read side: the reason and time, and the order's total and currency
 * (shown while OrderCreated has not arrived); status CANCELLED; `orders_cancelled` + 1 and
 * the total taken back out of the customer's lifetime value.
 *
 * @example
 * ```ts
 * orderCancelledProjection.lifetimeValue?.(cancelled); // { amount: "-25.00", currency: "EUR" }
 * ```
 */
import { negateMoney } from "../../events";
import type { OrderEventOf } from "../../orders/order-events";
import { defineProjection } from "../projection";

/** The read side of OrderCancelled. */
export const orderCancelledProjection = defineProjection<OrderEventOf<"OrderCancelled">>()({
  attribute: "cancelled",
  status: "CANCELLED",
  counter: "orders_cancelled",
  fact: ({ data }) => ({
    reason: data.reason,
    cancelled_at: data.cancelled_at,
    total: data.total,
    currency: data.currency,
  }),
  view: (fact) => ({
    total: fact.total,
    currency: fact.currency,
    reason: fact.reason,
    cancelled_at: fact.cancelled_at,
  }),
  lifetimeValue: ({ data }) => ({ amount: negateMoney(data.total), currency: data.currency }),
});
