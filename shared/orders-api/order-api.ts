/**
 * The orders API's route table: every command's route (from the command registry) and the
 * query routes. The function serves exactly these, and the wiring declares exactly these to
 * API Gateway and the local HTTP API, so a route cannot exist in one and not the other.
 *
 * @example
 * ```ts
 * const api = createOrderApi({ orders, readModel });
 * await api(request); // the route's response; RouteNotFoundError for a route not in the table
 * ```
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { RouteNotFoundError } from "../http/http-errors";
import { type ApiRoute, orderTransitions } from "../orders/commands";
import { placeOrderRoute, transitionRoute } from "./command-routes";
import { type OrderApiDependencies, type OrderApiRoute, routeKeyOf } from "./order-api-route";
import { queryRoutes } from "./query-routes";

/** Every route of the orders API, commands first. */
export const orderApiRoutes: readonly OrderApiRoute[] = [
  placeOrderRoute,
  ...Object.values(orderTransitions).map((command) => transitionRoute(command)),
  ...queryRoutes,
];

/** The routes as the wiring declares them (method and path). */
export const orderApiRouteDeclarations: readonly ApiRoute[] = orderApiRoutes.map(
  ({ route }) => route,
);

/** Handles one request: the response of its route. */
export type OrderApi = (
  request: APIGatewayProxyEventV2,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The API over its dependencies: finds the request's route by its `routeKey`.
 *
 * @throws RouteNotFoundError - for a route key not in {@link orderApiRoutes}
 */
export const createOrderApi = (dependencies: OrderApiDependencies): OrderApi => {
  const table = new Map(orderApiRoutes.map((route) => [routeKeyOf(route.route), route]));
  return (request) => {
    const route = table.get(request.routeKey);
    if (route === undefined) throw new RouteNotFoundError(`No route ${request.routeKey}`);
    return route.handle(request, dependencies);
  };
};
