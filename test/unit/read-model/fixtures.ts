/** Events of one order's life for the read-model tests, built by the domain's own transitions. */

import { cancelOrder, placeOrder, shipOrder } from "../../../shared/orders/commands";
import { decideTransition } from "../../../shared/orders/order";

const placed = placeOrder.decide(
  {
    customer_id: "cus-7",
    currency: "EUR",
    items: [
      { sku: "SKU-1", quantity: 2, unit_price: "10.25" },
      { sku: "SKU-2", quantity: 1, unit_price: "4.50" },
    ],
  },
  { orderId: "ord-7", now: new Date("2026-11-26T09:00:00.000Z") },
);

export const created = placed.event;
export const shipped = decideTransition(
  shipOrder,
  placed.order,
  { carrier: "DHL", tracking_number: "JD0001" },
  { now: new Date("2026-11-26T10:00:00.000Z") },
).event;
export const cancelled = decideTransition(
  cancelOrder,
  placed.order,
  { reason: "changed my mind" },
  { now: new Date("2026-11-26T11:00:00.000Z") },
).event;
