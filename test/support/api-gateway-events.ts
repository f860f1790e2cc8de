/**
 * API Gateway HTTP API (payload 2.0) events as API Gateway sends them, built from a real
 * event's fixture: the route key, path, path parameters, headers and body vary.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

const template: APIGatewayProxyEventV2 = JSON.parse(
  readFileSync(join(import.meta.dirname, "../fixtures/api-gateway-v2-event.json"), "utf8"),
);

let requestCounter = 0;

export interface HttpRequest {
  /** e.g. "POST /orders/{id}/ship" */
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  readonly body?: unknown;
}

export const apiGatewayEvent = (request: HttpRequest): APIGatewayProxyEventV2 => {
  const [method = "GET", pathTemplate = "/"] = request.routeKey.split(" ");
  const path = Object.entries(request.pathParameters ?? {}).reduce(
    (current, [name, value]) => current.replace(`{${name}}`, encodeURIComponent(value)),
    pathTemplate,
  );
  const body =
    request.body === undefined
      ? undefined
      : typeof request.body === "string"
        ? request.body
        : JSON.stringify(request.body);
  requestCounter += 1;
  return {
    ...template,
    routeKey: request.routeKey,
    rawPath: path,
    headers: {
      ...template.headers,
      "content-length": String(Buffer.byteLength(body ?? "")),
      ...request.headers,
    },
    ...(request.pathParameters === undefined ? {} : { pathParameters: request.pathParameters }),
    ...(body === undefined ? {} : { body }),
    requestContext: {
      ...template.requestContext,
      http: { ...template.requestContext.http, method, path },
      requestId: `test-request-${requestCounter}`,
      routeKey: request.routeKey,
    },
  };
};
