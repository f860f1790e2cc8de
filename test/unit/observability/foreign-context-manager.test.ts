/**
 * When another context manager owns OpenTelemetry's global context (an OpenTelemetry Lambda
 * layer, say), ours is not registered, and entering a context for the rest of a job is not
 * possible: the per-record helpers then scope the record's context with `context.with`.
 */
import { context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { beforeAll, describe, expect, it } from "vitest";
import {
  activeTraceId,
  enterContextForJob,
  enterRecordContextForJob,
  setupTracing,
  withRecordSpan,
} from "../../../shared/observability";
import { kafkaRecord, REMOTE_TRACE_ID, REMOTE_TRACEPARENT, recordHeaders } from "./fixtures";

beforeAll(() => {
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  setupTracing({ serviceName: "foreign-context-manager-test" });
});

describe("with another context manager registered", () => {
  it("enter no context for a job", () => {
    // Prepare
    const marked = ROOT_CONTEXT.setValue(createContextKey("test"), "marked");

    // Act
    const entered = enterContextForJob(marked);

    // Assess
    expect(entered).toBe(false);
    expect(context.active()).toBe(ROOT_CONTEXT);
  });

  it("enter no record's context, so its work runs in its span, in its trace", async () => {
    // Prepare
    const record = kafkaRecord(recordHeaders({ traceparent: REMOTE_TRACEPARENT }));

    // Act
    const entered = enterRecordContextForJob(record);
    const traceId = await withRecordSpan(record, "process", async () => activeTraceId());

    // Assess
    expect(entered).toBe(false);
    expect(traceId).toBe(REMOTE_TRACE_ID);
    expect(activeTraceId()).toBeUndefined();
  });
});
