/**
 * When another context manager owns OpenTelemetry's global context (an OpenTelemetry Lambda
 * layer, say), ours is not registered, and the per-record helpers scope each record's context
 * with that one.
 */
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { beforeAll, describe, expect, it } from "vitest";
import { activeTraceId, setupTracing, withRecordSpan } from "../../../shared/observability";
import { kafkaRecord, REMOTE_TRACE_ID, REMOTE_TRACEPARENT, recordHeaders } from "./fixtures";

beforeAll(() => {
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  setupTracing({ serviceName: "foreign-context-manager-test" });
});

describe("with another context manager registered, the span helpers", () => {
  it("run a record's work in its trace, and leave the caller's context as it was", async () => {
    // Prepare
    const record = kafkaRecord(recordHeaders({ traceparent: REMOTE_TRACEPARENT }));

    // Act
    const traceId = await withRecordSpan(record, "process", async () => activeTraceId());

    // Assess
    expect(traceId).toBe(REMOTE_TRACE_ID);
    expect(activeTraceId()).toBeUndefined();
  });
});
