/**
 * A fault-injecting HTTP proxy between AWS SDK clients and moto, speaking DynamoDB's JSON 1.0
 * protocol: every request is forwarded to moto unless a rule answers it first with one of
 * DynamoDB's own errors (`dynamoErrorAnswer`), delays it, or drops its connection. Rules pick
 * operations by `X-Amz-Target` and fire always, at a seeded rate, or a number of times
 * (`dynamodb-fault-rules.ts`).
 *
 * Conflict mode brings back what moto cannot show. moto serves one request at a time, so no
 * two transactions ever overlap there, while DynamoDB cancels a `TransactWriteItems` that
 * touches an item of a transaction in progress (`TransactionConflict` for that item) and
 * refuses a `PutItem`/`UpdateItem`/`DeleteItem` of such an item
 * (`TransactionConflictException`). The proxy knows which transactions are in progress (sent
 * on to moto and not answered yet) and answers as DynamoDB would. Without conflict mode it
 * only counts those overlaps, so a test can tell that they happened.
 *
 * Counts are read with `counts()`, or over HTTP at `GET <endpoint>/__faults/counts`.
 *
 * @example
 * ```ts
 * const proxy = await startDynamoFaultProxy({ upstream: "http://127.0.0.1:4566", conflicts: true });
 * const client = new DynamoDBClient({ ...awsClientConfig, endpoint: proxy.endpoint });
 * // ... run the system ...
 * proxy.counts().conflictsInjected; // 17
 * await proxy.close();
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { dynamoErrorAnswer, type HttpAnswer } from "./dynamodb-errors";
import {
  type DynamoFaultKind,
  type DynamoFaultRule,
  type FaultRules,
  faultRules,
} from "./dynamodb-fault-rules";
import { ITEM_WRITE_OPERATIONS, requestTables, writeCount, writtenItems } from "./dynamodb-items";
import {
  type HttpUpstream,
  httpUpstream,
  parseJson,
  type ReceivedRequest,
  readBody,
  type UpstreamAnswer,
} from "./http-upstream";
import { type InFlightItems, inFlightItems } from "./in-flight-items";

export type { DynamoFaultKind, DynamoFaultRule } from "./dynamodb-fault-rules";

/**
 * How to start a {@link DynamoFaultProxy}.
 *
 * @example
 * ```ts
 * const options: DynamoFaultProxyOptions = { upstream: "http://127.0.0.1:4566", conflicts: true };
 * ```
 */
export interface DynamoFaultProxyOptions {
  /** moto's endpoint, e.g. `http://127.0.0.1:4566`. */
  readonly upstream: string;
  /** Where to listen; `127.0.0.1` and a free port by default. */
  readonly host?: string;
  readonly port?: number;
  readonly rules?: readonly DynamoFaultRule[];
  /** Answer overlapping writes of one item as DynamoDB does (see the module's comment). */
  readonly conflicts?: boolean;
  /** Seed of the rates' random draws: the same seed, the same faults. */
  readonly seed?: number;
}

/**
 * What the proxy saw and did.
 *
 * @example
 * ```ts
 * const { forwarded, injected, conflictsInjected } = proxy.counts();
 * ```
 */
export interface DynamoFaultCounts {
  /** Requests received (the counts endpoint's own excepted). */
  readonly requests: number;
  /** Requests sent on to moto. */
  readonly forwarded: number;
  readonly byOperation: Readonly<Record<string, number>>;
  /** Faults injected by rules, by kind. */
  readonly injected: Readonly<Partial<Record<DynamoFaultKind, number>>>;
  /** Writes that arrived while a transaction in progress held one of their items. */
  readonly sameItemOverlaps: number;
  /** The same, per item held (`<table>:<hash>/<range>`). */
  readonly overlapsByItem: Readonly<Record<string, number>>;
  /** Overlaps answered as conflicts (conflict mode). */
  readonly conflictsInjected: number;
  /** Transactions in progress right now. */
  readonly inFlightTransactions: number;
}

/**
 * A running proxy.
 *
 * @example
 * ```ts
 * proxy.setRules([{ kind: "ThrottlingException", operations: ["TransactWriteItems"], times: 1 }]);
 * ```
 */
export interface DynamoFaultProxy {
  /** Where to point `AWS_ENDPOINT_URL` or a client's `endpoint`. */
  readonly endpoint: string;
  setRules(rules: readonly DynamoFaultRule[]): void;
  setConflicts(enabled: boolean): void;
  counts(): DynamoFaultCounts;
  close(): Promise<void>;
}

/** A request as received, with its operation. */
interface Received extends ReceivedRequest {
  readonly operation: string;
}

const COUNTS_PATH = "/__faults/counts";

const operationOf = (headers: IncomingMessage["headers"]): string => {
  const target = headers["x-amz-target"];
  const text = Array.isArray(target) ? target[0] : target;
  return text?.split(".").pop() ?? "";
};

const bump = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

const answer = (response: ServerResponse, { status, headers, body }: HttpAnswer): void => {
  response.writeHead(status, { ...headers, "content-length": Buffer.byteLength(body) });
  response.end(body);
};

const relayAnswer = (response: ServerResponse, upstream: UpstreamAnswer): void => {
  // The body was read whole: it goes out with its length, not in moto's framing.
  const { connection: _c, "transfer-encoding": _t, ...headers } = upstream.headers;
  response.writeHead(upstream.status, { ...headers, "content-length": upstream.body.length });
  response.end(upstream.body);
};

