import { describe, expect, it } from "vitest";
import {
  createEvent,
  InvalidEventError,
  MalformedEventError,
  moneyEquals,
  multiplyMoney,
  readEvent,
  sumMoney,
  UnknownEventTypeError,
} from "../../../shared/events";
import { orderEventContracts } from "../../../shared/orders/order-events";
import { totalOf } from "../../../shared/orders/order-fields";
import { FICTIONAL_EVENT_TYPE } from "../../support/fictional-event-type";

const created = () => ({
  event_id: "6f1c1a52-5d55-4d8c-9a43-0c7c0f1c2a01",
  event_type: "OrderCreated",
  event_version: 1,
  aggregate_type: "Order",
  aggregate_id: "ord-1",
  aggregate_version: 1,
  occurred_at: "2026-11-26T09:00:00.000Z",
  data: {
    customer_id: "cus-1",
    items: [
      { sku: "SKU-1", quantity: 2, unit_price: "10.25" },
      { sku: "SKU-2", quantity: 1, unit_price: "4.5" },
    ],
    total: "25.00",
    currency: "EUR",
  },
});

const shipped = () => ({
  ...created(),
  event_id: "6f1c1a52-5d55-4d8c-9a43-0c7c0f1c2a02",
  event_type: "OrderShipped",
  event_version: 2,
  aggregate_version: 2,
  occurred_at: "2026-11-26T10:00:00.000Z",
  data: {
    customer_id: "cus-1",
    carrier: "DHL",
    tracking_number: "JD0001",
    shipped_at: "2026-11-26T09:59:00.000Z",
  },
});

const cancelled = () => ({
  ...created(),
  event_id: "6f1c1a52-5d55-4d8c-9a43-0c7c0f1c2a03",
  event_type: "OrderCancelled",
  aggregate_version: 2,
  data: {
    customer_id: "cus-1",
    reason: "changed mind",
    cancelled_at: "2026-11-26T11:00:00.000Z",
    total: "25.00",
    currency: "EUR",
  },
});

const issuesOf = (input: unknown): readonly string[] => {
  try {
    readEvent(orderEventContracts, input);
  } catch (error) {
    if (error instanceof InvalidEventError) return error.issues;
    throw error;
  }
  throw new Error("expected the event to be rejected");
};

