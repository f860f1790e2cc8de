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

/** `GET /orders/{id}`, `GET /orders/{id}/view`, `GET /customers/{id}/stats`. */
export const queryRoutes: readonly OrderApiRoute[] = [
  {
    route: { method: "GET", path: "/orders/{id}" },
    handle: async (request, { orders }) => jsonResponse(200, await orders.get(pathId(request))),
  },
  {
    route: { method: "GET", path: "/orders/{id}/view" },
    handle: async (request, { readModel }) =>
      jsonResponse(200, await readModel.orderView(pathId(request))),
  },
  {
    route: { method: "GET", path: "/customers/{id}/stats" },
    handle: async (request, { readModel }) =>
      jsonResponse(200, await readModel.customerStats(pathId(request))),
  },
];
