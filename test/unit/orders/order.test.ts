import { describe, expect, it } from "vitest";
import { readEvent } from "../../../shared/events";
import { cancelOrder, placeOrder, shipOrder } from "../../../shared/orders/commands";
import { decideTransition, type Order } from "../../../shared/orders/order";
import { IllegalTransitionError } from "../../../shared/orders/order-errors";
import { orderEventContracts } from "../../../shared/orders/order-events";

const now = new Date("2026-11-26T09:00:00.000Z");
const later = new Date("2026-11-26T10:00:00.000Z");

const placed = (): Order =>
  placeOrder.decide(
    {
      customer_id: "cus-1",
      currency: "EUR",
      items: [
        { sku: "SKU-1", quantity: 3, unit_price: "0.10" },
        { sku: "SKU-2", quantity: 1, unit_price: "19.99" },
      ],
    },
    { orderId: "ord-1", now },
  ).order;

describe("placeOrder", () => {
  it("creates a CREATED order at version 1 with an exact total and one valid OrderCreated", () => {
    // Act
    const { order, event } = placeOrder.decide(
      {
        customer_id: "cus-1",
        currency: "EUR",
        items: [
          { sku: "SKU-1", quantity: 3, unit_price: "0.10" },
          { sku: "SKU-2", quantity: 1, unit_price: "19.99" },
        ],
      },
      { orderId: "ord-1", now },
    );

    // Assess
    expect(order).toMatchObject({
      order_id: "ord-1",
      status: "CREATED",
      version: 1,
      total: "20.29",
      created_at: now.toISOString(),
    });
    expect(event).toMatchObject({
      event_type: "OrderCreated",
      aggregate_id: "ord-1",
      aggregate_version: 1,
      occurred_at: now.toISOString(),
      data: { customer_id: "cus-1", total: "20.29", currency: "EUR" },
    });
    expect(readEvent(orderEventContracts, JSON.stringify(event))).toEqual(event);
  });

  it("keeps only the item fields the contract names", () => {
    // Act
    const { order } = placeOrder.decide(
      {
        customer_id: "c",
        currency: "EUR",
        items: [{ sku: "A", quantity: 1, unit_price: "1", extra: "x" } as never],
      },
      { orderId: "o", now },
    );

    // Assess
    expect(order.items).toEqual([{ sku: "A", quantity: 1, unit_price: "1" }]);
  });
});

describe("shipOrder", () => {
  it("ships a CREATED order: version 2, carrier and tracking kept, one OrderShipped", () => {
    // Act
    const { order, event } = decideTransition(
      shipOrder,
      placed(),
      { carrier: "DHL", tracking_number: "JD1" },
      { now: later },
    );

    // Assess
    expect(order).toMatchObject({
      status: "SHIPPED",
      version: 2,
      carrier: "DHL",
      tracking_number: "JD1",
      shipped_at: later.toISOString(),
      updated_at: later.toISOString(),
    });
    expect(event).toMatchObject({
      event_type: "OrderShipped",
      aggregate_version: 2,
      data: {
        customer_id: "cus-1",
        carrier: "DHL",
        tracking_number: "JD1",
        shipped_at: later.toISOString(),
      },
    });
  });

  it.each(["SHIPPED", "CANCELLED"] as const)("refuses to ship a %s order", (status) => {
    // Prepare
    const order = { ...placed(), status, version: 2 };

    // Act
    const ship = () =>
      decideTransition(
        shipOrder,
        order,
        { carrier: "DHL", tracking_number: "JD1" },
        { now: later },
      );

    // Assess
    expect(ship).toThrow(IllegalTransitionError);
    expect(ship).toThrow(`Order ord-1 is ${status} and cannot be shipped`);
  });
});

describe("cancelOrder", () => {
  it("cancels a CREATED order: version 2, reason kept, one OrderCancelled carrying the total", () => {
    // Act
    const { order, event } = decideTransition(
      cancelOrder,
      placed(),
      { reason: "too slow" },
      { now: later },
    );

    // Assess
    expect(order).toMatchObject({
      status: "CANCELLED",
      version: 2,
      cancel_reason: "too slow",
      cancelled_at: later.toISOString(),
    });
    expect(event).toMatchObject({
      event_type: "OrderCancelled",
      aggregate_version: 2,
      data: {
        customer_id: "cus-1",
        reason: "too slow",
        total: "20.29",
        currency: "EUR",
        cancelled_at: later.toISOString(),
      },
    });
  });

  it.each(["SHIPPED", "CANCELLED"] as const)("refuses to cancel a %s order", (status) => {
    // Prepare
    const order = { ...placed(), status, version: 2 };

    // Act
    const cancel = () => decideTransition(cancelOrder, order, { reason: "r" }, { now: later });

    // Assess
    expect(cancel).toThrow(IllegalTransitionError);
    expect(cancel).toThrow(`Order ord-1 is ${status} and cannot be cancelled`);
  });

  it("increments from whatever version the order is at", () => {
    // Act
    const { order, event } = decideTransition(
      cancelOrder,
      { ...placed(), version: 7 },
      { reason: "r" },
      { now: later },
    );

    // Assess
    expect(order.version).toBe(8);
    expect(event.aggregate_version).toBe(8);
  });
});