describe("order event contracts", () => {
  it.each([
    ["OrderCreated", created],
    ["OrderShipped", shipped],
    ["OrderCancelled", cancelled],
  ])("reads a valid %s from JSON text into a typed event", (eventType, build) => {
    // Act
    const event = readEvent(orderEventContracts, JSON.stringify(build()));

    // Assess
    expect(event.event_type).toBe(eventType);
    expect(event).toEqual(build());
  });

  it("tolerates unknown extra fields in the envelope and the payload, and keeps them", () => {
    // Prepare
    const input = {
      ...created(),
      schema_hint: "x",
      data: { ...created().data, coupon: "WELCOME" },
    };

    // Act
    const event = readEvent(orderEventContracts, input);

    // Assess
    expect(event).toMatchObject({ schema_hint: "x", data: { coupon: "WELCOME" } });
  });

  it.each([
    ["event_id", { event_id: "not-a-uuid" }, "event_id: must be a UUID"],
    ["event_id (missing)", { event_id: undefined }, "event_id: must be a UUID"],
    ["event_id (a number)", { event_id: 5 }, "event_id: must be a UUID"],
    ["event_version", { event_version: 0 }, "event_version"],
    ["aggregate_type", { aggregate_type: "Invoice" }, "aggregate_type"],
    ["aggregate_id", { aggregate_id: "" }, "aggregate_id"],
    ["aggregate_version", { aggregate_version: 1.5 }, "aggregate_version"],
    [
      "occurred_at (offset, not UTC)",
      { occurred_at: "2026-11-26T09:00:00+01:00" },
      "occurred_at: must be an ISO-8601 UTC timestamp",
    ],
    ["occurred_at (not a date)", { occurred_at: "yesterday" }, "occurred_at"],
    [
      "aggregate_id (a lone surrogate)",
      { aggregate_id: "ord-\udc00" },
      "aggregate_id: must be well-formed Unicode text",
    ],
  ])("rejects an invalid %s", (_field, override, expected) => {
    // Act
    const issues = issuesOf({ ...created(), ...override });

    // Assess
    expect(issues.join("\n")).toContain(expected);
  });

  it.each([
    "event_id",
    "event_type",
    "event_version",
    "aggregate_id",
    "aggregate_version",
    "occurred_at",
    "data",
  ])("rejects an event without %s", (field) => {
    // Prepare
    const input: Record<string, unknown> = created();
    delete input[field];

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues.join("\n")).toContain(field);
  });

  it.each([
    ["customer_id missing", { customer_id: undefined }, "data.customer_id"],
    ["no items", { items: [], total: "0" }, "data.items: must hold at least one item"],
    [
      "more items than an order may hold",
      { items: Array.from({ length: 101 }, () => ({ sku: "A", quantity: 1, unit_price: "1" })) },
      "data.items: must hold at most 100 items",
    ],
    [
      "quantity 0",
      { items: [{ sku: "A", quantity: 0, unit_price: "1.00" }], total: "0" },
      "data.items.0.quantity: must be a whole number above 0",
    ],
    [
      "fractional quantity",
      { items: [{ sku: "A", quantity: 1.5, unit_price: "1.00" }], total: "1.50" },
      "data.items.0.quantity",
    ],
    [
      "price as a float",
      { items: [{ sku: "A", quantity: 1, unit_price: 1.25 }], total: "1.25" },
      "data.items.0.unit_price",
    ],
    [
      "negative price",
      { items: [{ sku: "A", quantity: 1, unit_price: "-1.00" }], total: "1.00" },
      "data.items.0.unit_price: must be a non-negative decimal string",
    ],
    [
      "too many decimals",
      { items: [{ sku: "A", quantity: 1, unit_price: "1.00001" }], total: "1.00001" },
      "data.items.0.unit_price",
    ],
    [
      "a total that is not a number",
      { total: "12.5x" },
      "data.total: must be a non-negative decimal string",
    ],
    [
      "a unit price that is not a number",
      { items: [{ sku: "A", quantity: 1, unit_price: "abc" }], total: "1.00" },
      "data.items.0.unit_price: must be a non-negative decimal string",
    ],
    [
      "total not the sum",
      { total: "25.01" },
      "data.total: must equal the sum of quantity x unit_price",
    ],
    ["unknown currency", { currency: "EURO" }, "data.currency: must be an ISO 4217 currency code"],
    [
      "a lone surrogate in a customer id",
      { customer_id: "cus-\ud800" },
      "data.customer_id: must be well-formed Unicode text",
    ],
    [
      "a lone surrogate in a sku",
      { items: [{ sku: "\ud83d", quantity: 1, unit_price: "25.00" }] },
      "data.items.0.sku: must be well-formed Unicode text",
    ],
  ])("rejects an OrderCreated with %s", (_case, override, expected) => {
    // Act
    const issues = issuesOf({ ...created(), data: { ...created().data, ...override } });

    // Assess
    expect(issues.join("\n")).toContain(expected);
  });

  it("rejects 200,000 empty items with one issue, before looking at any of them", () => {
    // Act
    const issues = issuesOf({
      ...created(),
      data: { ...created().data, items: Array.from({ length: 200_000 }, () => ({})) },
    });

    // Assess
    expect(issues).toEqual(["data.items: must hold at most 100 items"]);
  });

  it("describes the first 20 issues of an event that breaks its contract everywhere, and counts the rest", () => {
    // Prepare: 100 items, each missing all three fields
    const input = {
      ...created(),
      data: { ...created().data, items: Array.from({ length: 100 }, () => ({})) },
    };

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toHaveLength(21);
    expect(issues[0]).toContain("data.items.0.sku");
    // 100 items x 3 missing fields: 300 issues, 20 described, 280 counted
    expect(issues[20]).toBe("(280 more issues)");
  });

  it.each([
    ["carrier", "data.carrier"],
    ["tracking_number", "data.tracking_number"],
    ["shipped_at", "data.shipped_at"],
  ])("rejects an OrderShipped v2 without %s", (field, expected) => {
    // Prepare
    const input = shipped();
    const data: Record<string, unknown> = { ...input.data };
    delete data[field];

    // Act
    const issues = issuesOf({ ...input, data });

    // Assess
    expect(issues.join("\n")).toContain(expected);
  });

  it.each([
    ["reason", { reason: "" }],
    ["cancelled_at", { cancelled_at: "11:00" }],
    ["total", { total: "nine" }],
    ["currency", { currency: "usd" }],
  ])("rejects an OrderCancelled with a bad %s", (field, override) => {
    // Act
    const issues = issuesOf({ ...cancelled(), data: { ...cancelled().data, ...override } });

    // Assess
    expect(issues.join("\n")).toContain(`data.${field}`);
  });

  it("upcasts an OrderShipped v1 (no shipped_at) to v2, taking shipped_at from occurred_at", () => {
    // Prepare
    const v1 = {
      ...shipped(),
      event_version: 1,
      data: { customer_id: "cus-1", carrier: "DHL", tracking_number: "JD0001" },
    };

    // Act
    const event = readEvent(orderEventContracts, v1);

    // Assess
    expect(event.event_version).toBe(2);
    expect(event.data).toEqual({
      customer_id: "cus-1",
      carrier: "DHL",
      tracking_number: "JD0001",
      shipped_at: "2026-11-26T10:00:00.000Z",
    });
  });

  it("rejects a version newer than the reader knows", () => {
    // Act
    const issues = issuesOf({ ...shipped(), event_version: 3 });

    // Assess
    expect(issues.join("\n")).toContain("event_version: 3 is newer than the 2 this reader knows");
  });

  it("tells an unknown type and malformed input apart from invalid events", () => {
    // Act
    const unknownType = () =>
      readEvent(orderEventContracts, { ...created(), event_type: FICTIONAL_EVENT_TYPE });
    const prototypeKey = () =>
      readEvent(orderEventContracts, { ...created(), event_type: "toString" });
    const notJson = () => readEvent(orderEventContracts, '{"event_id": "broken');
    const notAnObject = () => readEvent(orderEventContracts, "[1, 2]");

    // Assess
    expect(unknownType).toThrow(UnknownEventTypeError);
    expect(prototypeKey).toThrow(UnknownEventTypeError);
    expect(notJson).toThrow(MalformedEventError);
    expect(notAnObject).toThrow(MalformedEventError);
  });
});

