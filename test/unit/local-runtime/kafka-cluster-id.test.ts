import { describe, expect, it } from "vitest";
import { newClusterId } from "../../../infra/local/services/kafka-broker";

describe("newClusterId", () => {
  it("never starts with '-', which Kafka's storage tool would read as an option", () => {
    // Prepare: one id in 64 started with "-" before; 2,000 ids would all but surely show one.
    const count = 2_000;

    // Act
    const ids = Array.from({ length: count }, newClusterId);

    // Assess
    expect(ids.filter((id) => id.startsWith("-"))).toEqual([]);
    expect(ids.filter((id) => Buffer.from(id, "base64url").length !== 16)).toEqual([]);
    expect(new Set(ids).size).toBe(count);
  });
});
