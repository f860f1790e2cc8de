/**
 * The routes that read: an order's write-side state, its view in the read model, and a
 * customer's stats. Each is one consistent read; nothing there yet is a 404.
 *
 * @example
 * ```ts
 * const routes = [...commandRoutes, ...queryRoutes];
 * ```
 */
import { jsonResponse } from "../http/json-response";
import { type OrderApiRoute, pathId } from "./order-api-route";
import {
  customerStatsResponse,
  orderResponse,
  orderViewResponse,
  serviceProblems,
} from "./response-schemas";

/** `GET /orders/{id}`, `GET /orders/{id}/view`, `GET /customers/{id}/stats`. */
export const queryRoutes: readonly OrderApiRoute[] = [
  {
    route: { method: "GET", path: "/orders/{id}" },
    operationId: "getOrder",
    summary: "An order's write-side state, strongly consistent",
    pathParameters: { id: "The order's id" },
    responses: {
      success: { status: 200, description: "The order", body: orderResponse },
      problems: { 404: "Order not found (or the id is not a UUID)", ...serviceProblems },
    },
    handle: async (request, { orders }) => jsonResponse(200, await orders.get(pathId(request))),
  },
  {
    route: { method: "GET", path: "/orders/{id}/view" },
    operationId: "getOrderView",
    summary: "The read model's view of an order, eventually consistent",
    pathParameters: { id: "The order's id" },
    responses: {
      success: { status: 200, description: "The order's view", body: orderViewResponse },
      problems: { 404: "Order view not found: no event of it applied yet", ...serviceProblems },
    },
    handle: async (request, { readModel }) =>
      jsonResponse(200, await readModel.orderView(pathId(request))),
  },
  {
    route: { method: "GET", path: "/customers/{id}/stats" },
    operationId: "getCustomerStats",
    summary: "A customer's statistics from the read model",
    pathParameters: { id: "The customer's id" },
    responses: {
      success: { status: 200, description: "The customer's stats", body: customerStatsResponse },
      problems: {
        404: "Customer stats not found: no event of the customer applied yet",
        ...serviceProblems,
      },
    },
    handle: async (request, { readModel }) =>
      jsonResponse(200, await readModel.customerStats(pathId(request))),
  },
];
