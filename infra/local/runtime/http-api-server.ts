/**
 * The local HTTP API: a Node HTTP server on 127.0.0.1 that does what API Gateway HTTP API
 * does for the declared routes — matches the route, invokes the function with a payload 2.0
 * event, and maps its result back — with API Gateway's own answers for what never reaches a
 * function: 404 for an unknown route, 413 above 10 MB, 500 when the function fails, 503 when
 * it times out. Beside the routes it serves the orders API's OpenAPI document at
 * `GET /openapi.json`, generated from the route table when the server starts (the declared
 * routes are that table's), so it always describes the code that runs.
 *
 * @example
 * ```ts
 * const server = await startHttpApi({ port: 3000, routes, invoke: (target, event) => hosts.get(target).invoke(event) });
 * await server.close();
 * ```
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { orderApiSpecification } from "../../../shared/orders-api/order-api-specification";
import type { InvocationOutcome } from "./function-host";
import { fromApiGatewayResult, toApiGatewayEvent } from "./http-api-event";
import { type CompiledRoute, compileRoutes, type DeclaredRoute, matchRoute } from "./http-routes";

/** API Gateway's request payload limit. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** Where the API's OpenAPI document is served (a `GET`, beside the declared routes). */
export const OPENAPI_PATH = "/openapi.json";

/** A listening local HTTP API. */
export interface HttpApi {
  /** `http://<address>:<port>`, the port chosen when 0 was asked for. */
  readonly url: string;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

const readBody = (request: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    request.on("end", () => resolve(size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks)));
    request.on("error", reject);
  });

const answer = (response: ServerResponse, status: number, message: string, requestId: string) => {
  response.writeHead(status, { "content-type": "application/json", "apigw-requestid": requestId });
  response.end(JSON.stringify({ message }));
};

/** The routes the API serves, and where it sends their requests. */
export interface HttpApiOptions {
  /** 127.0.0.1 unless given. */
  readonly host?: string;
  /** 0 for any free port. */
  readonly port: number;
  readonly routes: readonly DeclaredRoute[];
  readonly invoke: (target: string, event: unknown) => Promise<InvocationOutcome>;
  readonly log: (line: string) => void;
}

/** Starts listening; resolves once the server accepts requests. */
export const startHttpApi = async (options: HttpApiOptions): Promise<HttpApi> => {
  const routes = compileRoutes(options.routes);
  const served = { routes, specification: JSON.stringify(orderApiSpecification()) };
  const server = createServer((request, response) => {
    serve(request, response, served, options).catch((error: unknown) => {
      options.log(`http: ${String(error)}`);
      if (!response.headersSent) answer(response, 500, "Internal Server Error", "none");
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

/** One request: matched, read, passed to its function, answered. */
const serve = async (
  request: IncomingMessage,
  response: ServerResponse,
  served: { readonly routes: readonly CompiledRoute[]; readonly specification: string },
  options: HttpApiOptions,
): Promise<void> => {
  const method = request.method ?? "GET";
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (method === "GET" && path === OPENAPI_PATH) {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(served.specification);
    return;
  }
  const match = matchRoute(served.routes, method, path);
  const body = await readBody(request);
  if (match === undefined) return answer(response, 404, "Not Found", "none");
  if (body === undefined) return answer(response, 413, "Request Entity Too Large", "none");
  const event = toApiGatewayEvent({
    method,
    url: request.url ?? "/",
    headers: request.headers,
    body,
    sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
    match,
  });
  const requestId = event.requestContext.requestId;
  const outcome = await options.invoke(match.target, event);
  if (!outcome.ok) {
    const { errorType, errorMessage } = outcome.error;
    options.log(`${match.target}: ${match.routeKey} failed (${errorType}: ${errorMessage})`);
    const timedOut = errorType === "Sandbox.Timedout";
    const message = timedOut ? "Service Unavailable" : "Internal Server Error";
    return answer(response, timedOut ? 503 : 500, message, requestId);
  }
  const result = fromApiGatewayResult(outcome.value);
  response.writeHead(result.statusCode, { ...result.headers, "apigw-requestid": requestId });
  response.end(result.body);
};
