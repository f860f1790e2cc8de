/**
 * The orders API as the demo uses it, over plain HTTP like any client: place, ship and
 * cancel orders, read an order's view and a customer's stats (404 means "not there yet").
 * A command without an answer or with a server error is repeated a few times: placing an
 * order carries an `Idempotency-Key`, so a repeat answers the first order instead of making
 * a second; a repeated ship or cancel answered 409 looks whether the first attempt applied.
 *
 * @example
 * ```ts
 * const client = ordersClient("http://127.0.0.1:3000");
 * await client.probe(); // LocalRuntimeNotRunningError when nothing answers
 * const order = await client.placeOrder(planned);
 * ```
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { PlannedOrder } from "./demo-plan";
import {
  type ApiOrder,
  apiOrderSchema,
  type CustomerStats,
  customerStatsSchema,
  type OrderView,
  orderViewSchema,
} from "./read-model-views";

/** Nothing answers HTTP where the local runtime should be. */
export class LocalRuntimeNotRunningError extends Error {
  override readonly name = "LocalRuntimeNotRunningError";

  constructor(readonly baseUrl: string) {
    super(
      `Nothing answers at ${baseUrl}. Start the local system with \`npm start\` (in another terminal), wait for its "ready" line, then run \`npm run demo\` again. (LOCAL_HTTP_PORT sets the port of both.)`,
    );
  }
}

/** The API answered something a correct system does not answer this request. */
export class UnexpectedResponseError extends Error {
  override readonly name = "UnexpectedResponseError";

