/**
 * The proxy's side towards moto: a request forwarded as received and its answer read whole,
 * and each table's key schema asked for once.
 *
 * @example
 * ```ts
 * const moto = httpUpstream("http://127.0.0.1:4566");
 * const answer = await moto.forward({ method: "POST", path: "/", headers, body });
 * ```
 */
import { Agent, type IncomingHttpHeaders, type IncomingMessage, request } from "node:http";
import type { KeySchemaOf } from "./dynamodb-items";

/**
 * A request as the proxy received it, its body read whole.
 *
 * @example
 * ```ts
 * const received: ReceivedRequest = { method: "POST", path: "/", headers: incoming.headers, body };
 * ```
 */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * An answer read whole.
 *
 * @example
 * ```ts
 * const { status, headers, body } = await moto.forward(received);
 * ```
 */
export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * moto, seen from the proxy.
 *
 * @example
 * ```ts
 * const names = await moto.keySchemaOf(received.headers)("order-read-model"); // ["pk", "sk"]
 * ```
 */
export interface HttpUpstream {
  forward(received: ReceivedRequest): Promise<UpstreamAnswer>;
  /** Key schemas, asked with the caller's authorization (moto's account and region). */
  keySchemaOf(headers: IncomingHttpHeaders): KeySchemaOf;
  close(): void;
}

/**
 * Reads a request's or an answer's body whole.
 *
 * @example
 * ```ts
 * const body = await readBody(incoming);
 * ```
 */
export const readBody = async (incoming: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/**
 * Parses JSON, `undefined` when the body is none.
 *
 * @example
 * ```ts
 * parseJson(Buffer.from("{}")); // {}
 * ```
 */
export const parseJson = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
};

interface DescribeTableOutput {
  readonly Table?: { readonly KeySchema?: readonly { AttributeName: string; KeyType: string }[] };
}

const hashKeyFirst = (schema: DescribeTableOutput["Table"]): string[] | undefined => {
  const keys = schema?.KeySchema;
  if (keys === undefined) return undefined;
  const hash = keys.filter(({ KeyType }) => KeyType === "HASH");
  const range = keys.filter(({ KeyType }) => KeyType !== "HASH");
  return [...hash, ...range].map(({ AttributeName }) => AttributeName);
};

const forwardTo = (target: URL, agent: Agent, received: ReceivedRequest): Promise<UpstreamAnswer> =>
  new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        method: received.method,
        path: received.path,
        headers: { ...received.headers, host: target.host },
        agent,
      },
      (incoming) => {
        readBody(incoming).then(
          (body) =>
            resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body }),
          reject,
        );
      },
    );
    outgoing.once("error", reject);
    outgoing.end(received.body);
  });

/** Asks for a table's key schema, each table's once; a failure is not kept (the table may come). */
const keySchemaCache = (forward: HttpUpstream["forward"]) => {
  const known = new Map<string, readonly string[]>();
  return (headers: IncomingHttpHeaders): KeySchemaOf =>
    async (table) => {
      const cached = known.get(table);
      if (cached !== undefined) return cached;
      const { status, body } = await forward({
        method: "POST",
        path: "/",
        headers: {
          ...(headers.authorization === undefined ? {} : { authorization: headers.authorization }),
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": "DynamoDB_20120810.DescribeTable",
        },
        body: Buffer.from(JSON.stringify({ TableName: table })),
      });
      const names =
        status === 200 ? hashKeyFirst((parseJson(body) as DescribeTableOutput)?.Table) : undefined;
      if (names !== undefined) known.set(table, names);
      return names;
    };
};

/**
 * The upstream at `endpoint`.
 *
 * @example
 * ```ts
 * const moto = httpUpstream(awsClientConfig.endpoint);
 * ```
 */
export const httpUpstream = (endpoint: string): HttpUpstream => {
  const target = new URL(endpoint);
  // moto answers HTTP/1.0 and closes each connection: none is worth keeping.
  const agent = new Agent({ keepAlive: false });
  const forward = (received: ReceivedRequest) => forwardTo(target, agent, received);
  return { forward, keySchemaOf: keySchemaCache(forward), close: () => agent.destroy() };
};
