/**
 * docs/developer-tools.md ("Hot reload"): `reload()` retires a function's sandboxes between
 * invocations. An idle sandbox stops at once; a busy one finishes its invocation, then stops;
 * the next invocation cold-starts a new sandbox. Real sandbox processes (the scripted test
 * function), no mocks.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it, type TestContext } from "vitest";
import { createFunctionHost, type FunctionHost } from "../../../infra/local/runtime/function-host";
import type { Script } from "../../fixtures/functions/scripted-handler";
import { testScratchDirectory } from "../../support/scratch-directory";

const SCRIPTED_HANDLER = resolve(
  import.meta.dirname,
  "../../fixtures/functions/scripted-handler.ts",
);
const LOGGING_HANDLER = resolve(import.meta.dirname, "../../fixtures/functions/logging-handler.ts");

interface Scripted {
  readonly host: FunctionHost;
  /** The pid of each invocation's sandbox, in order. */
  pids(): number[];
}

const scripted = (test: TestContext, script: Script, maxConcurrency = 1): Scripted => {
  const dir = testScratchDirectory(test, "host-reload");
  const recordFile = join(dir, "invocations.jsonl");
  const scriptFile = join(dir, "script.json");
  writeFileSync(scriptFile, JSON.stringify(script));
  const host = createFunctionHost({
    name: "scripted",
    entry: SCRIPTED_HANDLER,
    environment: { RECORD_FILE: recordFile, SCRIPT_FILE: scriptFile },
    timeoutSeconds: 20,
    maxConcurrency,
    logFile: join(dir, "function.log"),
  });
  test.onTestFinished(() => host.stop());
  const pids = () => {
    try {
      return readFileSync(recordFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { pid: number }).pid);
    } catch {
      return [];
    }
  };
  return { host, pids };
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const waitFor = async (what: string, probe: () => boolean): Promise<void> => {
  const deadline = Date.now() + 20_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
};

describe("a function host's reload (docs/developer-tools.md, Hot reload)", {
  timeout: 60_000,
}, () => {
  it("stops an idle sandbox at once; the next invocation cold-starts a new one", async (ctx) => {
    const { expect } = ctx;
    // Prepare: one warm sandbox
    const fn = scripted(ctx, { action: "succeed" });
    expect((await fn.host.invoke({})).ok).toBe(true);
    const [warm = 0] = fn.pids();

    // Act
    fn.host.reload();

    // Assess
    await waitFor("the idle sandbox to exit", () => !isAlive(warm));
    expect((await fn.host.invoke({})).ok).toBe(true);
    const [, cold = 0] = fn.pids();
    expect(cold).not.toBe(warm);
    expect(isAlive(cold)).toBe(true);
  });

  it("reports a cold start for each sandbox's first invocation only", async (ctx) => {
    const { expect } = ctx;
    // Prepare
    const fn = scripted(ctx, { action: "succeed" });

    // Act: two invocations, a reload, one more
    const first = await fn.host.invoke({});
    const second = await fn.host.invoke({});
    fn.host.reload();
    const afterReload = await fn.host.invoke({});

    // Assess
    expect([first.coldStart, second.coldStart, afterReload.coldStart]).toEqual([true, false, true]);
    expect(new Set(fn.pids()).size).toBe(2);
  });

  it("sets the environment Powertools reads a cold start from: cold_start in each log line", async (ctx) => {
    const { expect } = ctx;
    // Prepare: a function that logs one line per invocation, as the declared functions do
    const logFile = join(testScratchDirectory(ctx, "host-cold-start"), "function.log");
    const host = createFunctionHost({
      name: "logging",
      entry: LOGGING_HANDLER,
      environment: { POWERTOOLS_LOG_LEVEL: "INFO" },
      timeoutSeconds: 20,
      logFile,
    });
    ctx.onTestFinished(() => host.stop());

    // Act: two invocations of one sandbox, a reload, one more
    const outcomes = [await host.invoke({}), await host.invoke({})];
    host.reload();
    outcomes.push(await host.invoke({}));
    await host.stop();

    // Assess: once the log file holds the three lines (the host writes it as output arrives)
    const invoked = () =>
      readFileSync(logFile, "utf8")
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { message?: string; cold_start?: boolean })
        .filter((line) => line.message === "invoked");
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true]);
    await waitFor("three log lines", () => invoked().length === 3);
    expect(invoked().map((line) => line.cold_start)).toEqual([true, false, true]);
  });

  it("lets a busy sandbox finish its invocation, then stops it", async (ctx) => {
    const { expect } = ctx;
    // Prepare: an invocation in flight, holding its sandbox for 1.5 s
    const fn = scripted(ctx, { action: "sleep", ms: 1_500 });
    const inFlight = fn.host.invoke({ n: 1 });
    await waitFor("the invocation to start", () => fn.pids().length === 1);
    const [busy = 0] = fn.pids();

    // Act
    fn.host.reload();

    // Assess: the invocation ends as it would have, on the same sandbox, which then exits
    expect(isAlive(busy)).toBe(true);
    expect(await inFlight).toMatchObject({ ok: true, value: null });
    await waitFor("the retired sandbox to exit", () => !isAlive(busy));
    expect((await fn.host.invoke({ n: 2 })).ok).toBe(true);
    expect(fn.pids()).toHaveLength(2);
    expect(fn.pids()[1]).not.toBe(busy);
  });

  it("gives an invocation waiting for a retired sandbox a new one", async (ctx) => {
    const { expect } = ctx;
    // Prepare: one sandbox at most, busy; a second invocation waits for it
    const fn = scripted(ctx, { action: "sleep", ms: 1_000 });
    const first = fn.host.invoke({ n: 1 });
    await waitFor("the first invocation to start", () => fn.pids().length === 1);
    const second = fn.host.invoke({ n: 2 });

    // Act
    fn.host.reload();

    // Assess: both succeed, the second on a sandbox started after the reload
    expect((await first).ok).toBe(true);
    expect((await second).ok).toBe(true);
    const [old = 0, fresh = 0] = fn.pids();
    expect(fresh).not.toBe(old);
    expect(isAlive(old)).toBe(false);
  });
});
