import { describe, expect, expectTypeOf, it } from "vitest";
import { createEvent } from "../../../shared/events";
import {
  type OrderEventContracts,
  type OrderEventOf,
  orderEventContracts,
} from "../../../shared/orders/order-events";
import { createEventRouter } from "../../../shared/router/event-router";

const shipped = createEvent(orderEventContracts.OrderShipped, {
  aggregateId: "ord-1",
  aggregateVersion: 2,
  data: {
    customer_id: "c-1",
    carrier: "DHL",
    tracking_number: "JD0001",
    shipped_at: "2026-11-26T10:00:00.000Z",
  },
});
const cancelled = createEvent(orderEventContracts.OrderCancelled, {
  aggregateId: "ord-1",
  aggregateVersion: 2,
  data: {
    customer_id: "c-1",
    reason: "r",
    cancelled_at: "2026-11-26T10:00:00.000Z",
    total: "1.00",
    currency: "EUR",
  },
});

describe("createEventRouter", () => {
  it("routes each event to the handler of its type with the context, typed", async () => {
    // Prepare
    const seen: string[] = [];
    const router = createEventRouter<OrderEventContracts, { requestId: string }, string>()
      .on("OrderShipped", async (event, context) => {
        expectTypeOf(event).toEqualTypeOf<OrderEventOf<"OrderShipped">>();
        expectTypeOf(event.data.tracking_number).toEqualTypeOf<string>();
        seen.push(`${context.requestId}:${event.data.tracking_number}`);
        return "shipped";
      })
      .on("OrderCancelled", async (event) => `cancelled:${event.data.reason}`);

    // Act
    const first = await router.route(shipped, { requestId: "r-1" });
    const second = await router.route(cancelled, { requestId: "r-2" });

    // Assess
    expect(first).toEqual({ outcome: "handled", eventType: "OrderShipped", result: "shipped" });
    expect(second).toEqual({
      outcome: "handled",
      eventType: "OrderCancelled",
      result: "cancelled:r",
    });
    expect(seen).toEqual(["r-1:JD0001"]);
    expect(router.eventTypes).toEqual(["OrderShipped", "OrderCancelled"]);
  });

  it("returns an explicit unrouted outcome for a type without a handler", async () => {
    // Prepare
    const router = createEventRouter<OrderEventContracts>().on(
      "OrderShipped",
      async () => undefined,
    );

    // Act
    const outcome = await router.route(cancelled);

    // Assess
    expect(outcome).toEqual({ outcome: "unrouted", eventType: "OrderCancelled" });
  });

  it("hands out the handler of an event's type, and none for a type without one", async () => {
    // Prepare
    const router = createEventRouter<OrderEventContracts, void, string>().on(
      "OrderShipped",
      async (event) => `shipped:${event.data.tracking_number}`,
    );

    // Act
    const handler = router.handlerOf(shipped);

    // Assess: also when called apart from the router, as callbacks are
    const { route, handlerOf } = router;
    expect(await handler?.(shipped)).toBe("shipped:JD0001");
    expect(handlerOf(cancelled)).toBeUndefined();
    expect(await route(shipped)).toEqual({
      outcome: "handled",
      eventType: "OrderShipped",
      result: "shipped:JD0001",
    });
  });

  it("refuses a second handler for the same type and leaves the first router unchanged", () => {
    // Prepare
    const base = createEventRouter<OrderEventContracts>();
    const withShipped = base.on("OrderShipped", async () => undefined);

    // Act
    const again = () => withShipped.on("OrderShipped", async () => undefined);

    // Assess
    expect(again).toThrow(/already registered/);
    expect(base.eventTypes).toEqual([]);
  });

  it("propagates a handler's error to the caller, who classifies it", async () => {
    // Prepare
    const router = createEventRouter<OrderEventContracts>().on("OrderShipped", async () => {
      throw new Error("table throttled");
    });

    // Act
    const outcome = router.route(shipped);

    // Assess
    await expect(outcome).rejects.toThrow("table throttled");
  });
});
