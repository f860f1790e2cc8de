/**
 * A fault-injecting TCP proxy between Kafka clients and one broker. It reads the protocol's
 * frames as they pass (`kafka-protocol.ts`), so a rule can name an API: hold the responses of
 * `Produce` requests past the client's request timeout, or cut the connection as a request
 * arrives (it never reaches the broker) or as its response comes back (the broker did the
 * work, the client never hears). Responses leave in the order the broker sent them, as on a
 * real connection: one held response holds those behind it.
 *
 * Kafka clients connect to the addresses the cluster advertises, not to the bootstrap
 * address they were given; a plain TCP proxy would be bypassed after the first metadata
 * request. This proxy rewrites the broker addresses of `Metadata` and `FindCoordinator`
 * responses that name its upstream broker to its own address, so every connection a client
 * opens goes through it, against any broker, the shared one included (no broker of its own,
 * no second JVM). One proxy fronts one broker: a cluster of several would need one proxy per
 * broker, each rewriting its own.
 *
 * @example
 * ```ts
 * const proxy = await startKafkaFaultProxy({ upstream: "127.0.0.1:9092" });
 * proxy.setRules([{ kind: "delay-response", api: "Produce", delayMs: 1_500, times: 1 }]);
 * const settings = readKafkaSettings({ KAFKA_BROKERS: proxy.endpoint });
 * ```
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import {
  apiName,
  correlationIdOf,
  frameReader,
  KAFKA_API_KEYS,
  type KafkaApiName,
  type RequestHeader,
  requestHeaderOf,
  rewriteAddresses,
} from "./kafka-protocol";

export type { KafkaApiName } from "./kafka-protocol";

/**
 * One fault rule, for the requests of one API; the first rule that applies decides.
 *
 * - `delay-response`: the response is held `delayMs` before it goes on;
 * - `cut-request`: the connection is closed as the request arrives, unforwarded;
 * - `cut-response`: the request is forwarded, and the connection closed when its response
 *   arrives: the broker did it, the client never hears.
 *
 * @example
 * ```ts
 * const rule: KafkaFaultRule = { kind: "cut-response", api: "Produce", times: 1 };
 * ```
 */
export interface KafkaFaultRule {
  readonly kind: "delay-response" | "cut-request" | "cut-response";
  readonly api: KafkaApiName;
  /** `delay-response`: how long. */
  readonly delayMs?: number;
  /** Applies at most this many times; without limit when absent. */
  readonly times?: number;
}

/**
 * How to start a {@link KafkaFaultProxy}.
 *
 * @example
 * ```ts
 * const options: KafkaFaultProxyOptions = { upstream: "127.0.0.1:9092", port: 19092 };
 * ```
 */
export interface KafkaFaultProxyOptions {
  /** The broker, as it advertises itself (`host:port`). */
  readonly upstream: string;
  /** Where to listen; `127.0.0.1` and a free port by default. */
  readonly host?: string;
  readonly port?: number;
  readonly rules?: readonly KafkaFaultRule[];
}

/**
 * What the proxy saw and did.
 *
 * @example
 * ```ts
 * proxy.counts().delayedResponses; // 1
 * ```
 */
export interface KafkaFaultCounts {
  readonly connections: number;
  readonly openConnections: number;
  /** Requests by API name. */
  readonly requests: Readonly<Record<string, number>>;
  readonly delayedResponses: number;
  readonly cutRequests: number;
  readonly cutResponses: number;
  /** Connections cut by `cutAll`. */
  readonly cutConnections: number;
  /** Responses whose broker addresses now name the proxy. */
  readonly rewrittenResponses: number;
}

/**
 * A running proxy.
 *
 * @example
 * ```ts
 * proxy.cutAll(); // every open connection closed, as a network blip would
 * ```
 */
export interface KafkaFaultProxy {
  /** `host:port`, for `KAFKA_BROKERS`. */
  readonly endpoint: string;
  setRules(rules: readonly KafkaFaultRule[]): void;
  /** Closes every open connection now. */
  cutAll(): void;
  counts(): KafkaFaultCounts;
  close(): Promise<void>;
}

/** What was decided for a request, kept until its response comes back. */
interface Pending {
  readonly header: RequestHeader;
  readonly delayMs: number;
  readonly cutResponse: boolean;
}

const splitAddress = (address: string): { host: string; port: number } => {
  const separator = address.lastIndexOf(":");
  return { host: address.slice(0, separator), port: Number(address.slice(separator + 1)) };
};

const listen = (server: Server, port: number, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : port);
    });
  });