class DynamoFaultProxyServer {
  readonly #upstream: HttpUpstream;
  readonly #rules: FaultRules;
  readonly #held: InFlightItems = inFlightItems();
  #conflicts: boolean;
  #requests = 0;
  #forwarded = 0;
  #sameItemOverlaps = 0;
  #conflictsInjected = 0;
  readonly #byOperation: Record<string, number> = {};
  readonly #overlapsByItem: Record<string, number> = {};

  constructor(options: DynamoFaultProxyOptions) {
    this.#upstream = httpUpstream(options.upstream);
    this.#rules = faultRules(options.rules ?? [], { seed: options.seed ?? 1 });
    this.#conflicts = options.conflicts ?? false;
  }

  readonly setRules = (rules: readonly DynamoFaultRule[]) => this.#rules.replace(rules);

  setConflicts(enabled: boolean): void {
    this.#conflicts = enabled;
  }

  counts(): DynamoFaultCounts {
    return {
      requests: this.#requests,
      forwarded: this.#forwarded,
      byOperation: { ...this.#byOperation },
      injected: this.#rules.injected(),
      sameItemOverlaps: this.#sameItemOverlaps,
      overlapsByItem: { ...this.#overlapsByItem },
      conflictsInjected: this.#conflictsInjected,
      inFlightTransactions: this.#held.transactions,
    };
  }

  close(): void {
    this.#upstream.close();
  }

  async serve(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(incoming);
    const path = incoming.url ?? "/";
    if (path.startsWith(COUNTS_PATH)) {
      const counts = JSON.stringify(this.counts());
      answer(response, {
        status: 200,
        headers: { "content-type": "application/json" },
        body: counts,
      });
      return;
    }
    const { headers } = incoming;
    const received = {
      method: incoming.method ?? "POST",
      path,
      headers,
      body,
      operation: operationOf(headers),
    };
    this.#requests += 1;
    bump(this.#byOperation, received.operation);
    await this.#handle(received, response);
  }

  async #handle(received: Received, response: ServerResponse): Promise<void> {
    const tables = requestTables(received.operation, parseJson(received.body));
    const { latencyMs, fault } = this.#rules.decide(received.operation, tables);
    if (fault !== undefined && fault.afterForwarding !== true) {
      if (latencyMs > 0) await sleep(latencyMs);
      this.#inject(fault, received, response);
      return;
    }
    const release = await this.#meetTransactions(received, response);
    if (release === undefined) return;
    try {
      // The delay holds the transaction's items, as a slow transaction holds them in DynamoDB.
      if (latencyMs > 0) await sleep(latencyMs);
      this.#forwarded += 1;
      const upstream = await this.#upstream.forward(received);
      release();
      if (fault === undefined) relayAnswer(response, upstream);
      else this.#inject(fault, received, response);
    } finally {
      release();
    }
  }

  /** Answers with the rule's fault: one of DynamoDB's errors, or a connection dropped unanswered. */
  #inject(rule: DynamoFaultRule, received: Received, response: ServerResponse): void {
    if (rule.kind === "Drop" || rule.kind === "Latency") {
      response.socket?.destroy();
      return;
    }
    const items = writeCount(received.operation, parseJson(received.body));
    const context = { operation: received.operation, items, conflicting: rule.conflicting };
    answer(response, dynamoErrorAnswer(rule.kind, context));
  }

  /**
   * Checks the request's items against the transactions in progress: counts an overlap, and
   * in conflict mode answers it (resolving `undefined`). Otherwise resolves the release of
   * what the request holds until moto answered (a transaction's items; nothing for others).
   */
  async #meetTransactions(
    received: Received,
    response: ServerResponse,
  ): Promise<(() => void) | undefined> {
    if (!ITEM_WRITE_OPERATIONS.has(received.operation)) return () => undefined;
    const body = parseJson(received.body);
    const items = await writtenItems(
      received.operation,
      body,
      this.#upstream.keySchemaOf(received.headers),
    );
    const overlapping = this.#held.held(items);
    if (overlapping.length > 0) {
      this.#sameItemOverlaps += 1;
      for (const index of overlapping) bump(this.#overlapsByItem, items[index] as string);
      if (this.#conflicts) {
        this.#conflictsInjected += 1;
        const context = {
          operation: received.operation,
          items: items.length,
          conflicting: overlapping,
        };
        answer(response, dynamoErrorAnswer("TransactionConflict", context));
        return undefined;
      }
    }
    return received.operation === "TransactWriteItems" ? this.#held.hold(items) : () => undefined;
  }
}

const listen = (server: Server, port: number, host: string): Promise<AddressInfo> =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });

/**
 * Starts a proxy in front of `options.upstream`; resolves once it listens.
 *
 * @example
 * ```ts
 * const proxy = await startDynamoFaultProxy({
 *   upstream: awsClientConfig.endpoint,
 *   rules: [{ kind: "ThrottlingException", operations: ["TransactWriteItems"], rate: 0.2 }],
 *   seed: 7,
 * });
 * ```
 */
export const startDynamoFaultProxy = async (
  options: DynamoFaultProxyOptions,
): Promise<DynamoFaultProxy> => {
  const proxy = new DynamoFaultProxyServer(options);
  const server = createServer((incoming, response) => {
    proxy.serve(incoming, response).catch(() => {
      // moto unreachable, or the caller gone: the connection ends unanswered, as a reset.
      response.socket?.destroy();
    });
  });
  const { address, port } = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");
  return {
    endpoint: `http://${address}:${port}`,
    setRules: proxy.setRules,
    setConflicts: (enabled) => proxy.setConflicts(enabled),
    counts: () => proxy.counts(),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      proxy.close();
    },
  };
};
