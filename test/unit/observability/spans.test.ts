import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { HEADER } from "../../../shared/kafka/headers";
import {
  activeTraceId,
  contextFromHeaders,
  setupTracing,
  traceHeaders,
  withProducerSpan,
  withProducerSpans,
  withRecordSpan,
  withRequestSpan,
} from "../../../shared/observability";
import {
  EVENT_ID,
  kafkaRecord,
  REMOTE_SPAN_ID,
  REMOTE_TRACE_ID,
  REMOTE_TRACEPARENT,
  recordHeaders,
} from "./fixtures";

const exporter = new InMemorySpanExporter();

beforeAll(() => {
  setupTracing({ serviceName: "spans-test", exporter });
});

beforeEach(() => {
  exporter.reset();
});

const finished = (kind: SpanKind): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((span) => span.kind === kind);

const onlySpan = (kind: SpanKind): ReadableSpan => {
  const spans = finished(kind);
  expect(spans).toHaveLength(1);
  const [span] = spans;
  if (span === undefined) throw new Error("unreachable");
  return span;
};

const isNewTrace = (span: ReadableSpan): void => {
  expect(span.parentSpanContext).toBeUndefined();
  expect(span.spanContext().traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
};

describe("withProducerSpan and withRecordSpan", () => {
  it("continues the producer's trace in the consumer, with the producer span as parent", async () => {
    // Prepare
    const sent = await withProducerSpan(
      { topic: "order-events", key: "ord-1", eventId: EVENT_ID },
      async (headers) => kafkaRecord(recordHeaders(headers)),
    );

    // Act
    const loggedTraceId = await withRecordSpan(sent, "process", async () => activeTraceId());

    // Assess
    const producer = onlySpan(SpanKind.PRODUCER);
    const consumer = onlySpan(SpanKind.CONSUMER);
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(loggedTraceId).toBe(producer.spanContext().traceId);
  });

  it("sets the messaging attributes of a consumed Kafka record", async () => {
    // Prepare
    const record = kafkaRecord(recordHeaders({ [HEADER.traceparent]: REMOTE_TRACEPARENT }));

    // Act
    await withRecordSpan(record, "process", async () => undefined);

    // Assess
    const span = onlySpan(SpanKind.CONSUMER);
    expect(span.name).toBe("process order-events");
    expect(span.ended).toBe(true);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toEqual({
      "messaging.system": "kafka",
      "messaging.system.name": "kafka",
      "messaging.destination.name": "order-events",
      "messaging.destination.partition.id": "2",
      "messaging.kafka.offset": 41,
      "kafka.offset": 41,
      "messaging.kafka.message.key": "ord-1",
      "kafka.message.key": "ord-1",
      "messaging.message.id": EVENT_ID,
      "messaging.operation.type": "process",
      "messaging.operation.name": "process",
    });
    expect(span.resource.attributes["service.name"]).toBe("spans-test");
  });

  it("sets the messaging attributes of a produced record", async () => {
    // Act
    await withProducerSpan(
      { topic: "order-events", key: "ord-1", eventId: EVENT_ID },
      async () => undefined,
    );

    // Assess
    const span = onlySpan(SpanKind.PRODUCER);
    expect(span.name).toBe("send order-events");
    expect(span.attributes).toMatchObject({
      "messaging.system": "kafka",
      "messaging.destination.name": "order-events",
      "messaging.kafka.message.key": "ord-1",
      "messaging.message.id": EVENT_ID,
      "messaging.operation.type": "send",
    });
  });

  it("leaves out a binary key and a missing event id", async () => {
    // Prepare
    const record = kafkaRecord({}, { key: Buffer.from([0xff, 0xfe, 0x00]) });

    // Act
    await withRecordSpan(record, "process", async () => undefined);

    // Assess
    const { attributes } = onlySpan(SpanKind.CONSUMER);
    expect(attributes).not.toHaveProperty("messaging.kafka.message.key");
    expect(attributes).not.toHaveProperty("messaging.message.id");
  });

  it.each([
    ["no traceparent", {}],
    ["a malformed traceparent", { [HEADER.traceparent]: "00-zz-not-hex-01" }],
  ])("starts a new root trace for a record with %s", async (_case, trace) => {
    // Act
    const traceId = await withRecordSpan(kafkaRecord(recordHeaders(trace)), "process", async () =>
      activeTraceId(),
    );

    // Assess
    const span = onlySpan(SpanKind.CONSUMER);
    isNewTrace(span);
    expect(traceId).toBe(span.spanContext().traceId);
  });

  it("marks the span failed, records the exception, ends it, and rethrows", async () => {
    // Prepare
    class OrderNotFoundError extends Error {
      override readonly name = "OrderNotFoundError";
    }
    const failure = new OrderNotFoundError("order ord-1 not found");

    // Act
    const run = withRecordSpan(kafkaRecord(recordHeaders()), "process", async () => {
      throw failure;
    });

    // Assess
    await expect(run).rejects.toBe(failure);
    const span = onlySpan(SpanKind.CONSUMER);
    expect(span.ended).toBe(true);
    expect(span.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: "order ord-1 not found",
    });
    expect(span.attributes["error.type"]).toBe("OrderNotFoundError");
    expect(span.events).toHaveLength(1);
    expect(span.events[0]?.name).toBe("exception");
    expect(span.events[0]?.attributes).toMatchObject({
      "exception.type": "OrderNotFoundError",
      "exception.message": "order ord-1 not found",
    });
  });

  it("keeps the record's span active across awaits", async () => {
    // Act
    const [before, after] = await withRecordSpan(kafkaRecord(), "process", async () => {
      const first = trace.getActiveSpan();
      await new Promise((resolve) => setTimeout(resolve, 5));
      await Promise.resolve();
      return [first, trace.getActiveSpan()];
    });

    // Assess
    expect(before?.spanContext().spanId).toBe(onlySpan(SpanKind.CONSUMER).spanContext().spanId);
    expect(after).toBe(before);
  });

  it("keeps concurrent records' traces apart", async () => {
    // Prepare
    const records = ["1", "2", "3"].map((digit) =>
      kafkaRecord({ [HEADER.traceparent]: `00-${digit.repeat(32)}-${REMOTE_SPAN_ID}-01` }),
    );

    // Act
    const seen = await Promise.all(
      records.map((record, index) =>
        withRecordSpan(record, "process", async () => {
          await new Promise((resolve) => setTimeout(resolve, 10 - index * 3));
          return activeTraceId();
        }),
      ),
    );

    // Assess
    expect(seen).toEqual(["1".repeat(32), "2".repeat(32), "3".repeat(32)]);
  });
});

