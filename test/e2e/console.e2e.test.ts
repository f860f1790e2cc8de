/**
 * The console (docs/console.md) in a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core), against `npm start` as the README runs it and the demo's records: the
 * overview shows every declared function and mapping, a cancelled order's page its two
 * events, view and stats, a poison record is under dead letters with its reason and a dry
 * run lists it, and a trace id of the order page is in a function's logs. `npm start` runs on
 * a Kafka broker and a moto of its own (free ports, a temporary state folder; it starts and
 * stops them itself), so the pages show this run's records alone: another test's runtime on
 * the shared broker would join the same consumer groups, and a record redelivered after the
 * rebalance would be dead-lettered again. Each page is photographed into
 * CONSOLE_SCREENSHOTS_DIR (`.local/screenshots` unless set; the docs' pictures come from
 * `CONSOLE_SCREENSHOTS_DIR=docs/console`). Skipped, saying why, only
 * where no Chromium is installed (`infra/local/ensure-browser.sh` installs it when it can).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localServices, servicesDown } from "../../infra/local/services/local-services";
import {
  readServiceSettings,
  type ServiceSettings,
} from "../../infra/local/services/service-settings";
import { systemWiring } from "../../infra/wiring/system-wiring";
import { privateStartEnvironment } from "../support/private-start";

const ROOT = resolve(import.meta.dirname, "../..");
const SHOTS = resolve(ROOT, process.env.CONSOLE_SCREENSHOTS_DIR ?? ".local/screenshots");

const findChromium = (): string | undefined => {
  for (const candidate of [process.env.CHROMIUM_PATH, "chromium", "chromium-browser"]) {
    if (candidate === undefined || candidate === "") continue;
    try {
      return (
        execFileSync("sh", ["-c", `command -v "${candidate}"`], { encoding: "utf8" }).trim() ||
        undefined
      );
    } catch {
      // Not this one.
    }
  }
  return undefined;
};

const chromiumPath = findChromium();
if (chromiumPath === undefined) {
  console.warn(
    "console browser tests skipped: no Chromium (apt-get install chromium, or set CHROMIUM_PATH)",
  );
}

interface DemoReport {
  readonly malformedSent: readonly { label: string; partition: number; offset: number }[];
  readonly accounting: {
    readonly allAccounted: boolean;
    readonly orders: readonly {
      orderId: string;
      customerId: string;
      expected: { status: string };
    }[];
  };
}

let runtime: ChildProcess | undefined;
let stateDir: string | undefined;
/** The run's own broker and moto, as `npm start` reads them from its environment. */
let services: ServiceSettings | undefined;
let output = "";
let consoleUrl = "";
let demo: DemoReport;
let browser: Browser;
let page: Page;

