/**
 * The routes of the order commands, built from the command modules: `POST /orders` answers
 * 201 with the order and its `Location` (an `Idempotency-Key` header makes a repeat answer as
 * the first request did); each transition answers 200 with the order's new state. Each
 * request is traced: the outbox item keeps the request's trace context.
 *
 * @example
 * ```ts
 * const routes = [placeOrderRoute, transitionRoute(shipOrder)];
 * ```
 */
import { readIdempotencyKey, requestHash } from "../http/idempotency-key";
import { readJsonBody } from "../http/json-request-body";
import { jsonResponse } from "../http/json-response";
import { traceHeaders } from "../observability";
import { type OrderTransition, placeOrder } from "../orders/commands";
import { type OrderApiRoute, pathId } from "./order-api-route";

/** `POST /orders`: places an order, idempotently when the request has an Idempotency-Key. */
export const placeOrderRoute: OrderApiRoute = {
  route: placeOrder.route,
  async handle(request, { orders }) {
    const command = readJsonBody(request, placeOrder.request);
    const key = readIdempotencyKey(request);
    const idempotency = key === undefined ? undefined : { key, requestHash: requestHash(command) };
    const { order, replayed } = await orders.place(command, { trace: traceHeaders(), idempotency });
    return jsonResponse(201, order, {
      location: `/orders/${order.order_id}`,
      ...(replayed ? { "idempotent-replayed": "true" } : {}),
    });
  },
};

/**
 * The route of a transition command: its body read with the command's schema, the command
 * run on the order named by the path.
 *
 * @example
 * ```ts
 * transitionRoute(cancelOrder).route; // { method: "POST", path: "/orders/{id}/cancel" }
 * ```
 */
export const transitionRoute = (command: OrderTransition): OrderApiRoute => ({
  route: command.route,
  async handle(request, { orders }) {
    const body = readJsonBody(request, command.request);
    const order = await orders.transition(command, pathId(request), body, {
      trace: traceHeaders(),
    });
    return jsonResponse(200, order);
  },
});
