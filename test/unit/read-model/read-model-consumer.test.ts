import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigurationError } from "../../../shared/config";
import { readModelConsumerHandler } from "../../../shared/read-model";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("readModelConsumerHandler", () => {
  it("fails at cold start when its trigger takes another event type than it applies", () => {
    // Prepare: the wiring gives the function OrderCancelled records
    vi.stubEnv("READ_MODEL_TABLE_NAME", "order-read-model");
    vi.stubEnv("CONSUMED_EVENT_TYPE", "OrderCancelled");

    // Act
    const build = () => readModelConsumerHandler("OrderShipped", "order-cancelled");

    // Assess
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(
      "CONSUMED_EVENT_TYPE: the handler applies OrderShipped, but the function's trigger takes another type",
    );
  });
});