class KafkaFaultProxyServer {
  readonly #upstream: { host: string; port: number };
  readonly #self: { host: string; port: number };
  /** Open connections: each a client's socket and its socket to the broker. */
  readonly #connections = new Set<readonly [Socket, Socket]>();
  readonly #fired = new Map<KafkaFaultRule, number>();
  #rules: readonly KafkaFaultRule[];
  readonly #counts = {
    connections: 0,
    delayedResponses: 0,
    cutRequests: 0,
    cutResponses: 0,
    cutConnections: 0,
    rewrittenResponses: 0,
  };
  readonly #requests: Record<string, number> = {};

  constructor(
    upstream: string,
    self: { host: string; port: number },
    rules: readonly KafkaFaultRule[],
  ) {
    this.#upstream = splitAddress(upstream);
    this.#self = self;
    this.#rules = rules;
  }

  setRules(rules: readonly KafkaFaultRule[]): void {
    this.#rules = [...rules];
  }

  counts(): KafkaFaultCounts {
    const openConnections = this.#connections.size;
    return { ...this.#counts, openConnections, requests: { ...this.#requests } };
  }

  cutAll(): void {
    this.#counts.cutConnections += this.#connections.size;
    for (const pair of this.#connections) for (const socket of pair) socket.destroy();
  }

  /** Pipes one client connection to a new connection to the broker, frame by frame. */
  accept(client: Socket): void {
    this.#counts.connections += 1;
    const broker = createConnection(this.#upstream);
    const pair = [client, broker] as const;
    this.#connections.add(pair);
    // Either side ending ends both, as one TCP connection through a middlebox would.
    const cut = () => {
      this.#connections.delete(pair);
      for (const socket of pair) socket.destroy();
    };
    for (const socket of pair) {
      socket.once("close", cut);
      socket.on("error", cut);
    }
    const pending = new Map<number, Pending>();
    const requests = frameReader();
    client.on("data", (chunk: Buffer) => {
      for (const frame of requests.push(chunk)) this.#request(frame, pending, broker, cut);
    });
    const responses = frameReader();
    let released: Promise<unknown> = Promise.resolve();
    broker.on("data", (chunk: Buffer) => {
      for (const frame of responses.push(chunk)) {
        released = this.#respond(frame, pending, released, client, cut);
      }
    });
  }

  #request(frame: Buffer, pending: Map<number, Pending>, broker: Socket, cut: () => void): void {
    const header = requestHeaderOf(frame);
    const name = apiName(header.apiKey);
    this.#requests[name] = (this.#requests[name] ?? 0) + 1;
    const rule = this.#ruleFor(header.apiKey);
    if (rule?.kind === "cut-request") {
      this.#counts.cutRequests += 1;
      cut();
      return;
    }
    const delayMs = rule?.kind === "delay-response" ? (rule.delayMs ?? 0) : 0;
    pending.set(header.correlationId, {
      header,
      delayMs,
      cutResponse: rule?.kind === "cut-response",
    });
    broker.write(frame);
  }

  /** Sends a response on after the ones before it, held or rewritten as decided. */
  #respond(
    frame: Buffer,
    pending: Map<number, Pending>,
    before: Promise<unknown>,
    client: Socket,
    cut: () => void,
  ): Promise<unknown> {
    const id = correlationIdOf(frame);
    const request = pending.get(id);
    pending.delete(id);
    if (request?.cutResponse === true) {
      this.#counts.cutResponses += 1;
      cut();
      return before;
    }
    const outgoing = request === undefined ? frame : this.#rewrite(frame, request.header);
    const releaseAt = performance.now() + (request?.delayMs ?? 0);
    if ((request?.delayMs ?? 0) > 0) this.#counts.delayedResponses += 1;
    return before.then(async () => {
      const wait = releaseAt - performance.now();
      if (wait > 0) await sleep(wait);
      if (!client.destroyed) client.write(outgoing);
    });
  }

  #rewrite(frame: Buffer, header: RequestHeader): Buffer {
    const { host, port } = this.#upstream;
    const rewritten = rewriteAddresses(frame, header, (advertisedHost, advertisedPort) =>
      advertisedHost === host && advertisedPort === port ? this.#self : undefined,
    );
    if (rewritten === undefined) return frame;
    this.#counts.rewrittenResponses += 1;
    return rewritten;
  }

  #ruleFor(apiKey: number): KafkaFaultRule | undefined {
    for (const rule of this.#rules) {
      if (KAFKA_API_KEYS[rule.api] !== apiKey) continue;
      const fired = this.#fired.get(rule) ?? 0;
      if (rule.times !== undefined && fired >= rule.times) continue;
      this.#fired.set(rule, fired + 1);
      return rule;
    }
    return undefined;
  }
}

/**
 * Starts a proxy in front of the broker `options.upstream`; resolves once it listens.
 *
 * @example
 * ```ts
 * const proxy = await startKafkaFaultProxy({ upstream: kafkaBrokers[0] });
 * ```
 */
export const startKafkaFaultProxy = async (
  options: KafkaFaultProxyOptions,
): Promise<KafkaFaultProxy> => {
  const host = options.host ?? "127.0.0.1";
  let proxy: KafkaFaultProxyServer | undefined;
  const server = createServer((client) => proxy?.accept(client));
  const port = await listen(server, options.port ?? 0, host);
  const started = new KafkaFaultProxyServer(options.upstream, { host, port }, options.rules ?? []);
  proxy = started;
  return {
    endpoint: `${host}:${port}`,
    setRules: (rules) => started.setRules(rules),
    cutAll: () => started.cutAll(),
    counts: () => started.counts(),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      started.cutAll();
      await closed;
    },
  };
};
