import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineEventContract } from "../../../shared/events";
import {
  decodeKafkaEvent,
  decodeRecordValue,
  parseRecordValue,
  toKafkaRecord,
} from "../../../shared/kafka/decode-kafka-event";
import { headerText } from "../../../shared/kafka/kafka-record";
import type { LambdaKafkaEvent } from "../../../shared/kafka/lambda-kafka-event";
import { RecordDecodeError } from "../../../shared/kafka/record-decode-error";
import { orderEventContracts } from "../../../shared/orders/order-events";
import { FICTIONAL_EVENT_TYPE } from "../../support/fictional-event-type";
import { lambdaKafkaRecord } from "../../support/msk-events";
import { rawRecord } from "../consumer/fixtures";

const fixture = (name: string): LambdaKafkaEvent =>
  JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures", name), "utf8"));

const decodeFixture = (name: string) => decodeKafkaEvent(orderEventContracts, fixture(name));

describe("decodeKafkaEvent on an MSK event", () => {
  const outcomes = decodeFixture("msk-event.json");
  const at = (partition: number, offset: number) => {
    const outcome = outcomes.find(
      (o) => o.record.partition === partition && o.record.offset === offset,
    );
    if (outcome === undefined) throw new Error(`no record ${partition}@${offset}`);
    return outcome;
  };
  const failureOf = (partition: number, offset: number): RecordDecodeError => {
    const outcome = at(partition, offset);
    if (outcome.status !== "failed") throw new Error(`${partition}@${offset} decoded`);
    return outcome.error;
  };

  it("returns one outcome per record across every topic-partition, in Lambda's order", () => {
    // Assess
    expect(
      outcomes.map((o) => `${o.record.topic}-${o.record.partition}@${o.record.offset}`),
    ).toEqual([
      "order-events-0@15",
      "order-events-0@16",
      "order-events-0@17",
      "order-events-1@3",
      "order-events-1@4",
      "order-events-1@5",
      "order-events-1@6",
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      "decoded",
      "decoded",
      "failed",
      "decoded",
      "failed",
      "failed",
      "failed",
    ]);
  });

  it("decodes base64 keys and values into typed events, upcasting old versions", () => {
    // Act
    const first = at(0, 15);
    const second = at(0, 16);

    // Assess
    expect(first.record.key?.toString()).toBe("ord-1");
    expect(first.status === "decoded" && first.event.event_type).toBe("OrderCreated");
    expect(second.status === "decoded" && second.event).toMatchObject({
      event_type: "OrderShipped",
      event_version: 2,
      data: { tracking_number: "JD0001", shipped_at: "2026-11-26T10:00:00.000Z" },
    });
  });

  it("keeps headers as the bytes that were produced", () => {
    // Assess
    expect(headerText(at(0, 15).record, "traceparent")).toBe(
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    );
    expect([...(at(1, 4).record.headers[0]?.value ?? [])]).toEqual([0, 255, 128]);
  });

  it("decodes a record without a key", () => {
    // Act
    const outcome = at(1, 3);

    // Assess
    expect(outcome.record.key).toBeNull();
    expect(outcome.status === "decoded" && outcome.event.event_type).toBe("OrderCancelled");
  });

  it("reports a tombstone as undecodable, with its origin", () => {
    // Act
    const error = failureOf(0, 17);

    // Assess
    expect(error).toBeInstanceOf(RecordDecodeError);
    expect(error.permanent).toBe(true);
    expect(error.kind).toBe("undecodable");
    expect(error.origin).toMatchObject({ topic: "order-events", partition: 0, offset: 17 });
    expect(error.message).toContain("tombstone");
    expect(at(0, 17).record.value).toBeNull();
  });

  it("reports a non-UTF-8 binary value as undecodable and keeps its bytes", () => {
    // Act
    const error = failureOf(1, 4);

    // Assess
    expect(error.kind).toBe("undecodable");
    expect(error.message).toContain("not UTF-8");
    expect([...(at(1, 4).record.value ?? [])]).toEqual([0xff, 0xfe, 0x00, 0x81]);
  });

  it("reports malformed JSON as undecodable and an unknown type as unknown-type", () => {
    // Assess
    expect(failureOf(1, 5).kind).toBe("undecodable");
    expect(failureOf(1, 5).message).toContain("not JSON");
    expect(failureOf(1, 6).kind).toBe("unknown-type");
    expect(failureOf(1, 6).message).toContain(`"${FICTIONAL_EVENT_TYPE}"`);
  });
});

