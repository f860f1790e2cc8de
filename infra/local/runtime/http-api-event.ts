/**
 * Converts between a Node HTTP request/response and API Gateway HTTP API payload 2.0: the
 * event Lambda receives (route key, raw path and query, lower-cased headers, cookies, path
 * and query parameters, body as text or base64, request context) and the result it returns
 * (a structured result, or any other value served as JSON with status 200).
 *
 * @example
 * ```ts
 * const event = toApiGatewayEvent({ method, url, headers, body, sourceIp, match });
 * const response = fromApiGatewayResult(result);
 * ```
 */
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { RouteMatch } from "./http-routes";
import { isJsonObject } from "./is-json-object";

const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|[a-z.+-]+\+(json|xml)))/i;

/** What the local server received, and the route it matched. */
export interface HttpRequestParts {
  readonly method: string;
  /** Path and query, as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly match: RouteMatch;
}

const joined = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(",") : value;

/** The payload 2.0 event API Gateway would pass for the request. */
export const toApiGatewayEvent = (request: HttpRequestParts): APIGatewayProxyEventV2 => {
  const url = new URL(request.url, "http://localhost");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const text = joined(value);
    if (text !== undefined && name !== "cookie") headers[name.toLowerCase()] = text;
  }
  const query: Record<string, string> = {};
  for (const name of new Set(url.searchParams.keys()))
    query[name] = url.searchParams.getAll(name).join(",");
  const cookies = request.headers.cookie?.split(/;\s*/).filter((cookie) => cookie.length > 0);
  const isText = TEXT_TYPES.test(headers["content-type"] ?? "");
  const now = new Date();
  return {
    version: "2.0",
    routeKey: request.match.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ""),
    ...(cookies === undefined || cookies.length === 0 ? {} : { cookies }),
    headers,
    ...(Object.keys(query).length === 0 ? {} : { queryStringParameters: query }),
    ...(Object.keys(request.match.pathParameters).length === 0
      ? {}
      : { pathParameters: request.match.pathParameters }),
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: (headers.host ?? "localhost").split(".")[0] ?? "localhost",
      http: {
        method: request.method.toUpperCase(),
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: request.match.routeKey,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length === 0
      ? {}
      : { body: isText ? request.body.toString("utf8") : request.body.toString("base64") }),
    isBase64Encoded: request.body.length > 0 && !isText,
  };
};

/** What the local server sends back. */
export interface HttpResponseParts {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/** Payload 2.0 result rules: a value without `statusCode` is JSON served with status 200. */
export const fromApiGatewayResult = (result: unknown): HttpResponseParts => {
  if (!isJsonObject(result) || typeof result.statusCode !== "number") {
    return {
      statusCode: 200,
      headers: { "content-type": "application/json" },
      body: Buffer.from(typeof result === "string" ? result : JSON.stringify(result ?? null)),
    };
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(isJsonObject(result.headers) ? result.headers : {})) {
    headers[name.toLowerCase()] = String(value);
  }
  if (Array.isArray(result.cookies)) headers["set-cookie"] = result.cookies.map(String);
  const text = typeof result.body === "string" ? result.body : "";
  return {
    statusCode: result.statusCode,
    headers,
    body: result.isBase64Encoded === true ? Buffer.from(text, "base64") : Buffer.from(text, "utf8"),
  };
};
