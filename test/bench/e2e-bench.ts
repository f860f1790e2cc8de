/**
 * End-to-end latency as a user feels it: the whole local system (the runtime `npm start`
 * starts, in this process, on a free HTTP port), `clients` clients each placing orders one
 * after another, each timed from its HTTP request to the first read of its view that answers
 * 200, and broken down by stage (see `e2e-stages`). Prints figures; asserts nothing.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { startLocalRuntime } from "../../infra/local/runtime/local-runtime";
import { readRuntimeSettings } from "../../infra/local/runtime/runtime-settings";
import { readServiceSettings } from "../../infra/local/services/service-settings";
import { systemWiring } from "../../infra/wiring/system-wiring";
import { freePorts } from "../support/free-ports";
import { type BatchCount, STAGES, StageClock, type StageName } from "./e2e-stages";

/** p50 and p99 of a set of durations, in milliseconds. */
export interface Percentiles {
  readonly p50_ms: number;
  readonly p99_ms: number;
}

/** What one end-to-end run measured. */
export interface E2eFigures extends Percentiles {
  readonly clients: number;
  readonly orders: number;
  readonly max_ms: number;
  readonly stages: Record<StageName, Percentiles>;
  /** Each triggered function's invocations and records during the load (warm-ups included). */
  readonly batches: Record<string, BatchCount>;
}

const POLL_MS = 20;
const VIEW_TIMEOUT_MS = 30_000;

const percentile = (sorted: readonly number[], fraction: number): number =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0);

const percentilesOf = (values: readonly number[]): Percentiles => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50_ms: percentile(sorted, 0.5), p99_ms: percentile(sorted, 0.99) };
};

/**
 * Places one order and marks its moments: the request, the 201, and the first read of its
 * view that answers 200. The client reads the view once the consumer that writes it ended
 * (then every 20 ms until it answers), so polling adds no load and no delay of its own.
 */
const placeOneOrder = async (clock: StageClock, baseUrl: string, customerId: string) => {
  const requested = Date.now();
  const placed = await fetch(`${baseUrl}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      customer_id: customerId,
      currency: "EUR",
      items: [{ sku: "A", quantity: 1, unit_price: "1.00" }],
    }),
  });
  if (placed.status !== 201) throw new Error(`POST /orders answered ${placed.status}`);
  const { order_id: orderId } = (await placed.json()) as { order_id: string };
  clock.mark(orderId, "requested", requested);
  clock.mark(orderId, "created", Date.now());
  await clock.viewWritten(orderId, VIEW_TIMEOUT_MS);
  const deadline = Date.now() + VIEW_TIMEOUT_MS;
  while ((await fetch(`${baseUrl}/orders/${orderId}/view`)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`order ${orderId}'s view never answered 200`);
    await sleep(POLL_MS);
  }
  clock.mark(orderId, "viewRead", Date.now());
  return orderId;
};

/** `clients` clients, `ordersEach` orders each (after one warm-up order each), their figures. */
const runClients = async (
  clock: StageClock,
  baseUrl: string,
  options: { readonly clients: number; readonly ordersEach: number },
): Promise<E2eFigures> => {
  const run = Date.now().toString(36);
  clock.takeBatches();
  const client = async (n: number): Promise<string[]> => {
    const customerId = `bench-${run}-${n}`;
    await placeOneOrder(clock, baseUrl, customerId);
    const orders: string[] = [];
    for (let k = 0; k < options.ordersEach; k += 1) {
      orders.push(await placeOneOrder(clock, baseUrl, customerId));
    }
    return orders;
  };
  const orders = (
    await Promise.all(Array.from({ length: options.clients }, (_, n) => client(n)))
  ).flat();
  const batches = clock.takeBatches();
  const measured = orders.map((orderId) => clock.stagesOf(orderId));
  const totals = measured.map(({ total }) => total);
  const stages = Object.fromEntries(
    Object.keys(STAGES).map((name) => [
      name,
      percentilesOf(measured.map(({ stages: each }) => each[name as StageName])),
    ]),
  ) as Record<StageName, Percentiles>;
  return {
    clients: options.clients,
    orders: orders.length,
    ...percentilesOf(totals),
    max_ms: Math.round(Math.max(...totals)),
    stages,
    batches,
  };
};

/**
 * Starts the local system, runs each load in turn (e.g. one client, then 16), and stops it.
 *
 * @example
 * ```ts
 * const [one, sixteen] = await benchEndToEnd([{ clients: 1, ordersEach: 40 }, { clients: 16, ordersEach: 10 }]);
 * ```
 */
export const benchEndToEnd = async (
  loads: readonly { readonly clients: number; readonly ordersEach: number }[],
): Promise<E2eFigures[]> => {
  const [port] = await freePorts(1);
  const services = readServiceSettings(process.env);
  const settings = readRuntimeSettings(
    { ...process.env, LOCAL_HTTP_PORT: String(port ?? 0), POWERTOOLS_LOG_LEVEL: "ERROR" },
    services,
  );
  const clock = new StageClock();
  const runtime = await startLocalRuntime({
    wiring: systemWiring,
    settings,
    services,
    log: () => {},
    onTriggerInvocation: clock.observe,
  });
  try {
    const baseUrl = runtime.httpUrl;
    if (baseUrl === undefined) throw new Error("the wiring declares no HTTP routes");
    const figures: E2eFigures[] = [];
    for (const load of loads) figures.push(await runClients(clock, baseUrl, load));
    return figures;
  } finally {
    await runtime.stop();
  }
};
