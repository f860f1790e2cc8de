/**
 * A sample API Gateway HTTP API (payload 2.0) request for a declared route, as the local HTTP
 * API builds it (`runtime/http-api-event.ts`): the path with its parameters filled, and for a
 * route with a request body schema, a valid JSON body built from it. A path parameter after
 * `customers/` is the sample's customer, any other the sample's order, unless given.
 *
 * @example
 * ```ts
 * httpSampleEvent(ids, { route: "POST /orders/{id}/ship", target: "orders-api", orderId, ... });
 * ```
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { orderEventTypes } from "../../../shared/orders/order-events";
import { orderApiRoutes } from "../../../shared/orders-api";
import { routeKeyOf } from "../../../shared/orders-api/order-api-route";
import type { HttpRoute } from "../../wiring/types";
import { toApiGatewayEvent } from "../runtime/http-api-event";
import { compileRoutes, matchRoute } from "../runtime/http-routes";
import { fieldExamples, requestBodySample } from "./request-body-sample";
import type { SampleIds } from "./sample-ids";
import { sampleOrderEvents } from "./sample-order-events";

/** One request to sample. */
export interface HttpSampleRequest {
  readonly route: HttpRoute;
  /** The function that serves the route. */
  readonly target: string;
  readonly orderId: string;
  readonly customerId: string;
  /** Path parameters given by name; the others are filled as above. */
  readonly parameters: Readonly<Record<string, string>>;
}

/** The path with every `{name}` filled. */
const filledPath = (request: HttpSampleRequest): string =>
  request.route.path.replaceAll(/([^/]*)\/\{([^}]+)\}/g, (_, before: string, name: string) => {
    const value =
      request.parameters[name] ?? (before === "customers" ? request.customerId : request.orderId);
    return `${before}/${encodeURIComponent(value)}`;
  });

/** The route's body, if its request has a schema: valid against it. */
const bodyOf = (ids: SampleIds, request: HttpSampleRequest, where: string): string | undefined => {
  const spec = orderApiRoutes.find((route) => routeKeyOf(route.route) === where);
  const schema = spec?.request?.body?.schema;
  if (schema === undefined) return undefined;
  const events = sampleOrderEvents(ids, {
    types: orderEventTypes,
    records: orderEventTypes.length,
  });
  const examples = fieldExamples(events.map((event) => event.data));
  examples.set("customer_id", request.customerId);
  return JSON.stringify(
    requestBodySample(schema, { examples, uuid: (field) => ids.uuid(field), at: ids.at, where }),
  );
};

/** The payload 2.0 event of the request; its request id and time come from the seed. */
export const httpSampleEvent = (
  ids: SampleIds,
  request: HttpSampleRequest,
): APIGatewayProxyEventV2 => {
  const routeKey = `${request.route.method} ${request.route.path}`;
  const path = filledPath(request);
  const routes = compileRoutes([{ ...request.route, target: request.target }]);
  const match = matchRoute(routes, request.route.method, path);
  if (match === undefined) throw new Error(`${routeKey}: the filled path ${path} does not match`);
  const body = bodyOf(ids, request, routeKey);
  const event = toApiGatewayEvent({
    method: request.route.method,
    url: path,
    headers: {
      accept: "application/json",
      host: "localhost:3000",
      "user-agent": "npm-run-event",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: Buffer.from(body ?? ""),
    sourceIp: "127.0.0.1",
    match,
  });
  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      requestId: ids.uuid(`request-${routeKey}`),
      time: ids.at.toUTCString(),
      timeEpoch: ids.at.getTime(),
    },
  };
};
