/**
 * The whole system end to end, started the way the README says (`npm start`): 200 orders
 * through the HTTP API with mixed commands reach their final views and exact customer
 * stats; malformed records sent straight to Kafka end in the dead-letter topic with their
 * reason; nothing is lost and nothing applied twice; SIGTERM stops everything. Every answer of
 * the HTTP API is checked against its OpenAPI document, which it serves at `GET /openapi.json`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inParallel } from "../../infra/local/demo/in-parallel";
import { ORDER_EVENTS_DLQ_TOPIC, ORDER_EVENTS_TOPIC } from "../../infra/wiring/system-wiring";
import { readDeadLetter } from "../../shared/dead-letters";
import { moneyEquals, multiplyMoney, sumMoney } from "../../shared/events";
import { orderApiSpecification } from "../../shared/orders-api/order-api-specification";
import { FICTIONAL_EVENT_TYPE } from "../support/fictional-event-type";
import { freePorts } from "../support/free-ports";
import { readTopic, testKafkaClient } from "../support/kafka-topics";
import { uniqueName } from "../support/local-endpoints";
import { OpenApiResponses } from "../support/openapi-responses";

const ORDERS = 200;
const run = uniqueName("e2e");
const customers = Array.from({ length: 8 }, (_, n) => `${run}-cus-${n}`);
let runtime: ChildProcess;
let output = "";
let baseUrl = "";

const waitFor = async <T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 250));
  }
};

const specification = new OpenApiResponses();

/** One request to the running API; its answer must be one the OpenAPI document allows. */
const http = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  specification.check(specification.routeKeyOf(method, path) ?? `${method} ${path}`, {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: text,
  });
  return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
};

