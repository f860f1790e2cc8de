/**
 * OrderCreated on the read side: the order's items, total, currency and creation time;
 * status CREATED; `orders_placed` + 1 and the total added to the customer's lifetime value.
 *
 * @example
 * ```ts
 * orderCreatedProjection.fact(created); // { items, total: "25.00", currency: "EUR", created_at }
 * ```
 */
import type { OrderEventOf } from "../../orders/order-events";
import { defineProjection } from "../projection";

/** The read side of OrderCreated. */
export const orderCreatedProjection = defineProjection<OrderEventOf<"OrderCreated">>()({
  attribute: "created",
  status: "CREATED",
  counter: "orders_placed",
  fact: ({ data, occurred_at }) => ({
    items: data.items.map(({ sku, quantity, unit_price }) => ({ sku, quantity, unit_price })),
    total: data.total,
    currency: data.currency,
    created_at: occurred_at,
  }),
  view: (fact) => ({
    total: fact.total,
    currency: fact.currency,
    created_at: fact.created_at,
    items: fact.items,
  }),
  lifetimeValue: ({ data }) => ({ amount: data.total, currency: data.currency }),
});