describe("createEvent", () => {
  it("builds a valid event with a fresh id, the current version and a UTC time", () => {
    // Act
    const event = createEvent(orderEventContracts.OrderShipped, {
      aggregateId: "ord-1",
      aggregateVersion: 2,
      occurredAt: new Date("2026-11-26T10:00:00Z"),
      data: {
        customer_id: "cus-1",
        carrier: "UPS",
        tracking_number: "1Z",
        shipped_at: "2026-11-26T10:00:00.000Z",
      },
    });
    const another = createEvent(orderEventContracts.OrderShipped, {
      aggregateId: "ord-1",
      aggregateVersion: 2,
      data: event.data,
    });

    // Assess
    expect(event).toMatchObject({
      event_type: "OrderShipped",
      event_version: 2,
      aggregate_type: "Order",
      aggregate_id: "ord-1",
      aggregate_version: 2,
      occurred_at: "2026-11-26T10:00:00.000Z",
    });
    expect(event.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(another.event_id).not.toBe(event.event_id);
    expect(readEvent(orderEventContracts, JSON.stringify(event))).toEqual(event);
  });

  it("refuses to build an event that breaks its contract", () => {
    // Act
    const build = () =>
      createEvent(orderEventContracts.OrderCreated, {
        aggregateId: "ord-1",
        aggregateVersion: 1,
        data: {
          customer_id: "c",
          items: [{ sku: "A", quantity: 1, unit_price: "2.00" }],
          total: "3.00",
          currency: "EUR",
        },
      });

    // Assess
    expect(build).toThrow(/data.total: must equal the sum/);
  });
});

describe("money", () => {
  it("sums exactly where floats would not", () => {
    // Act & Assess
    expect(sumMoney(["0.1", "0.2"])).toBe("0.30");
    expect(multiplyMoney("19.99", 3)).toBe("59.97");
    expect(sumMoney(["999999999999999.9999", "0.0001"])).toBe("1000000000000000.00");
    expect(
      totalOf([
        { quantity: 3, unit_price: "0.3333" },
        { quantity: 1, unit_price: "0.0001" },
      ]),
    ).toBe("1.00");
  });

  it("compares amounts by value, not by spelling", () => {
    // Act & Assess
    expect(moneyEquals("7", "7.00")).toBe(true);
    expect(moneyEquals("7.5", "7.50")).toBe(true);
    expect(moneyEquals("7.05", "7.5")).toBe(false);
  });
});
