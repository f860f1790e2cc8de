/**
 * The log reader: each kind of line a sandbox writes (Powertools JSON, EMF metrics, plain
 * text) parsed into an entry, the filters, the readable line, and the tail of a real file
 * (unit tests of the reader; `test/integration/dev-tools/logs.test.ts` runs the command).
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatLogEntry,
  functionLogFile,
  LogFollower,
  logFileSize,
  matchesLogFilter,
  parseLogLine,
  readLogTail,
} from "../../../infra/local/dev-tools/log-tail";
import { testScratchDirectory } from "../../support/scratch-directory";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const poisonLine = JSON.stringify({
  level: "WARN",
  message: "Record is poison; dead-lettering it",
  timestamp: "2026-12-02T13:18:30.620Z",
  service: "unrouted-events",
  cold_start: false,
  function_name: "unrouted-events",
  function_request_id: "94fec74e-d328-4233-85f0-2b57316de02e",
  sampling_rate: 0,
  topic: "order-events",
  partition: 1,
  offset: 115,
  event_id: "evt-1",
  trace_id: TRACE,
  errorClass: "RecordDecodeError",
  errorMessage: "order-events-1@115 is undecodable",
});
const apiLine = JSON.stringify({
  level: "ERROR",
  message: "Request failed",
  timestamp: "2026-12-02T13:20:00.000Z",
  route: "POST /orders",
  xray_trace_id: "1-5759e988-bd862e3fe1be46a994272793",
});
const metricsLine = JSON.stringify({
  _aws: { Timestamp: 1796217510789, CloudWatchMetrics: [] },
  service: "unrouted-events",
  BatchSize: 9,
  RecordsDeadLettered: 3,
});
const stackLine = "    at processBatch (functions/order-created/handler.ts:41:11)";

describe("parseLogLine", () => {
  it("reads a Powertools line's level, time, message, trace id and record context", () => {
    // Act
    const entry = parseLogLine(poisonLine);

    // Assess
    expect(entry).toMatchObject({
      kind: "log",
      level: "WARN",
      time: "2026-12-02T13:18:30.620Z",
      message: "Record is poison; dead-lettering it",
      traceId: TRACE,
      context: {
        topic: "order-events",
        partition: 1,
        offset: 115,
        eventId: "evt-1",
        requestId: "94fec74e-d328-4233-85f0-2b57316de02e",
      },
      details: {
        errorClass: "RecordDecodeError",
        errorMessage: "order-events-1@115 is undecodable",
      },
      raw: poisonLine,
    });
    expect(Object.keys(entry.details)).toEqual(["errorClass", "errorMessage"]);
  });

  it("reads a request's route, and X-Ray's trace id when there is no trace_id", () => {
    // Act
    const entry = parseLogLine(apiLine);

    // Assess
    expect(entry.context).toEqual({ route: "POST /orders" });
    expect(entry.traceId).toBe("1-5759e988-bd862e3fe1be46a994272793");
  });

  it("reads a metrics line as its values, timed by its EMF timestamp", () => {
    // Act
    const entry = parseLogLine(metricsLine);

    // Assess
    expect(entry).toMatchObject({
      kind: "metrics",
      level: undefined,
      time: new Date(1796217510789).toISOString(),
      message: "BatchSize=9 RecordsDeadLettered=3",
    });
  });

  it.each([
    ["a stack line", stackLine],
    ["JSON that is no log line", '{"orderId":"o-1"}'],
    ["a JSON array", "[1,2]"],
    ["half a JSON line", '{"level":"INFO","mess'],
  ])("keeps %s as text, exactly as written", (_, line) => {
    // Act
    const entry = parseLogLine(line);

    // Assess
    expect(entry).toMatchObject({ kind: "text", message: line, raw: line, level: undefined });
  });
});

describe("matchesLogFilter", () => {
  it("keeps the level asked for and those above it, in either case of the line", () => {
    // Prepare
    const info = parseLogLine(JSON.stringify({ level: "info", message: "m" }));
    const warn = parseLogLine(poisonLine);
    const error = parseLogLine(apiLine);

    // Act
    const kept = [info, warn, error].filter((entry) => matchesLogFilter(entry, { level: "WARN" }));

    // Assess
    expect(kept).toEqual([warn, error]);
  });

  it("keeps only the trace's lines, and never hides a text line", () => {
    // Prepare
    const entries = [poisonLine, apiLine, metricsLine, stackLine].map(parseLogLine);

    // Act
    const kept = entries.filter((entry) => matchesLogFilter(entry, { traceId: TRACE }));

    // Assess
    expect(kept.map((entry) => entry.raw)).toEqual([poisonLine, stackLine]);
  });

  it("drops metrics lines under a level filter, keeps them without one", () => {
    // Prepare
    const metrics = parseLogLine(metricsLine);

    // Act / Assess
    expect(matchesLogFilter(metrics, { level: "TRACE" })).toBe(false);
    expect(matchesLogFilter(metrics, {})).toBe(true);
  });
});

describe("formatLogEntry", () => {
  it("shows time, level, message, context, trace and the other keys on one line", () => {
    // Act
    const line = formatLogEntry(parseLogLine(poisonLine));

    // Assess
    expect(line).toBe(
      `2026-12-02T13:18:30.620Z  WARN   Record is poison; dead-lettering it  [order-events-1@115 event evt-1 trace ${TRACE}]  errorClass=RecordDecodeError errorMessage="order-events-1@115 is undecodable"`,
    );
  });

  it("shows a text line as it is", () => {
    // Act / Assess
    expect(formatLogEntry(parseLogLine(stackLine))).toBe(stackLine);
  });
});

describe("readLogTail", () => {
  it("returns the last N entries the filter keeps, oldest first", async (ctx) => {
    // Prepare
    const file = join(testScratchDirectory(ctx, "log-tail"), "f.log");
    writeFileSync(file, `${[poisonLine, metricsLine, apiLine, stackLine].join("\n")}\n`);
    appendFileSync(file, "\n");

    // Act
    const lastTwo = await readLogTail(file, { lines: 2 });
    const errors = await readLogTail(file, { lines: 10, level: "ERROR" });

    // Assess
    expect(lastTwo.map((entry) => entry.raw)).toEqual([apiLine, stackLine]);
    expect(errors.map((entry) => entry.raw)).toEqual([apiLine, stackLine]);
  });

  it("returns nothing for a file that does not exist", async () => {
    // Act
    const entries = await readLogTail(join(tmpdir(), "no-such-dir", "f.log"), { lines: 5 });

    // Assess
    expect(entries).toEqual([]);
  });

  it("names a function's file under the runtime's log folder", () => {
    // Act / Assess
    expect(functionLogFile("/x/.local/logs", "orders-api")).toBe(
      "/x/.local/logs/functions/orders-api.log",
    );
  });
});

describe("LogFollower", () => {
  it("tells each line appended after its start once, a line split between writes whole", async (ctx) => {
    // Prepare
    const file = join(testScratchDirectory(ctx, "log-follow"), "f.log");
    writeFileSync(file, `${poisonLine}\n`);
    const seen: string[] = [];
    const follower = new LogFollower(file, {}, (entry) => seen.push(entry.raw));
    ctx.onTestFinished(() => follower.stop());
    await follower.start();

    // Act
    appendFileSync(file, `${apiLine.slice(0, 20)}`);
    // Long enough for the follower to look at the half line (it polls every 200 ms).
    await new Promise((wake) => setTimeout(wake, 300));
    appendFileSync(file, `${apiLine.slice(20)}\n${stackLine}\n`);
    await waitUntil(() => seen.length >= 2);
    await follower.stop();

    // Assess
    expect(seen).toEqual([apiLine, stackLine]);
  });

  it("reads a file that appears after its start from its first line, and again after truncation", async (ctx) => {
    // Prepare
    const file = join(testScratchDirectory(ctx, "log-follow"), "f.log");
    const seen: string[] = [];
    const follower = new LogFollower(file, { level: "WARN" }, (entry) => seen.push(entry.raw));
    ctx.onTestFinished(() => follower.stop());
    await follower.start();

    // Act
    writeFileSync(file, `${poisonLine}\n${JSON.stringify({ level: "INFO", message: "m" })}\n`);
    await waitUntil(() => seen.length >= 1);
    writeFileSync(file, `${apiLine}\n`);
    await waitUntil(() => seen.length >= 2);
    await follower.stop();

    // Assess
    expect(seen).toEqual([poisonLine, apiLine]);
  });

  it("starts where a tail read up to the same offset ended", async (ctx) => {
    // Prepare
    const file = join(testScratchDirectory(ctx, "log-follow"), "f.log");
    writeFileSync(file, `${poisonLine}\n`);
    const end = (await logFileSize(file)) ?? 0;
    appendFileSync(file, `${apiLine}\n`);

    // Act
    const tail = await readLogTail(file, { lines: 10, end });
    const seen: string[] = [];
    const follower = new LogFollower(file, {}, (entry) => seen.push(entry.raw));
    ctx.onTestFinished(() => follower.stop());
    await follower.start(end);
    await waitUntil(() => seen.length >= 1);
    await follower.stop();

    // Assess
    expect(tail.map((entry) => entry.raw)).toEqual([poisonLine]);
    expect(seen).toEqual([apiLine]);
  });
});

/** Waits until `done()` (bounded: the test fails on what it then sees), polling. */
const waitUntil = async (done: () => boolean, boundMs = 5_000): Promise<void> => {
  const deadline = Date.now() + boundMs;
  while (!done() && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 20));
};
