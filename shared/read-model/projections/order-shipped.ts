/**
 * OrderShipped on the read side: carrier, tracking number and shipping time; status
 * SHIPPED; `orders_shipped` + 1.
 *
 * @example
 * ```ts
 * orderShippedProjection.view(fact); // { carrier: "DHL", tracking_number: "JD0001", shipped_at }
 * ```
 */
import type { OrderEventOf } from "../../orders/order-events";
import { defineProjection } from "../projection";

/** The read side of OrderShipped. */
export const orderShippedProjection = defineProjection<OrderEventOf<"OrderShipped">>()({
  attribute: "shipped",
  status: "SHIPPED",
  counter: "orders_shipped",
  fact: ({ data }) => ({
    carrier: data.carrier,
    tracking_number: data.tracking_number,
    shipped_at: data.shipped_at,
  }),
  view: (fact) => ({
    carrier: fact.carrier,
    tracking_number: fact.tracking_number,
    shipped_at: fact.shipped_at,
  }),
});