describe("decodeKafkaEvent edge cases", () => {
  it("decodes a self-managed Kafka event (no eventSourceArn)", () => {
    // Act
    const [outcome] = decodeFixture("self-managed-kafka-event.json");

    // Assess
    expect(outcome?.status).toBe("decoded");
    expect(outcome?.record).toMatchObject({ topic: "order-events", partition: 2, offset: 0 });
  });

  it("reports an event that breaks its contract as invalid, naming the field", () => {
    // Prepare
    const event = fixture("self-managed-kafka-event.json");
    const record = event.records["order-events-2"]?.[0];
    if (record?.value == null) throw new Error("fixture without value");
    const value = JSON.parse(Buffer.from(record.value, "base64").toString());
    value.data.total = "1.00";
    record.value = Buffer.from(JSON.stringify(value)).toString("base64");

    // Act
    const [outcome] = decodeKafkaEvent(orderEventContracts, event);

    // Assess
    expect(outcome?.status === "failed" && outcome.error.kind).toBe("invalid");
    expect(outcome?.status === "failed" && outcome.error.unexpected).toBe(false);
    expect(outcome?.status === "failed" && outcome.error.message).toContain("data.total");
  });

  it("reports an event whose contract throws while reading it as invalid, instead of throwing", () => {
    // Prepare: a refinement that throws on what it did not expect, as BigInt does on "1.5x"
    const contracts = {
      Tick: defineEventContract({
        eventType: "Tick",
        aggregateType: "Clock",
        version: 1,
        data: z.looseObject({ at: z.string() }).refine(({ at }) => BigInt(at) > 0n),
      }),
    };
    const value = {
      event_id: "3f2b8c1e-8d6a-4c55-9b1e-7c2f0a9d4e61",
      event_type: "Tick",
      event_version: 1,
      aggregate_type: "Clock",
      aggregate_id: "clock-1",
      aggregate_version: 1,
      occurred_at: "2026-11-26T09:00:00.000Z",
      data: { at: "1.5x" },
    };
    const record = toKafkaRecord({
      topic: "ticks",
      partition: 3,
      offset: 7,
      timestamp: 0,
      timestampType: "CREATE_TIME",
      value: Buffer.from(JSON.stringify(value)).toString("base64"),
    });

    // Act
    const outcome = decodeRecordValue(contracts, record, value);

    // Assess
    expect(outcome.status).toBe("failed");
    if (outcome.status !== "failed") return;
    expect(outcome.error.kind).toBe("invalid");
    expect(outcome.error.unexpected).toBe(true);
    expect(outcome.error.message).toBe(
      "ticks-3@7 is invalid: reading the event threw: Cannot convert 1.5x to a BigInt",
    );
  });

  it("decodes a 1 MB value", () => {
    // Prepare
    const event = fixture("self-managed-kafka-event.json");
    const record = event.records["order-events-2"]?.[0];
    if (record?.value == null) throw new Error("fixture without value");
    const value = JSON.parse(Buffer.from(record.value, "base64").toString());
    value.data.note = "x".repeat(1024 * 1024);
    record.value = Buffer.from(JSON.stringify(value)).toString("base64");

    // Act
    const [outcome] = decodeKafkaEvent(orderEventContracts, event);

    // Assess
    expect(outcome?.record.value?.length).toBeGreaterThan(1024 * 1024);
    expect(outcome?.status === "decoded" && outcome.event.data).toMatchObject({
      note: expect.any(String),
    });
  });

  describe("reads a value as UTF-8 exactly when its bytes are well-formed UTF-8", () => {
    const json = (text: string) => Buffer.from(`{"text":"${text}"}`);
    const parsedValueOf = (bytes: Buffer) =>
      parseRecordValue(toKafkaRecord(lambdaKafkaRecord(rawRecord(bytes, { offset: 1 }))));
    const textOf = (bytes: Buffer) => {
      const parsed = parsedValueOf(bytes);
      return parsed.status === "parsed" ? parsed.value.text : parsed.error.message;
    };

    it.each([
      ["a real U+FFFD", json("\uFFFD"), "\uFFFD"],
      ["4-byte characters", json("\u{1F4E6}"), "\u{1F4E6}"],
    ])("keeps %s", (_case, bytes, text) => {
      expect(textOf(bytes)).toBe(text);
    });

    it("drops a leading byte order mark, as a TextDecoder does", () => {
      expect(textOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json("a")]))).toBe("a");
    });

    it.each([
      ["a lone continuation byte", [0x80]],
      ["a surrogate written as UTF-8", [0xed, 0xa0, 0x80]],
      ["an overlong encoding", [0xc0, 0xaf]],
      ["a code point past U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
      ["a truncated sequence", [0xe2, 0x82]],
      ["a malformed byte beside a real U+FFFD", [0xef, 0xbf, 0xbd, 0xff]],
    ])("refuses %s as undecodable", (_case, bytes) => {
      const value = Buffer.concat([
        Buffer.from('{"text":"'),
        Buffer.from(bytes),
        Buffer.from('"}'),
      ]);
      const parsed = parsedValueOf(value);
      expect(parsed.status === "failed" && parsed.error.kind).toBe("undecodable");
      expect(parsed.status === "failed" && parsed.error.message).toContain("not UTF-8");
    });
  });

  it("treats a null key and a null value like missing ones", () => {
    // Prepare
    const event: LambdaKafkaEvent = {
      eventSource: "aws:kafka",
      records: {
        "t-0": [
          {
            topic: "t",
            partition: 0,
            offset: 1,
            timestamp: 0,
            timestampType: "CREATE_TIME",
            key: null,
            value: null,
            headers: [],
          },
        ],
      },
    };

    // Act
    const [outcome] = decodeKafkaEvent(orderEventContracts, event);

    // Assess
    expect(outcome?.record.key).toBeNull();
    expect(outcome?.status === "failed" && outcome.error.kind).toBe("undecodable");
  });

  it("rejects an invocation that is not a Kafka event at all", () => {
    // Act
    const decode = () =>
      decodeKafkaEvent(orderEventContracts, { Records: [] } as unknown as LambdaKafkaEvent);

    // Assess
    expect(decode).toThrow(/eventSource/);
  });
});
