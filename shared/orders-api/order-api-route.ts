/**
 * One route of the orders API: where it is (method and path, as API Gateway HTTP API
 * declares it), what it takes and answers (its request body's schema, its success response's
 * shape, the problems it may answer with: what the OpenAPI document is generated from), and
 * what it does with a request. Routes get their dependencies when called, so the list of
 * routes is plain data the wiring and the API specification read without building any client.
 *
 * @example
 * ```ts
 * const getOrder: OrderApiRoute = {
 *   route: { method: "GET", path: "/orders/{id}" },
 *   operationId: "getOrder",
 *   summary: "An order's state",
 *   responses: {
 *     success: { status: 200, description: "The order", body: orderResponse },
 *     problems: { 404: "Order not found", ...serviceProblems },
 *   },
 *   handle: async (request, { orders }) => jsonResponse(200, await orders.get(pathId(request))),
 * };
 * ```
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type * as z from "zod/mini";
import type { ApiRoute } from "../orders/commands";
import type { OrderService } from "../orders/order-service";
import type { ReadModelQueries } from "../read-model/read-model-queries";

/** What the routes work with: the write side's commands and the read model's queries. */
export interface OrderApiDependencies {
  readonly orders: OrderService;
  readonly readModel: ReadModelQueries;
}

/** A schema with the name it has among the API specification's components. */
export interface NamedSchema {
  /** e.g. "Order": unique within the API, PascalCase. */
  readonly name: string;
  readonly schema: z.core.$ZodType;
}

/** What a route takes beside its path: its JSON body and the request headers it reads. */
export interface RouteRequest {
  /** The body's schema, as the route validates it (what a client sends). */
  readonly body?: NamedSchema;
  /** Optional request headers the route reads, by name, each with its description. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The success response of a route and the problems (RFC 9457) it may answer with. */
export interface RouteResponses {
  readonly success: {
    readonly status: number;
    readonly description: string;
    /** The JSON body's schema, as the route produces it. */
    readonly body: NamedSchema;
    /** Response headers beside `x-request-id`, by name, each with its description. */
    readonly headers?: Readonly<Record<string, string>>;
  };
  /** Each error status the route may answer with problem details, with what it means. */
  readonly problems: Readonly<Record<number, string>>;
}

/** A route and its handling of one API Gateway HTTP API (payload 2.0) request. */
export interface OrderApiRoute {
  readonly route: ApiRoute;
  /** Names the operation in the API specification, e.g. "shipOrder". */
  readonly operationId: string;
  /** One line on what the route does. */
  readonly summary: string;
  /** Descriptions of the path's parameters, by name (`{id}` -> "The order's id"). */
  readonly pathParameters?: Readonly<Record<string, string>>;
  readonly request?: RouteRequest;
  readonly responses: RouteResponses;
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
