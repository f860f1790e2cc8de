/**
 * Cancel: a CREATED order is called off. Yields OrderCancelled (with the order's total, so
 * the customer's lifetime value can be corrected); sets `cancel_reason` and `cancelled_at`.
 *
 * @example
 * ```ts
 * await orders.transition(cancelOrder, orderId, { reason: "changed my mind" }, { trace });
 * ```
 */
import * as z from "zod/mini";
import { orderCancelled } from "../events/order-cancelled";
import { orderFields } from "../order-fields";
import { defineTransition } from "./order-command";

/** `POST /orders/{id}/cancel` `{reason}`: allowed from CREATED. */
export const cancelOrder = defineTransition({
  name: "cancel",
  route: { method: "POST", path: "/orders/{id}/cancel" },
  request: z.object({ reason: orderFields.reason }),
  from: ["CREATED"],
  to: "CANCELLED",
  refusal: "be cancelled",
  event: orderCancelled,
  decide: (order, request, at) => ({
    data: {
      customer_id: order.customer_id,
      reason: request.reason,
      cancelled_at: at,
      total: order.total,
      currency: order.currency,
    },
    fields: { cancel_reason: request.reason, cancelled_at: at },
  }),
});
