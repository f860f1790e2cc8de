import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LazyOtlpTraceExporter } from "../../../shared/observability/lazy-otlp-trace-exporter";

const OTLP_EXPORTER = "@opentelemetry/exporter-trace-otlp-http";

/** One ended span, as a span processor hands it to its exporter. */
const endedSpan = (): ReadableSpan => {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  provider.getTracer("test").startSpan("process order-events").end();
  const [span] = memory.getFinishedSpans();
  if (span === undefined) throw new Error("no span ended");
  return span;
};

/** A URL nothing listens on: a server's, once it is closed. */
const closedUrl = async (): Promise<string> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
};

const exportOnce = (exporter: LazyOtlpTraceExporter): Promise<ExportResult> =>
  new Promise((resolve) => exporter.export([endedSpan()], resolve));

afterEach(() => {
  vi.unstubAllEnvs();
  vi.doUnmock(OTLP_EXPORTER);
});

describe("LazyOtlpTraceExporter", () => {
  it("reports a collector that is down as a failed export", async () => {
    // Prepare
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", await closedUrl());
    vi.stubEnv("OTEL_EXPORTER_OTLP_TIMEOUT", "500");
    const exporter = new LazyOtlpTraceExporter();

    // Act
    const result = await exportOnce(exporter);

    // Assess
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toBeInstanceOf(Error);
    await expect(exporter.shutdown()).resolves.toBeUndefined();
  });

  it("reports an OTLP exporter that cannot be loaded as a failed export, and still shuts down", async () => {
    // Prepare
    vi.doMock(OTLP_EXPORTER, () => {
      throw new Error("chunk missing");
    });
    const exporter = new LazyOtlpTraceExporter();

    // Act
    const result = await exportOnce(exporter);

    // Assess
    expect(result).toEqual({ code: ExportResultCode.FAILED, error: expect.any(Error) });
    await expect(exporter.forceFlush()).resolves.toBeUndefined();
    await expect(exporter.shutdown()).resolves.toBeUndefined();
  });

  it("loads nothing when shut down before its first export, and refuses later exports", async () => {
    // Prepare
    const factory = vi.fn(() => {
      throw new Error("must not load");
    });
    vi.doMock(OTLP_EXPORTER, factory);
    const exporter = new LazyOtlpTraceExporter();

    // Act
    await exporter.forceFlush();
    await exporter.shutdown();
    const late = await exportOnce(exporter);

    // Assess
    expect(late).toEqual({ code: ExportResultCode.FAILED, error: expect.any(Error) });
    expect(factory).not.toHaveBeenCalled();
  });
});
