/**
 * When something replaces our context manager after `setupTracing` registered it (an SDK
 * started later, say), a consumer's records still run in their producers' traces: the
 * per-record helpers go through OpenTelemetry's global context, whichever manager holds it.
 */
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { beforeAll, describe, expect, it } from "vitest";
import { activeTraceId, setupTracing } from "../../../shared/observability";
import { consumeOrderRecords, REMOTE_TRACE_ID, tracedOrderRecords } from "./fixtures";

beforeAll(() => {
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  setupTracing({ serviceName: "context-manager-replaced-test" });
  context.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});

describe("with our context manager replaced", () => {
  it("still gives a consumer's effect its record's trace", async () => {
    // Prepare
    const records = tracedOrderRecords(1, 1, () => REMOTE_TRACE_ID);
    const seen: (string | undefined)[] = [];

    // Act
    await consumeOrderRecords(records, async () => {
      seen.push(activeTraceId());
      return "applied";
    });

    // Assess
    expect(seen).toEqual([REMOTE_TRACE_ID]);
    expect(activeTraceId()).toBeUndefined();
  });
});