describe("withProducerSpans", () => {
  it("gives each record its own span, parented by its own stored trace, in order", async () => {
    // Prepare
    const otherTrace = `00-${"a".repeat(32)}-${"b".repeat(16)}-01`;
    const stored = [REMOTE_TRACEPARENT, otherTrace].map((traceparent) =>
      contextFromHeaders({ [HEADER.traceparent]: traceparent }),
    );

    // Act
    const headers = await withProducerSpans(
      stored.map((parent) => ({ topic: "order-events", parent })),
      async (traceHeadersOfRecords) => traceHeadersOfRecords,
    );

    // Assess
    const spans = finished(SpanKind.PRODUCER);
    expect(spans.map((span) => span.parentSpanContext?.traceId)).toEqual([
      REMOTE_TRACE_ID,
      "a".repeat(32),
    ]);
    expect(headers.map((h) => h[HEADER.traceparent])).toEqual(
      spans.map((span) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`),
    );
  });

  it("fails every span of a failed send", async () => {
    // Act
    const run = withProducerSpans(
      [{ topic: "order-events" }, { topic: "order-events" }],
      async () => {
        throw new Error("broker unavailable");
      },
    );

    // Assess
    await expect(run).rejects.toThrow("broker unavailable");
    const spans = finished(SpanKind.PRODUCER);
    expect(spans).toHaveLength(2);
    expect(spans.map((span) => span.status.code)).toEqual([
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
    ]);
  });
});

describe("withRequestSpan", () => {
  it("continues the caller's trace and gives the request span's headers for the outbox", async () => {
    // Act
    const stored = await withRequestSpan(
      "POST /orders",
      { traceparent: REMOTE_TRACEPARENT },
      async () => traceHeaders(),
      { "http.request.method": "POST", "http.route": "/orders" },
    );

    // Assess
    const span = onlySpan(SpanKind.SERVER);
    expect(span.parentSpanContext).toMatchObject({
      traceId: REMOTE_TRACE_ID,
      spanId: REMOTE_SPAN_ID,
    });
    expect(span.attributes).toEqual({ "http.request.method": "POST", "http.route": "/orders" });
    expect(stored[HEADER.traceparent]).toBe(
      `00-${REMOTE_TRACE_ID}-${span.spanContext().spanId}-01`,
    );
  });

  it("starts a new trace when the request has no traceparent", async () => {
    // Act
    const stored = await withRequestSpan("POST /orders", {}, async () => traceHeaders());

    // Assess
    const span = onlySpan(SpanKind.SERVER);
    isNewTrace(span);
    expect(stored[HEADER.traceparent]).toContain(span.spanContext().traceId);
  });

  it("gives no trace headers outside any span", () => {
    // Act
    const headers = traceHeaders();

    // Assess
    expect(headers).toEqual({});
    expect(traceHeaders(ROOT_CONTEXT)).toEqual({});
  });
});

describe("before setupTracing", () => {
  it("fails loudly instead of tracing nothing", async () => {
    // Prepare
    vi.resetModules();
    const fresh = await import("../../../shared/observability");

    // Act
    const run = () => fresh.withRecordSpan(kafkaRecord(), "process", async () => undefined);

    // Assess
    expect(run).toThrow(fresh.TracingNotSetUpError);
  });
});
