/**
 * One route of the orders API: where it is (method and path, as API Gateway HTTP API
 * declares it) and what it does with a request. Routes get their dependencies when called,
 * so the list of routes is plain data the wiring can read without building any client.
 *
 * @example
 * ```ts
 * const getOrder: OrderApiRoute = {
 *   route: { method: "GET", path: "/orders/{id}" },
 *   handle: async (request, { orders }) => jsonResponse(200, await orders.get(pathId(request))),
 * };
 * ```
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { ApiRoute } from "../orders/commands";
import type { OrderService } from "../orders/order-service";
import type { ReadModelQueries } from "../read-model/read-model-queries";

/** What the routes work with: the write side's commands and the read model's queries. */
export interface OrderApiDependencies {
  readonly orders: OrderService;
  readonly readModel: ReadModelQueries;
}

/** A route and its handling of one API Gateway HTTP API (payload 2.0) request. */
export interface OrderApiRoute {
  readonly route: ApiRoute;
  handle(
    request: APIGatewayProxyEventV2,
    dependencies: OrderApiDependencies,
  ): Promise<APIGatewayProxyStructuredResultV2>;
}

/**
 * The route key API Gateway puts in `routeKey`.
 *
 * @example
 * ```ts
 * routeKeyOf({ method: "POST", path: "/orders" }); // "POST /orders"
 * ```
 */
export const routeKeyOf = (route: ApiRoute): string => `${route.method} ${route.path}`;

/** The `{id}` of the route's path: an order or customer id, empty when missing. */
export const pathId = (request: APIGatewayProxyEventV2): string => request.pathParameters?.id ?? "";
