import { describe, expect, it } from "vitest";
import {
  estimateMessageBytes,
  type OutgoingMessage,
  toKafkaHeaders,
} from "../../../shared/kafka/outgoing-message";
import { chunkMessages } from "../../../shared/kafka/request-chunks";

describe("toKafkaHeaders", () => {
  it("passes a map of text headers through", () => {
    // Act
    const headers = toKafkaHeaders({ event_type: "OrderCreated", traceparent: "00-abc-01" });

    // Assess
    expect({ ...headers }).toEqual({ event_type: "OrderCreated", traceparent: "00-abc-01" });
  });

  it("keeps the list's order and bytes, gathering a repeated name's values in their order", () => {
    // Prepare
    const binary = Buffer.from([0xff, 0x00, 0xfe]);

    // Act
    const headers = toKafkaHeaders([
      { name: "b", value: "1" },
      { name: "a", value: binary },
      { name: "b", value: "2" },
    ]);

    // Assess
    expect(Object.keys(headers)).toEqual(["b", "a"]);
    expect(headers.b).toEqual(["1", "2"]);
    expect(headers.a).toBe(binary);
  });

  it("keeps a header named __proto__ as data", () => {
    // Act
    const headers = toKafkaHeaders([{ name: "__proto__", value: "x" }]);

    // Assess
    expect(Object.keys(headers)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(headers, "__proto__")?.value).toBe("x");
  });

  it("takes a header named like an Object.prototype member for a new header", () => {
    // Act
    const headers = toKafkaHeaders([
      { name: "constructor", value: "a" },
      { name: "toString", value: "b" },
    ]);

    // Assess
    expect(Object.entries(headers)).toEqual([
      ["constructor", "a"],
      ["toString", "b"],
    ]);
  });

  it("is empty without headers", () => {
    // Assess
    expect(Object.keys(toKafkaHeaders(undefined))).toEqual([]);
  });
});

describe("chunkMessages", () => {
  const message = (bytes: number): OutgoingMessage => ({
    topic: "t",
    key: null,
    value: Buffer.alloc(bytes),
  });

  it("keeps a small send in one request", () => {
    // Prepare
    const messages = [message(100), message(100), message(100)];

    // Act
    const chunks = chunkMessages(messages, 10_000);

    // Assess
    expect(chunks).toEqual([messages]);
  });

  it("splits a large send into consecutive requests under the limit, in order", () => {
    // Prepare
    const messages = Array.from({ length: 10 }, () => message(300));
    const limit = 1_000;

    // Act
    const chunks = chunkMessages(messages, limit);

    // Assess
    expect(chunks.flat()).toEqual(messages);
    expect(chunks.map((chunk) => chunk.length)).toEqual([3, 3, 3, 1]);
    for (const chunk of chunks) {
      const bytes = chunk.reduce((sum, each) => sum + estimateMessageBytes(each), 0);
      expect(bytes).toBeLessThanOrEqual(limit);
    }
  });

  it("sends a message above the limit alone, so the broker judges it on its own", () => {
    // Prepare
    const messages = [message(10), message(5_000), message(10)];

    // Act
    const chunks = chunkMessages(messages, 1_000);

    // Assess
    expect(chunks.map((chunk) => chunk.length)).toEqual([1, 1, 1]);
  });

  it("makes no request for no messages", () => {
    // Assess
    expect(chunkMessages([], 1_000)).toEqual([]);
  });
});

describe("estimateMessageBytes", () => {
  it("counts key, value and headers in UTF-8 bytes, erring high", () => {
    // Prepare
    const message: OutgoingMessage = {
      topic: "t",
      key: "ключ",
      value: "€€",
      headers: [{ name: "h", value: Buffer.from([1, 2, 3]) }],
    };

    // Act
    const bytes = estimateMessageBytes(message);

    // Assess: 8 (key) + 6 (value) + 1 + 3 (header) at least
    expect(bytes).toBeGreaterThanOrEqual(18);
    expect(bytes).toBeLessThan(100);
  });

  it("never estimates a message below its UTF-8 bytes, whatever its headers' characters", () => {
    // Prepare: a 4-byte character (2 UTF-16 units), a 3-byte one (1 unit), binary bytes
    const headers = { "k\u{1F600}": "\u{1F600}".repeat(10), euro: "€".repeat(20) };
    const message: OutgoingMessage = {
      topic: "t",
      key: "ключ",
      value: "значение €",
      headers: [
        ...Object.entries(headers).map(([name, value]) => ({ name, value })),
        {
          name: "bin",
          value: Buffer.alloc(7),
        },
      ],
    };
    const utf8 =
      Buffer.byteLength("ключ") +
      Buffer.byteLength("значение €") +
      Object.entries(headers).reduce(
        (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value),
        0,
      ) +
      "bin".length +
      7;

    // Act
    const asList = estimateMessageBytes(message);
    const asMap = estimateMessageBytes({ ...message, headers });

    // Assess
    expect(asList).toBeGreaterThanOrEqual(utf8);
    expect(asMap).toBeGreaterThanOrEqual(utf8 - "bin".length - 7);
  });
});
