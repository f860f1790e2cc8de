import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import { beforeAll, describe, expect, it } from "vitest";
import { HEADER } from "../../../shared/kafka/headers";
import {
  activeTraceId,
  contextFromHeaders,
  contextFromKafkaRecord,
  currentTracer,
  setupTracing,
  traceHeaders,
} from "../../../shared/observability";
import { kafkaRecord, REMOTE_SPAN_ID, REMOTE_TRACE_ID, REMOTE_TRACEPARENT } from "./fixtures";

beforeAll(() => {
  setupTracing({ serviceName: "trace-context-test", exporter: new InMemorySpanExporter() });
});

describe("traceHeaders and contextFromKafkaRecord", () => {
  it("round-trips a span's context through Kafka record headers", () => {
    // Prepare
    const span = currentTracer().startSpan("send order-events");
    const { traceId, spanId } = span.spanContext();

    // Act
    const headers = traceHeaders(trace.setSpan(ROOT_CONTEXT, span));
    const extracted = trace.getSpanContext(contextFromKafkaRecord(kafkaRecord(headers)));
    span.end();

    // Assess
    expect(headers[HEADER.traceparent]).toBe(`00-${traceId}-${spanId}-01`);
    expect(extracted).toMatchObject({ traceId, spanId, isRemote: true });
  });

  it("keeps the tracestate beside the traceparent", () => {
    // Prepare
    const record = kafkaRecord({
      [HEADER.traceparent]: REMOTE_TRACEPARENT,
      [HEADER.tracestate]: "vendor=abc,other=1",
    });

    // Act
    const headers = traceHeaders(contextFromKafkaRecord(record));

    // Assess
    expect(headers).toEqual({
      [HEADER.traceparent]: REMOTE_TRACEPARENT,
      [HEADER.tracestate]: "vendor=abc,other=1",
    });
  });

  it("reads the last traceparent when the header repeats, as headerText does", () => {
    // Prepare
    const record = kafkaRecord(
      {},
      {
        headers: [
          {
            name: HEADER.traceparent,
            value: Buffer.from(`00-${"1".repeat(32)}-${"2".repeat(16)}-01`),
          },
          { name: HEADER.traceparent, value: Buffer.from(REMOTE_TRACEPARENT) },
        ],
      },
    );

    // Act
    const extracted = trace.getSpanContext(contextFromKafkaRecord(record));

    // Assess
    expect(extracted?.traceId).toBe(REMOTE_TRACE_ID);
  });

  it.each([
    ["no traceparent", {}],
    ["a malformed traceparent", { [HEADER.traceparent]: "00-not-a-trace-01" }],
    ["an all-zero trace id", { [HEADER.traceparent]: `00-${"0".repeat(32)}-${REMOTE_SPAN_ID}-01` }],
  ])("yields no parent for %s", (_case, headers) => {
    // Act
    const extracted = trace.getSpanContext(contextFromKafkaRecord(kafkaRecord(headers)));

    // Assess
    expect(extracted).toBeUndefined();
  });

  it("gives no headers for a context without a span", () => {
    // Act
    const headers = traceHeaders(ROOT_CONTEXT);

    // Assess
    expect(headers).toEqual({});
  });
});

describe("contextFromHeaders", () => {
  it("reads traceparent whatever the case of the header name", () => {
    // Act
    const extracted = trace.getSpanContext(
      contextFromHeaders({ Traceparent: REMOTE_TRACEPARENT, "content-type": "application/json" }),
    );

    // Assess
    expect(extracted).toMatchObject({ traceId: REMOTE_TRACE_ID, spanId: REMOTE_SPAN_ID });
  });
});

describe("activeTraceId", () => {
  it("is the active span's trace id, and undefined outside any span", async () => {
    // Act
    const inside = await currentTracer().startActiveSpan("outer", async (outer) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      outer.end();
      return activeTraceId();
    });

    // Assess
    expect(inside).toMatch(/^[0-9a-f]{32}$/);
    expect(activeTraceId()).toBeUndefined();
  });
});
