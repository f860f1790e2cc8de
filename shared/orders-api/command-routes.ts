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
import { bodyProblems, orderResponse, serviceProblems } from "./response-schemas";

/** "ship" -> "ShipOrder": how a command names its operation and its request body. */
const pascalName = (command: { readonly name: string }): string =>
  `${command.name.charAt(0).toUpperCase()}${command.name.slice(1)}Order`;

/** `POST /orders`: places an order, idempotently when the request has an Idempotency-Key. */
export const placeOrderRoute: OrderApiRoute = {
  route: placeOrder.route,
  operationId: "placeOrder",
  summary: "Places an order, idempotently with an Idempotency-Key",
  request: {
    body: { name: "PlaceOrderRequest", schema: placeOrder.request },
    headers: {
      "Idempotency-Key":
        "1 to 255 visible ASCII characters; a repeat of the same request answers as the first did",
    },
  },
  responses: {
    success: {
      status: 201,
      description: "The order, as created",
      body: orderResponse,
      headers: {
        location: "The order's path, /orders/<order_id>",
        "idempotent-replayed": '"true" when the answer is a repeat of the key\'s first',
      },
    },
    problems: {
      ...bodyProblems,
      400: `${bodyProblems[400]}, or a malformed Idempotency-Key`,
      409: "Request in progress: the key's first request is still being written; Retry-After: 1",
      422: "Idempotency-Key reused with a different request, or Unprocessable order",
      ...serviceProblems,
    },
  },
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
  operationId: `${command.name}Order`,
  summary: `The ${command.name} command: from ${command.from.join(" or ")} to ${command.to}`,
  pathParameters: { id: "The order's id" },
  request: { body: { name: `${pascalName(command)}Request`, schema: command.request } },
  responses: {
    success: { status: 200, description: "The order's new state", body: orderResponse },
    problems: {
      ...bodyProblems,
      404: "Order not found",
      409: `Illegal transition (the order is not ${command.from.join(" or ")}) or Concurrent update`,
      422: "Unprocessable order: the command's event would break its contract",
      ...serviceProblems,
    },
  },
  async handle(request, { orders }) {
    const body = readJsonBody(request, command.request);
    const order = await orders.transition(command, pathId(request), body, {
      trace: traceHeaders(),
    });
    return jsonResponse(200, order);
  },
});