  constructor(
    readonly request: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${request} answered ${status}: ${body.slice(0, 500)}`);
  }
}

/** The orders API's commands and reads that the demo and the chaos run use. */
export interface OrdersClient {
  /** Resolves when the API answers at all (any status); rejects when nothing listens. */
  probe(): Promise<void>;
  /**
   * `idempotencyKey`: a new one by default; the same one again (after a failure whose effect
   * is unknown) answers the first order instead of placing a second.
   */
  placeOrder(
    order: Pick<PlannedOrder, "customerId" | "currency" | "items">,
    idempotencyKey?: string,
  ): Promise<ApiOrder>;
  shipOrder(
    orderId: string,
    shipment: { carrier: string; tracking_number: string },
  ): Promise<ApiOrder>;
  cancelOrder(orderId: string, reason: string): Promise<ApiOrder>;
  /** The order as the orders table holds it (`GET /orders/{id}`); `undefined` when none. */
  order(orderId: string): Promise<ApiOrder | undefined>;
  /** `undefined` until the read model has the order (404). */
  orderView(orderId: string): Promise<OrderView | undefined>;
  /** `undefined` until the read model has the customer (404). */
  customerStats(customerId: string): Promise<CustomerStats | undefined>;
}

/** Above the orders API's own timeout, so the runtime answers (even with an error) first. */
const REQUEST_TIMEOUT_MS = 30_000;
const ATTEMPTS = 4;

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** No answer, or an answer that says the server failed: the command may be worth repeating. */
const isRetryable = (status: number | undefined): boolean => status === undefined || status >= 500;

interface CommandRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  readonly expectedStatus: number;
  /**
   * After a failed attempt whose effect is unknown, a later 409 may mean that attempt did
   * apply: this looks and returns the order when it did.
   */
  readonly recover?: () => Promise<ApiOrder | undefined>;
}

/** What one attempt of a command got: no status when nothing answered in time. */
interface Attempt {
  readonly status: number | undefined;
  readonly text: string;
}

/** The {@link OrdersClient} over `fetch`, with repeats of commands as the module says. */
class HttpOrdersClient implements OrdersClient {
  readonly #baseUrl: string;

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl;
  }

  async probe(): Promise<void> {
    try {
      const response = await this.#send("GET", `/orders/demo-probe-${randomUUID()}`);
      await response.body?.cancel();
    } catch {
      throw new LocalRuntimeNotRunningError(this.#baseUrl);
    }
  }

  // The Idempotency-Key makes a repeated POST answer the first one's order: no duplicate.
  placeOrder(
    order: Pick<PlannedOrder, "customerId" | "currency" | "items">,
    idempotencyKey: string = randomUUID(),
  ): Promise<ApiOrder> {
    return this.#command({
      method: "POST",
      path: "/orders",
      body: { customer_id: order.customerId, currency: order.currency, items: order.items },
      headers: { "idempotency-key": idempotencyKey },
      expectedStatus: 201,
    });
  }

  shipOrder(
    orderId: string,
    shipment: { carrier: string; tracking_number: string },
  ): Promise<ApiOrder> {
    return this.#command({
      method: "POST",
      path: `/orders/${encodeURIComponent(orderId)}/ship`,
      body: shipment,
      expectedStatus: 200,
      recover: () => this.#orderIn(orderId, "SHIPPED"),
    });
  }

  cancelOrder(orderId: string, reason: string): Promise<ApiOrder> {
    return this.#command({
      method: "POST",
      path: `/orders/${encodeURIComponent(orderId)}/cancel`,
      body: { reason },
      expectedStatus: 200,
      recover: () => this.#orderIn(orderId, "CANCELLED"),
    });
  }

  order(orderId: string): Promise<ApiOrder | undefined> {
    return this.#query(`/orders/${encodeURIComponent(orderId)}`, apiOrderSchema);
  }

  orderView(orderId: string): Promise<OrderView | undefined> {
    return this.#query(`/orders/${encodeURIComponent(orderId)}/view`, orderViewSchema);
  }

  customerStats(customerId: string): Promise<CustomerStats | undefined> {
    return this.#query(`/customers/${encodeURIComponent(customerId)}/stats`, customerStatsSchema);
  }

  #send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return fetch(`${this.#baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  }

  /** Sends the command up to `ATTEMPTS` times, pausing longer after each failed attempt. */
  async #command(request: CommandRequest): Promise<ApiOrder> {
    const name = `${request.method} ${request.path}`;
    let uncertain = false;
    for (let attempt = 1; ; attempt += 1) {
      const { status, text } = await this.#attempt(request, attempt >= ATTEMPTS);
      if (status === request.expectedStatus) return apiOrderSchema.parse(JSON.parse(text));
      if (status === 409 && uncertain && request.recover !== undefined) {
        const recovered = await request.recover();
        if (recovered !== undefined) return recovered;
      }
      if (!isRetryable(status) || attempt >= ATTEMPTS) {
        throw new UnexpectedResponseError(name, status ?? 0, text);
      }
      // A 503 wrote nothing; a timeout or a 500 may have written: the next 409 gets a look.
      uncertain ||= status !== 503;
      await pause(500 * attempt);
    }
  }

  /** One attempt; a failure to get an answer rejects only on the `last` attempt. */
  async #attempt(request: CommandRequest, last: boolean): Promise<Attempt> {
    let status: number | undefined;
    let text = "";
    try {
      const response = await this.#send(
        request.method,
        request.path,
        request.body,
        request.headers,
      );
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (last) throw error;
    }
    return { status, text };
  }

  /** A read; 404 (not projected yet), a server error or no answer all mean "not yet". */
  async #query<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S> | undefined> {
    let response: Response;
    try {
      response = await this.#send("GET", path);
    } catch {
      return undefined;
    }
    const text = await response.text();
    if (response.status === 200) return schema.parse(JSON.parse(text));
    if (response.status === 404 || isRetryable(response.status)) return undefined;
    throw new UnexpectedResponseError(`GET ${path}`, response.status, text);
  }

  async #orderIn(orderId: string, status: string): Promise<ApiOrder | undefined> {
    const order = await this.#query(`/orders/${encodeURIComponent(orderId)}`, apiOrderSchema);
    return order?.status === status ? order : undefined;
  }
}

/**
 * The orders API at `baseUrl` (e.g. `http://127.0.0.1:3000`, no trailing slash). Each request
 * gives up after `REQUEST_TIMEOUT_MS`; commands are repeated as the module's comment says.
 */
export const ordersClient = (baseUrl: string): OrdersClient => new HttpOrdersClient(baseUrl);
