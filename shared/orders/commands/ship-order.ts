/**
 * Ship: a CREATED order leaves with a carrier. Yields OrderShipped; sets `carrier`,
 * `tracking_number` and `shipped_at` on the order.
 *
 * @example
 * ```ts
 * await orders.transition(shipOrder, orderId, { carrier: "DHL", tracking_number: "JD1" }, { trace });
 * ```
 */
import * as z from "zod/mini";
import { orderShipped } from "../events/order-shipped";
import { orderFields } from "../order-fields";
import { defineTransition } from "./order-command";

/** `POST /orders/{id}/ship` `{carrier, tracking_number}`: allowed from CREATED. */
export const shipOrder = defineTransition({
  name: "ship",
  route: { method: "POST", path: "/orders/{id}/ship" },
  request: z.object({ carrier: orderFields.carrier, tracking_number: orderFields.trackingNumber }),
  from: ["CREATED"],
  to: "SHIPPED",
  refusal: "be shipped",
  event: orderShipped,
  decide: (order, request, at) => ({
    data: {
      customer_id: order.customer_id,
      carrier: request.carrier,
      tracking_number: request.tracking_number,
      shipped_at: at,
    },
    fields: { carrier: request.carrier, tracking_number: request.tracking_number, shipped_at: at },
  }),
});
