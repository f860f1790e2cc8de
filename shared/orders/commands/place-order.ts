/**
 * Place: a new order, CREATED at version 1, with its exact total. Yields OrderCreated. The
 * request is checked by the same field rules as the event, and its total must itself be an
 * amount the events can carry.
 *
 * @example
 * ```ts
 * const { order, event } = placeOrder.decide(request, { orderId: randomUUID(), now: new Date() });
 * ```
 */
import * as z from "zod/mini";
import { createEvent, currencySchema, moneySchema } from "../../events";
import { orderCreated } from "../events/order-created";
import type { Decision } from "../order";
import { orderFields, orderItems, totalOf } from "../order-fields";
import type { ApiRoute } from "./order-command";

/** The body of `POST /orders`. */
export const placeOrderRequestSchema = z.object({
  customer_id: orderFields.customerId,
  currency: currencySchema,
  items: orderItems(
    z.object({ sku: orderFields.sku, quantity: orderFields.quantity, unit_price: moneySchema }),
  ).check(
    z.refine((items) => moneySchema.safeParse(totalOf(items)).success, {
      message: "add up to a total above the largest amount an order may have",
    }),
  ),
});

/** A request to place an order, as validated. */
export type PlaceOrder = z.output<typeof placeOrderRequestSchema>;

/** What placing an order needs beside the request: its new id and the time. */
export interface PlacementContext {
  readonly orderId: string;
  readonly now: Date;
}

/** The command that creates an order: `POST /orders`, answered 201 with its `Location`. */
export interface CreationCommand {
  readonly kind: "creation";
  readonly name: "place";
  readonly route: ApiRoute;
  readonly request: typeof placeOrderRequestSchema;
  readonly to: "CREATED";
  /** The contract of the event it yields. */
  readonly event: typeof orderCreated;
  /** The pure decision: the new order and its OrderCreated. */
  decide(request: PlaceOrder, context: PlacementContext): Decision<"OrderCreated">;
}

/** `POST /orders` `{customer_id, currency, items}`. */
export const placeOrder: CreationCommand = {
  kind: "creation",
  name: "place",
  route: { method: "POST", path: "/orders" },
  request: placeOrderRequestSchema,
  to: "CREATED",
  event: orderCreated,
  decide(request, { orderId, now }) {
    const items = request.items.map(({ sku, quantity, unit_price }) => ({
      sku,
      quantity,
      unit_price,
    }));
    const total = totalOf(items);
    const event = createEvent(orderCreated, {
      aggregateId: orderId,
      aggregateVersion: 1,
      occurredAt: now,
      data: { customer_id: request.customer_id, items, total, currency: request.currency },
    });
    const at = now.toISOString();
    return {
      order: {
        order_id: orderId,
        customer_id: request.customer_id,
        status: "CREATED",
        version: 1,
        items,
        total,
        currency: request.currency,
        created_at: at,
        updated_at: at,
      },
      event,
    };
  },
};
