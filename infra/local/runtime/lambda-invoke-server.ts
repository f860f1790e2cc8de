/**
 * The local Lambda Invoke endpoint, as `sam local start-lambda` offers: Lambda's
 * `POST /2015-03-31/functions/{name}/invocations` on 127.0.0.1 for every hosted function,
 * invoked through the same function host as the rest of the runtime, answered as Lambda
 * does — 200 and the payload; a failed invocation 200 with `X-Amz-Function-Error: Unhandled`
 * and `{errorType, errorMessage, trace}`; an unknown function 404 `ResourceNotFoundException`.
 * A Lambda SDK client with `AWS_ENDPOINT_URL_LAMBDA` pointed here works unchanged.
 *
 * @example
 * ```ts
 * const server = await LambdaInvokeServer.start({ port: 3002, invoke: (name, event) => hosts.get(name)?.invoke(event) });
 * await server.close();
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { InvocationOutcome } from "./function-host";

/** Lambda's synchronous invocation payload limit. */
export const MAX_INVOKE_PAYLOAD_BYTES = 6 * 1024 * 1024;

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** Where the endpoint listens and how it reaches a function. */
export interface LambdaInvokeServerOptions {
  /** 127.0.0.1 unless given. */
  readonly host?: string;
  /** 0 for any free port. */
  readonly port: number;
  /** Invokes the function by name; undefined when there is no such function. */
  readonly invoke: (name: string, event: unknown) => Promise<InvocationOutcome> | undefined;
  readonly log: (line: string) => void;
}

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });

const json = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void => {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body ?? null));
};

/** Lambda's error body for what never reached a function. */
const serviceError = (response: ServerResponse, status: number, type: string, message: string) =>
  json(response, status, { Type: "User", message }, { "x-amzn-errortype": type });

/** A listening local Lambda Invoke endpoint. */
export class LambdaInvokeServer {
  readonly #server: Server;
  /** `http://<address>:<port>`, the port chosen when 0 was asked for. */
  readonly url: string;

  private constructor(server: Server) {
    this.#server = server;
    const address = server.address() as AddressInfo;
    this.url = `http://${address.address}:${address.port}`;
  }

  /** Starts listening; resolves once the endpoint accepts requests. */
  static async start(options: LambdaInvokeServerOptions): Promise<LambdaInvokeServer> {
    const server = createServer((request, response) => {
      serve(request, response, options).catch((error: unknown) => {
        options.log(`lambda invoke: ${String(error)}`);
        if (!response.headersSent) serviceError(response, 500, "ServiceException", String(error));
        else response.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host ?? "127.0.0.1", resolve);
    });
    return new LambdaInvokeServer(server);
  }

  /** Stops listening and closes every connection. */
  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}

/** One Invoke request: parsed, passed to its function, answered as Lambda answers. */
const serve = async (
  request: IncomingMessage,
  response: ServerResponse,
  options: LambdaInvokeServerOptions,
): Promise<void> => {
  const match = INVOKE_PATH.exec(new URL(request.url ?? "/", "http://local").pathname);
  if (request.method !== "POST" || match === null) {
    serviceError(response, 404, "ResourceNotFoundException", "only Invoke is served here");
    return;
  }
  const name = decodeURIComponent(match[1] ?? "");
  const body = await readBody(request);
  if (body.length > MAX_INVOKE_PAYLOAD_BYTES) {
    serviceError(response, 413, "RequestTooLargeException", "request payload above 6 MB");
    return;
  }
  let event: unknown;
  try {
    event = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch {
    serviceError(response, 400, "InvalidRequestContentException", "payload is not JSON");
    return;
  }
  const invocation = options.invoke(name, event);
  if (invocation === undefined) {
    serviceError(response, 404, "ResourceNotFoundException", `Function not found: ${name}`);
    return;
  }
  const outcome = await invocation;
  const headers = { "x-amz-executed-version": "$LATEST", "x-amzn-requestid": outcome.requestId };
  if (outcome.ok) {
    json(response, 200, outcome.value, headers);
    return;
  }
  const { errorType, errorMessage, stackTrace } = outcome.error;
  json(
    response,
    200,
    { errorType, errorMessage, trace: stackTrace ?? [] },
    { ...headers, "x-amz-function-error": "Unhandled" },
  );
};
