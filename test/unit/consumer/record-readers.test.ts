import { describe, expect, it } from "vitest";
import { ORDER_EVENTS_TOPIC, systemWiring } from "../../../infra/wiring/system-wiring";
import {
  ownedEventReader,
  type RecordReading,
  unroutedRecordReader,
} from "../../../shared/consumer";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";
import { orderEventContracts, orderEventTypes } from "../../../shared/orders/order-events";
import { FICTIONAL_EVENT_TYPE } from "../../support/fictional-event-type";
import { eventRecord, orderCreated, orderShipped, rawRecord } from "./fixtures";

const kindOf = (reading: RecordReading<unknown>): string =>
  reading.kind === "poison" ? `poison:${reading.error.kind}` : reading.kind;

const created = orderCreated("ord-1");
const samples: Record<string, KafkaRecord> = {
  "a valid OrderCreated": eventRecord(created, { offset: 0 }),
  "a valid OrderShipped": eventRecord(orderShipped("ord-1"), { offset: 1 }),
  "an OrderCreated breaking its contract": rawRecord(
    { ...created, data: { ...created.data, total: "0.01" } },
    { offset: 2, key: "ord-1" },
  ),
  "an OrderCancelled without an envelope": rawRecord(
    { event_type: "OrderCancelled" },
    { offset: 3, key: "x" },
  ),
  "a tombstone": rawRecord(null, { offset: 4, key: "ord-1" }),
  "malformed JSON": rawRecord('{"event_type": "OrderCreated"', { offset: 5, key: "x" }),
  "bytes that are not UTF-8": rawRecord(Buffer.from([0xff, 0xfe, 0x00]), { offset: 6, key: "x" }),
  "a JSON array": rawRecord("[1, 2]", { offset: 7, key: "x" }),
  "an object without event_type": rawRecord({ hello: "world" }, { offset: 8, key: "x" }),
  "a numeric event_type": rawRecord({ event_type: 7 }, { offset: 9, key: "x" }),
  "an unknown event_type": rawRecord(
    { ...created, event_type: FICTIONAL_EVENT_TYPE },
    { offset: 10 },
  ),
};

describe("ownedEventReader", () => {
  const read = ownedEventReader(orderEventContracts, ["OrderCreated"]);

  it.each([
    ["a valid OrderCreated", "event"],
    ["an OrderCreated breaking its contract", "poison:invalid"],
    ["a valid OrderShipped", "foreign"],
    ["an OrderCancelled without an envelope", "foreign"],
    ["a tombstone", "foreign"],
    ["malformed JSON", "foreign"],
    ["an unknown event_type", "foreign"],
  ])("reads %s as %s", (sample, expected) => {
    // Act
    const reading = read(samples[sample] as KafkaRecord);

    // Assess
    expect(kindOf(reading)).toBe(expected);
  });

  it("names the broken field of its own type's poison", () => {
    // Act
    const reading = read(samples["an OrderCreated breaking its contract"] as KafkaRecord);

    // Assess
    expect(reading.kind === "poison" && reading.error.message).toContain("data.total");
  });

  it("refuses to own a type without a contract", () => {
    // Assess
    expect(() => ownedEventReader(orderEventContracts, [FICTIONAL_EVENT_TYPE])).toThrow(
      `No contract for event types: ${FICTIONAL_EVENT_TYPE}`,
    );
  });
});

describe("unroutedRecordReader", () => {
  const read = unroutedRecordReader(orderEventTypes);

  it.each([
    ["a tombstone", "poison:undecodable"],
    ["malformed JSON", "poison:undecodable"],
    ["bytes that are not UTF-8", "poison:undecodable"],
    ["a JSON array", "poison:undecodable"],
    ["an object without event_type", "poison:invalid"],
    ["a numeric event_type", "poison:invalid"],
    ["an unknown event_type", "poison:unknown-type"],
    ["a valid OrderCreated", "foreign"],
    ["an OrderCreated breaking its contract", "foreign"],
    ["an OrderCancelled without an envelope", "foreign"],
  ])("reads %s as %s", (sample, expected) => {
    // Act
    const reading = read(samples[sample] as KafkaRecord);

    // Assess
    expect(kindOf(reading)).toBe(expected);
  });

  it("says which type no function consumes", () => {
    // Act
    const reading = read(samples["an unknown event_type"] as KafkaRecord);

    // Assess
    expect(reading.kind === "poison" && reading.error.message).toContain(
      `"${FICTIONAL_EVENT_TYPE}"`,
    );
  });
});

describe("record ownership", () => {
  it("gives every record exactly one owner among the typed consumers and the unrouted one", () => {
    // Prepare
    const readers = [
      ...orderEventTypes.map((eventType) => ownedEventReader(orderEventContracts, [eventType])),
      unroutedRecordReader(orderEventTypes),
    ];

    // Act
    const owners = Object.values(samples).map(
      (record) => readers.filter((read) => read(record).kind !== "foreign").length,
    );

    // Assess
    expect(owners).toEqual(Object.values(samples).map(() => 1));
  });

  it("matches the wiring: the consumers' filters cover exactly the order event types, the unrouted trigger has none", () => {
    // Prepare
    const triggers = systemWiring.functions.flatMap((fn) =>
      fn.trigger?.kind === "kafka" && fn.trigger.topic === ORDER_EVENTS_TOPIC
        ? [{ name: fn.name, filters: fn.trigger.filters }]
        : [],
    );

    // Act
    const filtered = triggers
      .filter(({ filters }) => filters.length > 0)
      .flatMap(({ filters }) =>
        filters.flatMap((pattern) => {
          const value = pattern.value;
          const eventType =
            value !== undefined && !Array.isArray(value)
              ? (value as Record<string, unknown>).event_type
              : undefined;
          return Array.isArray(eventType) ? eventType : [];
        }),
      );
    const unfiltered = triggers.filter(({ filters }) => filters.length === 0);

    // Assess
    expect([...filtered].sort()).toEqual([...orderEventTypes].sort());
    expect(new Set(filtered).size).toBe(filtered.length);
    expect(unfiltered.map(({ name }) => name)).toEqual(["unrouted-events"]);
  });
});
