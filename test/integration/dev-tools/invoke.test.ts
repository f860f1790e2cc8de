/**
 * docs/developer-tools.md ("npm run invoke"): the command, run as a user runs it, invokes a
 * declared function once on the real broker and moto: every shipped sample under `events/`
 * exits 0 with the function's result (the consumers' batch applied, as the read model then
 * shows), AWS's own sample events get what the functions answer them, a function that throws
 * exits 1 with Lambda's error shape, and bad usage exits 2.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { sampleFiles } from "../../../infra/local/dev-tools/sample-files";
import { systemWiring } from "../../../infra/wiring/system-wiring";
import { ROOT, runCommand } from "./run-command";

interface HttpResult {
  readonly statusCode: number;
  readonly body: string;
}

const invokeFile = async (functionName: string, path: string) => {
  const run = await runCommand("invoke", [functionName, path]);
  return { ...run, result: run.code === 0 ? (JSON.parse(run.stdout) as unknown) : undefined };
};

/** What each shipped sample's function answers, in file order: the consumers' batches first. */
const expectedStatus: Readonly<Record<string, number>> = {
  "POST /orders": 201,
  // The sample's order has no write-side state (the API names orders itself)...
  "GET /orders/{id}": 404,
  "POST /orders/{id}/ship": 404,
  "POST /orders/{id}/cancel": 404,
  // ...but its events were applied to the read model by the consumers' samples above.
  "GET /orders/{id}/view": 200,
  "GET /customers/{id}/stats": 200,
};

describe("npm run invoke on the shipped samples (docs/developer-tools.md)", () => {
  it.each(sampleFiles(systemWiring).map((file) => [file.path, file] as const))(
    "%s: exits 0 with the function's result",
    async (path, file) => {
      // Act
      const run = await invokeFile(file.functionName, join("events", path));

      // Assess
      expect(run.code, run.stderr).toBe(0);
      if (file.request.kind === "http") {
        const result = run.result as HttpResult;
        expect(result.statusCode).toBe(expectedStatus[file.request.route ?? ""]);
        if (file.request.route === "GET /orders/{id}/view")
          expect(JSON.parse(result.body)).toMatchObject({ status: expect.any(String) });
      } else {
        expect(run.result).toEqual({ batchItemFailures: [] });
      }
    },
  );
});

describe("npm run invoke on AWS's sample events", () => {
  it("dead-letters the records of an MSK event that are not events, and fails none", async () => {
    // Act: test/fixtures/msk-event.json, AWS's MSK sample with a value that is not JSON
    const run = await invokeFile("unrouted-events", "test/fixtures/msk-event.json");

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toEqual({ batchItemFailures: [] });
    expect(run.stderr).toContain("Record is poison; dead-lettering it");
  });

  it("answers an API Gateway 2.0 $default request with the function's 404 problem", async (ctx) => {
    // Prepare: AWS's HTTP API sample, on the $default route
    const dir = mkdtempSync(join(ROOT, ".local", "invoke-"));
    ctx.onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const sample = JSON.parse(
      readFileSync(join(ROOT, "test/fixtures/api-gateway-v2-event.json"), "utf8"),
    );
    const path = join(dir, "default-route.json");
    writeFileSync(
      path,
      JSON.stringify({
        ...sample,
        routeKey: "$default",
        rawPath: "/nowhere",
        requestContext: { ...sample.requestContext, routeKey: "$default" },
      }),
    );

    // Act
    const run = await invokeFile("orders-api", path);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    const result = run.result as HttpResult & { headers: Record<string, string> };
    expect(result.statusCode).toBe(404);
    expect(result.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(result.body)).toMatchObject({ status: 404, title: "Not found" });
  });
});

describe("npm run invoke when the function fails or the usage is wrong", () => {
  it("exits 1 with Lambda's error shape when the function throws", async () => {
    // Act: a consumer given an event that is no Kafka batch throws
    const run = await runCommand("invoke", ["order-created", "-"], "{}");

    // Assess
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout) as {
      errorType: string;
      errorMessage: string;
      trace: string[];
    };
    expect(Object.keys(error)).toEqual(["errorType", "errorMessage", "trace"]);
    expect(error.errorType).toBe("$ZodError");
    expect(error.trace[0]).toMatch(/^\$ZodError: /);
  });

  it("reads an event from stdin that arrives slowly, as through a pipe", async () => {
    // Prepare: half the event at once, the rest once the command is reading (as `npm run
    // event | npm run invoke` gives it, when the event comes later than invoke starts)
    const slowly = Readable.from(
      (async function* () {
        yield "{";
        await sleep(3_000);
        yield "}";
      })(),
    );

    // Act
    const run = await runCommand("invoke", ["order-created", "-"], slowly);

    // Assess: the whole event read, so the function ran and threw on it
    expect(run.stderr).not.toContain("cannot read the event");
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ errorType: "$ZodError" });
  });

  it("exits 2 naming the declared functions for an unknown one", async () => {
    // Act
    const run = await runCommand("invoke", ["no-such-function", "-"], "{}");

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    for (const fn of systemWiring.functions) expect(run.stderr).toContain(fn.name);
  });

  it.each([
    [["orders-api", "events/no-such-file.json"], "", "cannot read the event file"],
    [["orders-api", "-"], "{not json", "is not JSON"],
    [["orders-api"], "", "usage"],
  ])("exits 2 on %j, saying why", async (args, stdin, message) => {
    // Act
    const run = await runCommand("invoke", args, stdin);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