const waitForOutput = async (pattern: RegExp, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(output)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${pattern}; output:\n${output}`);
    await new Promise((done) => setTimeout(done, 250));
  }
};

const shoot = (name: string) =>
  page.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: true });

describe.skipIf(chromiumPath === undefined)("the console in a real browser", () => {
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "console-e2e-"));
    const env = await privateStartEnvironment(stateDir);
    services = readServiceSettings(env);
    runtime = spawn("npm", ["start"], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    runtime.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    runtime.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    await waitForOutput(/ready in/, 120_000);
    consoleUrl = /console\s+(http\S+)/.exec(output)?.[1] ?? "";
    const report = execFileSync("npm", ["run", "-s", "demo", "--", "--json", "--orders", "8"], {
      cwd: ROOT,
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    demo = JSON.parse(report) as DemoReport;
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    try {
      if (runtime?.pid !== undefined) process.kill(-runtime.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
    // `npm start` stops the broker and moto it started, then says so; npm itself exits sooner.
    try {
      if (runtime !== undefined) await waitForOutput(/^stopped$/m, 60_000);
    } finally {
      // Also when it did not say so: none of this run's services stays behind.
      if (services !== undefined) await servicesDown(localServices(services));
      if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
    }
  }, 120_000);

  it("shows every declared function and every mapping on the overview", async () => {
    // Act
    await page.goto(`${consoleUrl}/`);

    // Assess
    const functions = page.getByRole("table", { name: "Functions" });
    for (const fn of systemWiring.functions) {
      await expect(
        functions.getByRole("link", { name: fn.name, exact: true }).count(),
      ).resolves.toBe(1);
    }
    const mappings = await page.getByRole("table", { name: "Mappings" }).textContent();
    for (const fn of systemWiring.functions.filter((each) => each.trigger !== undefined)) {
      expect(mappings).toContain(fn.name);
    }
    expect(mappings).toContain(
      `group ${systemWiring.functions.find((fn) => fn.trigger?.kind === "kafka")?.name}-v1`,
    );
    await shoot("overview");
  });

  it("draws a cancelled order's life: its two events, its view and its stats", async () => {
    // Prepare
    expect(demo.accounting.allAccounted).toBe(true);
    const cancelled = demo.accounting.orders.find((order) => order.expected.status === "CANCELLED");
    if (cancelled === undefined) throw new Error("the demo cancelled no order");

    // Act: enter the id as a user would
    await page.goto(`${consoleUrl}/orders`);
    await page.getByLabel("Order id").fill(cancelled.orderId);
    await page.getByRole("button", { name: "Show" }).press("Enter");
    await page.waitForURL(/\/orders\?id=/);

    // Assess: the console follows the topic as it grows, so its events may show a moment later.
    // The relay publishes at least once: a copy of an event may be on the topic too, and the
    // page marks it as one.
    const events = page.getByRole("table", { name: /Events on the topic/ });
    const firstRecords = events.locator("tbody tr:not(:has(td.empty)):not(:has(.copy))");
    const deadline = Date.now() + 20_000;
    while ((await firstRecords.count()) < 2 && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 500));
      await page.reload();
    }
    await expect(firstRecords.count()).resolves.toBe(2);
    const firstText = (await firstRecords.allTextContents()).join(" ");
    expect(firstText).toContain("OrderCreated");
    expect(firstText).toContain("OrderCancelled");
    const idsOf = (rows: typeof firstRecords) =>
      rows.locator("td:first-child code").allTextContents();
    const firstIds = await idsOf(firstRecords);
    expect(new Set(firstIds).size).toBe(2);
    for (const copied of await idsOf(events.locator("tbody tr:has(.copy)"))) {
      expect(firstIds).toContain(copied);
    }
    const life = await page
      .getByRole("region", { name: `Order ${cancelled.orderId}` })
      .textContent();
    expect(life).toMatch(/"status": "CANCELLED"/);
    expect(life).toContain(`"customer_id": "${cancelled.customerId}"`);
    expect(life).toMatch(/"orders_cancelled": [1-9]/);
    await shoot("order");
  });

  it("lists a poison record under dead letters with its reason, and a dry run lists it", async () => {
    // Prepare: the demo's record that is not JSON
    const notJson = demo.malformedSent.find((record) => record.label === "not JSON");
    if (notJson === undefined) throw new Error("the demo sent no 'not JSON' record");
    const source = `order-events-${notJson.partition}@${notJson.offset}`;

    // Act
    await page.goto(`${consoleUrl}/dead-letters`);

    // Assess: its row, with its reason
    const row = page
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name: source, exact: true }) });
    await expect(row.count()).resolves.toBe(1);
    const rowText = await row.textContent();
    expect(rowText).toContain("undecodable");
    expect(rowText).toMatch(/not JSON/i);
    await shoot("dead-letters");

    // Act: select it alone, then the dry run
    const id = (await row.getByRole("link").textContent()) ?? "";
    await page.goto(`${consoleUrl}/dead-letters?id=${encodeURIComponent(id)}`);
    await page.getByRole("button", { name: /Dry run/ }).click();

    // Assess
    const moved = await page.getByRole("table", { name: "What would move" }).textContent();
    expect(moved).toContain(id);
    expect(moved).toContain("would-redrive");
    await expect(page.getByRole("status").textContent()).resolves.toContain("nothing was moved");
  });

  it("shows, in a function's logs, a trace id that the order page shows", async () => {
    // Prepare: the trace id of the order's first outbox item (the request that placed it)
    const order = demo.accounting.orders[0];
    if (order === undefined) throw new Error("the demo placed no order");
    await page.goto(`${consoleUrl}/orders?id=${order.orderId}`);
    const traceId =
      (await page
        .getByRole("table", { name: /Outbox items|Events on the topic/ })
        .first()
        .locator("code.trace")
        .first()
        .textContent()) ?? "";
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    // Act: the orders API's logs, filtered by that trace id
    await page.goto(`${consoleUrl}/logs`);
    await page.getByLabel("Function").selectOption("orders-api");
    await page.getByLabel("Trace id").fill(traceId);
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/trace=/);

    // Assess
    const logs = page.getByRole("table", { name: /log lines of orders-api/ });
    await expect(logs.locator("tbody tr code.trace").first().textContent()).resolves.toBe(traceId);
    expect(await logs.textContent()).toContain("Request answered");
    await shoot("logs");

    // Act: the logs of the consumer that applied the order's OrderCreated, by the same trace
    // (the level in lower case, as `npm run logs -- --level` also takes it)
    await page.goto(`${consoleUrl}/logs?function=order-created&level=info&trace=${traceId}`);

    // Assess
    const consumerLogs = page.getByRole("table", { name: /log lines of order-created/ });
    expect(await consumerLogs.textContent()).toContain("Event applied");
    await expect(page.getByLabel("Level").inputValue()).resolves.toBe("INFO");
  });

  it("draws the wiring with live counts", async () => {
    // Act
    await page.goto(`${consoleUrl}/diagram`);

    // Assess: a box per function, and the relay's edge counting its invocations
    const picture = page.getByRole("img", { name: /The wiring/ });
    const text = await picture.textContent();
    for (const fn of systemWiring.functions) expect(text).toContain(fn.name);
    const edges = await page.getByRole("table", { name: "Edges" }).textContent();
    expect(edges).toMatch(/table:orders\s*function:outbox-relay\s*trigger\s*[1-9]\d* invocations/);
    await shoot("diagram");
  });
});
