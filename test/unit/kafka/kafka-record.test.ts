import type { KafkaMessage } from "kafkajs";
import { describe, expect, it } from "vitest";
import { kafkaRecordOfMessage } from "../../../shared/kafka";

describe("kafkaRecordOfMessage", () => {
  it("keeps key, value and every header value as bytes, a repeated header in order", () => {
    // Prepare
    const message: KafkaMessage = {
      key: Buffer.from("ord-1"),
      value: null,
      timestamp: "1795683600000",
      attributes: 0,
      offset: "41",
      headers: { traceparent: Buffer.from("00-ab"), tag: [Buffer.from("a"), "b"], none: undefined },
    };

    // Act
    const record = kafkaRecordOfMessage("order-events", 2, message);

    // Assess
    expect(record).toEqual({
      topic: "order-events",
      partition: 2,
      offset: 41,
      timestamp: 1_795_683_600_000,
      timestampType: "CREATE_TIME",
      key: Buffer.from("ord-1"),
      value: null,
      headers: [
        { name: "traceparent", value: Buffer.from("00-ab") },
        { name: "tag", value: Buffer.from("a") },
        { name: "tag", value: Buffer.from("b") },
      ],
    });
  });
});
