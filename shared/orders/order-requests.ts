/**
 * The API's request bodies (snake_case on the wire), validated with the same field rules as
 * the events, so a request that passes always yields a valid event.
 *
 * @example
 * ```ts
 * const command = readJsonBody(event, placeOrderRequestSchema); // PlaceOrder
 * ```
 */
import { z } from "zod";
import { currencySchema, moneySchema } from "../events";
import { orderFields, orderItems, totalOf } from "./order-events";

export const placeOrderRequestSchema = z.object({
  customer_id: orderFields.customerId,
  currency: currencySchema,
  items: orderItems(
    z.object({ sku: orderFields.sku, quantity: orderFields.quantity, unit_price: moneySchema }),
  )
    // The order's total must itself be an amount the events can carry.
    .refine((items) => moneySchema.safeParse(totalOf(items)).success, {
      message: "add up to a total above the largest amount an order may have",
    }),
});

export const shipOrderRequestSchema = z.object({
  carrier: orderFields.carrier,
  tracking_number: orderFields.trackingNumber,
});

export const cancelOrderRequestSchema = z.object({ reason: orderFields.reason });
