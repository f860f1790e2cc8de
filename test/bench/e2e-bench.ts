/**
 * End-to-end latency as a user feels it: the whole local system started as `npm start`
 * starts it, one client placing orders one after another, each timed from its HTTP request
 * to the moment its view answers. Prints figures; asserts nothing.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePorts } from "../support/second-broker";

/** What the end-to-end bench measured. */
export interface E2eFigures {
  readonly e2e_orders: number;
  readonly e2e_p50_ms: number;
  readonly e2e_p99_ms: number;
  readonly e2e_max_ms: number;
}

const POLL_MS = 10;
const VIEW_TIMEOUT_MS = 30_000;

/** The local system, started as `npm start` does, on a free HTTP port. */
class LocalSystem {
  readonly #process: ChildProcess;
  #output = "";

  constructor(port: number) {
    this.#process = spawn("npm", ["start"], {
      cwd: resolve(import.meta.dirname, "../.."),
      env: { ...process.env, LOCAL_HTTP_PORT: String(port), POWERTOOLS_LOG_LEVEL: "ERROR" },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer) => {
      this.#output += chunk.toString();
    };
    this.#process.stdout?.on("data", collect);
    this.#process.stderr?.on("data", collect);
  }

  /** The HTTP API's base URL, once the system printed that it is ready. */
  async ready(timeoutMs = 180_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!/ready in/.test(this.#output)) {
      if (Date.now() > deadline) throw new Error(`npm start did not get ready:\n${this.#output}`);
      await sleep(200);
    }
    return /http api\s+(\S+)/.exec(this.#output)?.[1] ?? "";
  }

  /** Stops the whole process group, as Ctrl-C would, and waits for it to close. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((done) => this.#process.once("close", () => done()));
    if (this.#process.pid !== undefined) process.kill(-this.#process.pid, "SIGINT");
    await closed;
  }
}

/** Milliseconds from placing one order to its view answering 200. */
const timeOneOrder = async (baseUrl: string, customerId: string): Promise<number> => {
  const started = performance.now();
  const placed = await fetch(`${baseUrl}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      customer_id: customerId,
      currency: "EUR",
      items: [{ sku: "A", quantity: 1, unit_price: "1.00" }],
    }),
  });
  const { order_id } = (await placed.json()) as { order_id: string };
  const deadline = Date.now() + VIEW_TIMEOUT_MS;
  while ((await fetch(`${baseUrl}/orders/${order_id}/view`)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`order ${order_id}'s view never appeared`);
    await sleep(POLL_MS);
  }
  return performance.now() - started;
};

const percentile = (sorted: readonly number[], fraction: number): number =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0);

/**
 * Starts the local system, times `orders` orders from HTTP request to view (one client, one
 * at a time, after one warm-up order), and stops the system.
 */
export const benchEndToEnd = async (options: { readonly orders: number }): Promise<E2eFigures> => {
  const [port] = await freePorts(1);
  const system = new LocalSystem(port ?? 0);
  try {
    const baseUrl = await system.ready();
    const customerId = `bench-${Date.now().toString(36)}`;
    await timeOneOrder(baseUrl, customerId);
    const times: number[] = [];
    for (let n = 0; n < options.orders; n += 1) times.push(await timeOneOrder(baseUrl, customerId));
    const sorted = [...times].sort((a, b) => a - b);
    return {
      e2e_orders: times.length,
      e2e_p50_ms: percentile(sorted, 0.5),
      e2e_p99_ms: percentile(sorted, 0.99),
      e2e_max_ms: Math.round(sorted.at(-1) ?? 0),
    };
  } finally {
    await system.stop();
  }
};
