import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import middy from "@middy/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";
import {
  flushTraces,
  flushTracesMiddleware,
  setupTracing,
  withRecordSpan,
} from "../../../shared/observability";
import { LazyOtlpTraceExporter } from "../../../shared/observability/lazy-otlp-trace-exporter";
import { lambdaContext } from "../../support/lambda-context";
import { kafkaRecord, recordHeaders } from "./fixtures";

interface Received {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly body: string;
}

/** A stand-in OTLP collector in this process: records what the exporter posts. */
const startCollector = async (): Promise<{ server: Server; url: string; received: Received[] }> => {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method,
        path: request.url,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, received };
};

const consume = middy(async (records: KafkaRecord[]) => {
  for (const record of records) await withRecordSpan(record, "process", async () => undefined);
}).use(flushTracesMiddleware());

let collector: Awaited<ReturnType<typeof startCollector>>;

beforeEach(async () => {
  collector = await startCollector();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await new Promise((resolve) => collector.server.close(resolve));
});

describe("setupTracing with an OTLP endpoint", () => {
  it("exports the invocation's spans before the handler returns", async () => {
    // Prepare
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url);
    setupTracing({ serviceName: "order-created" });

    // Act
    await consume([kafkaRecord(recordHeaders())], lambdaContext("order-created"));

    // Assess
    expect(collector.received).toHaveLength(1);
    expect(collector.received[0]?.method).toBe("POST");
    expect(collector.received[0]?.path).toBe("/v1/traces");
    expect(collector.received[0]?.body).toContain("process order-events");
    expect(collector.received[0]?.body).toContain("order-created");
  });

  it("exports the spans of every invocation, not only the first", async () => {
    // Prepare
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url);
    setupTracing({ serviceName: "order-created" });
    await consume([kafkaRecord(recordHeaders())], lambdaContext("order-created"));

    // Act
    await consume([kafkaRecord(recordHeaders())], lambdaContext("order-created"));

    // Assess
    expect(collector.received.map((request) => request.path)).toEqual(["/v1/traces", "/v1/traces"]);
    expect(collector.received[1]?.body).toContain("process order-events");
  });

  it("takes the traces-specific endpoint as the full URL", async () => {
    // Prepare
    vi.stubEnv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", `${collector.url}/custom/traces`);
    setupTracing({ serviceName: "order-created" });

    // Act
    await consume([kafkaRecord(recordHeaders())], lambdaContext("order-created"));

    // Assess
    expect(collector.received.map((request) => request.path)).toEqual(["/custom/traces"]);
  });

  it("flushes without throwing when the collector is down", async () => {
    // Prepare
    await new Promise((resolve) => collector.server.close(resolve));
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url);
    vi.stubEnv("OTEL_EXPORTER_OTLP_TIMEOUT", "500");
    setupTracing({ serviceName: "order-created" });
    await withRecordSpan(kafkaRecord(), "process", async () => undefined);

    // Act
    const flushed = flushTraces();

    // Assess
    await expect(flushed).resolves.toBeUndefined();
  });

  it("fails fast naming a malformed endpoint", () => {
    // Prepare
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", "not a url");

    // Act
    const setup = () => setupTracing({ serviceName: "order-created" });

    // Assess
    expect(setup).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

describe("setupTracing without an OTLP endpoint", () => {
  it("exports nothing", async () => {
    // Prepare
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", undefined);
    vi.stubEnv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", undefined);
    const exportSpy = vi.spyOn(LazyOtlpTraceExporter.prototype, "export");
    setupTracing({ serviceName: "order-created" });

    // Act
    await consume([kafkaRecord(recordHeaders())], lambdaContext("order-created"));

    // Assess
    expect(exportSpy).not.toHaveBeenCalled();
  });
});
