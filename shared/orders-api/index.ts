/**
 * The orders API (API Gateway HTTP API, payload 2.0): its routes, derived from the order
 * commands, and the queries of the read model.
 *
 * @example
 * ```ts
 * const api = createOrderApi({ orders, readModel });
 * export const handler = middy((request) => api(request)).use(httpProblemDetails({ classify }));
 * ```
 */
export { placeOrderRoute, transitionRoute } from "./command-routes";
export {
  createOrderApi,
  type OrderApi,
  orderApiRouteDeclarations,
  orderApiRoutes,
} from "./order-api";
export {
  type OrderApiDependencies,
  type OrderApiRoute,
  pathId,
  routeKeyOf,
} from "./order-api-route";
export { queryRoutes } from "./query-routes";
