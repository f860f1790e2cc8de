/**
 * When something replaces our context manager after `setupTracing` registered it (an SDK
 * started later, say), a context entered into ours would be read by nobody: entering answers
 * false, and a consumer's records get their trace context from their spans instead.
 */
import { context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { beforeAll, describe, expect, it } from "vitest";
import { consumeKafkaBatch, ownedEventReader } from "../../../shared/consumer";
import { activeTraceId, enterContextForJob, setupTracing } from "../../../shared/observability";
import { orderEventContracts } from "../../../shared/orders/order-events";
import {
  consumerSettings,
  orderCreated,
  RecordingSender,
  silentLogger,
} from "../consumer/fixtures";
import { kafkaRecord, REMOTE_TRACE_ID, REMOTE_TRACEPARENT, recordHeaders } from "./fixtures";

beforeAll(() => {
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  setupTracing({ serviceName: "context-manager-replaced-test" });
  context.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});

describe("with our context manager replaced", () => {
  it("enters no context for a job", () => {
    // Prepare
    const marked = ROOT_CONTEXT.setValue(createContextKey("test"), "marked");

    // Act
    const entered = enterContextForJob(marked);

    // Assess
    expect(entered).toBe(false);
    expect(context.active()).toBe(ROOT_CONTEXT);
  });

  it("still gives a consumer's effect its record's trace", async () => {
    // Prepare
    const record = {
      ...kafkaRecord(recordHeaders({ traceparent: REMOTE_TRACEPARENT })),
      value: Buffer.from(JSON.stringify(orderCreated("ord-1"))),
    };
    const seen: (string | undefined)[] = [];

    // Act
    await consumeKafkaBatch([record], () => 60_000, {
      functionName: "order-created",
      read: ownedEventReader(orderEventContracts, ["OrderCreated"]),
      apply: async () => {
        seen.push(activeTraceId());
        return "applied";
      },
      settings: consumerSettings(),
      deadLetters: new RecordingSender(),
      logger: silentLogger(),
    });

    // Assess
    expect(seen).toEqual([REMOTE_TRACE_ID]);
    expect(activeTraceId()).toBeUndefined();
  });
});