beforeAll(async () => {
  const [port, consolePort, lambdaPort] = await freePorts(3);
  runtime = spawn("npm", ["start"], {
    cwd: resolve(import.meta.dirname, "../.."),
    env: {
      ...process.env,
      LOCAL_HTTP_PORT: String(port),
      LOCAL_CONSOLE_PORT: String(consolePort),
      LOCAL_LAMBDA_PORT: String(lambdaPort),
      POWERTOOLS_LOG_LEVEL: "WARN",
    },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  runtime.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  runtime.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitFor(
    "the runtime to print ready",
    async () => (/ready in/.test(output) ? true : undefined),
    120_000,
  );
  baseUrl = /http api\s+(\S+)/.exec(output)?.[1] ?? "";
  console.log(output.split("\n").find((line) => line.includes("ready in")));
}, 150_000);

afterAll(() => {
  // Whatever a failed test left running goes; after a clean stop the group is already gone.
  try {
    if (runtime.pid !== undefined) process.kill(-runtime.pid, "SIGKILL");
  } catch {
    // No process left in the group.
  }
});

describe("the local system, end to end", () => {
  it("serves its OpenAPI document, generated from the route table, at GET /openapi.json", async () => {
    // Act
    const response = await fetch(`${baseUrl}/openapi.json`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(orderApiSpecification())));
  });

  it("takes 200 orders with mixed commands to exact final views and stats, and dead-letters malformed records", async () => {
    // Prepare: what each order will end as
    const plans = Array.from({ length: ORDERS }, (_, n) => ({
      customer: customers[n % customers.length] as string,
      items: [
        { sku: `SKU-${n % 7}`, quantity: 1 + (n % 3), unit_price: `${(n % 5) + 1}.25` },
        { sku: "SKU-X", quantity: 1, unit_price: "0.10" },
      ],
      fate: (["ship", "cancel", "keep"] as const)[n % 3],
    }));

    // Act: create, then ship or cancel, then try a command the rules refuse
    const created = await inParallel(plans, 8, async (plan) => {
      const response = await http("POST", "/orders", {
        customer_id: plan.customer,
        currency: "EUR",
        items: plan.items,
      });
      expect(response.status).toBe(201);
      return { ...plan, orderId: String(response.body.order_id) };
    });
    await inParallel(created, 8, async (order) => {
      if (order.fate === "ship") {
        expect(
          (
            await http("POST", `/orders/${order.orderId}/ship`, {
              carrier: "DHL",
              tracking_number: `T-${order.orderId}`,
            })
          ).status,
        ).toBe(200);
        expect(
          (await http("POST", `/orders/${order.orderId}/cancel`, { reason: "too late" })).status,
        ).toBe(409);
      }
      if (order.fate === "cancel") {
        expect(
          (await http("POST", `/orders/${order.orderId}/cancel`, { reason: "changed mind" }))
            .status,
        ).toBe(200);
      }
    });
    const producer = testKafkaClient().producer();
    await producer.connect();
    const poisonKeys = [`${run}-not-json`, `${run}-unknown-type`, `${run}-no-type`];
    await producer.send({
      topic: ORDER_EVENTS_TOPIC,
      messages: [
        { key: poisonKeys[0], value: "this is not json" },
        {
          key: poisonKeys[1],
          value: JSON.stringify({
            event_type: FICTIONAL_EVENT_TYPE,
            event_id: crypto.randomUUID(),
          }),
        },
        { key: poisonKeys[2], value: JSON.stringify({ hello: "world" }) },
      ],
    });
    await producer.disconnect();

    // Assess: every view reaches its final state
    await waitFor(
      "every view to reach its final state",
      async () => {
        const views = await inParallel(
          created,
          8,
          async (order) => (await http("GET", `/orders/${order.orderId}/view`)).body,
        );
        const done = views.every((view, index) => {
          const order = created[index];
          const expected =
            order?.fate === "ship" ? "SHIPPED" : order?.fate === "cancel" ? "CANCELLED" : "CREATED";
          return view.status === expected && view.version === (order?.fate === "keep" ? 1 : 2);
        });
        return done ? true : undefined;
      },
      180_000,
    );

    // Assess: stats are exact, so nothing was applied twice and nothing lost
    for (const customer of customers) {
      const mine = created.filter((order) => order.customer === customer);
      const total = (order: (typeof mine)[number]) =>
        sumMoney(order.items.map((item) => multiplyMoney(item.unit_price, item.quantity)));
      const expectedValue = sumMoney(mine.filter((order) => order.fate !== "cancel").map(total));
      const stats = (await http("GET", `/customers/${customer}/stats`)).body;
      expect(stats).toMatchObject({
        customer_id: customer,
        orders_placed: mine.length,
        orders_shipped: mine.filter((order) => order.fate === "ship").length,
        orders_cancelled: mine.filter((order) => order.fate === "cancel").length,
      });
      const values = stats.lifetime_value as Record<string, string> | undefined;
      expect(Object.keys(values ?? {})).toEqual(["EUR"]);
      expect(moneyEquals(String(values?.EUR), expectedValue)).toBe(true);
    }

    // Assess: the malformed records are in the dead-letter topic with their reasons
    const deadLetters = await waitFor(
      "the malformed records in the dead-letter topic",
      async () => {
        const mine = (await readTopic(ORDER_EVENTS_DLQ_TOPIC))
          .map((record) => readDeadLetter(record))
          .filter((letter) => poisonKeys.includes(letter.original.key?.toString() ?? ""));
        return mine.length >= poisonKeys.length ? mine : undefined;
      },
      60_000,
    );
    expect(deadLetters.map((letter) => letter.original.key?.toString()).sort()).toEqual(
      [...poisonKeys].sort(),
    );
    expect(
      deadLetters
        .find((letter) => letter.original.key?.toString() === poisonKeys[0])
        ?.original.value?.toString(),
    ).toBe("this is not json");
    for (const letter of deadLetters) expect(letter.failure.errorMessage.length).toBeGreaterThan(0);
  }, 400_000);

  it("stops cleanly on Ctrl-C, leaving no process behind", async () => {
    // Act: Ctrl-C signals the whole foreground process group, as a terminal does
    const closed = new Promise<void>((done) => runtime.once("close", () => done()));
    if (runtime.pid !== undefined) process.kill(-runtime.pid, "SIGINT");
    await closed;

    // Assess: the runtime said it stopped, and no process of its group is left
    expect(output).toContain("SIGINT: stopping the local runtime");
    expect(output).toContain("stopped");
    const groupAlive = () => {
      try {
        process.kill(-(runtime.pid ?? 0), 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(
      "the process group to be gone",
      async () => (groupAlive() ? undefined : true),
      10_000,
    );
  }, 60_000);
});
