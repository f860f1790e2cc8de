import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { toOutboxItem } from "../../../shared/outbox/outbox-item";
import { PoisonOutboxItemError, readOutboxImage } from "../../../shared/outbox/read-outbox-item";

const item = (overrides: Record<string, unknown> = {}) => ({
  ...toOutboxItem(
    {
      event_id: "e-1",
      event_type: "OrderCreated",
      aggregate_id: "o-1",
      aggregate_version: 1,
    },
    {
      topic: "order-events",
      partitionKey: "ORDER#o-1",
      headers: { event_type: "OrderCreated", traceparent: "00-abc-def-01" },
      now: new Date("2026-11-26T09:00:00.000Z"),
      ttlSeconds: 60,
    },
  ),
  ...overrides,
});

const image = (value: Record<string, unknown>): Record<string, AttributeValue> =>
  marshall(value, { removeUndefinedValues: true }) as Record<string, AttributeValue>;

const poisonReason = (read: () => unknown): string => {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(PoisonOutboxItemError);
    return (error as Error).message;
  }
  throw new Error("the image was read as a message");
};

describe("readOutboxImage", () => {
  it("reads the message of an outbox item: topic, key, value, headers and event id", () => {
    // Act
    const message = readOutboxImage(image(item()), { maxMessageBytes: 10_000 });

    // Assess
    expect(message).toEqual({
      topic: "order-events",
      message_key: "o-1",
      value: JSON.stringify({
        event_id: "e-1",
        event_type: "OrderCreated",
        aggregate_id: "o-1",
        aggregate_version: 1,
      }),
      event_id: "e-1",
      headers: { event_type: "OrderCreated", traceparent: "00-abc-def-01" },
    });
  });

  it("keeps a header named __proto__ as a header", () => {
    // Act
    const message = readOutboxImage(
      { ...image(item()), headers: { M: { ["__proto__"]: { S: "kept" } } } },
      { maxMessageBytes: 10_000 },
    );

    // Assess
    expect(Object.entries(message.headers)).toEqual([["__proto__", "kept"]]);
  });

  it("names every missing or empty field of an incomplete item by its name", () => {
    // Act
    const reason = poisonReason(() =>
      readOutboxImage(image({ ...item(), topic: undefined, value: "" }), {
        maxMessageBytes: 10_000,
      }),
    );

    // Assess
    expect(reason).toMatch(/^The outbox item is incomplete: /);
    expect(reason).toContain("topic: ");
    expect(reason).toContain("value: must not be empty");
    expect(reason).not.toContain("topic.S");
  });

  it.each([
    ["a space", "order events"],
    ["a slash", "orders/events"],
    ["250 characters", "t".repeat(250)],
    ["only a dot", "."],
    ["only two dots", ".."],
  ])(
    "refuses a topic name with %s, which the broker would refuse for every message",
    (_case, topic) => {
      // Act
      const reason = poisonReason(() =>
        readOutboxImage(image(item({ topic })), { maxMessageBytes: 10_000 }),
      );

      // Assess
      expect(reason).toContain("topic: must be a Kafka topic name");
    },
  );

  it("refuses a topic outside the ones given, naming them", () => {
    // Act
    const reason = poisonReason(() =>
      readOutboxImage(image(item({ topic: "payments" })), {
        maxMessageBytes: 10_000,
        topics: new Set(["order-events", "order-events.dlq"]),
      }),
    );
    const allowed = readOutboxImage(image(item()), {
      maxMessageBytes: 10_000,
      topics: new Set(["order-events"]),
    });

    // Assess
    expect(reason).toBe(
      'The topic "payments" is not one the relay publishes to (order-events, order-events.dlq)',
    );
    expect(allowed.topic).toBe("order-events");
  });

  it("refuses header values that are not text", () => {
    // Act
    const reason = poisonReason(() =>
      readOutboxImage(image(item({ headers: { attempt: 1 } })), { maxMessageBytes: 10_000 }),
    );

    // Assess
    expect(reason).toContain("headers: must map header names to string attributes");
  });

  it("says an image without attributes, or no image, is poison", () => {
    expect(poisonReason(() => readOutboxImage(undefined, { maxMessageBytes: 10 }))).toBe(
      "The stream record has no new image",
    );
    expect(poisonReason(() => readOutboxImage({}, { maxMessageBytes: 10 }))).toContain("topic: ");
  });

  it("measures the message in UTF-8 bytes: value, key and headers", () => {
    // Prepare: 100 euro signs are 300 bytes in UTF-8 (but 100 UTF-16 units)
    const value = "€".repeat(100);
    const exact = Buffer.byteLength(value) + "o-1".length + "h".length + "€".length * 3;
    const multibyte = image(item({ value, headers: { h: "€" } }));

    // Act
    const fits = readOutboxImage(multibyte, { maxMessageBytes: exact });
    const reason = poisonReason(() => readOutboxImage(multibyte, { maxMessageBytes: exact - 1 }));

    // Assess
    expect(fits.value).toBe(value);
    expect(reason).toBe(
      `The message would be ${exact} bytes, above the broker's maximum of ${exact - 1}`,
    );
  });
});
