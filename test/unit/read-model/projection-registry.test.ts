/**
 * The registries keyed by event type are complete by construction: leaving an event type out
 * of the projections or of the wiring's consumers does not compile. The `@ts-expect-error`
 * lines are the proof: `npm run typecheck` fails if any of them stops being an error.
 */
import { describe, expect, it } from "vitest";
import { consumerFunctionOf } from "../../../infra/wiring/system-wiring";
import { orderEventTypes } from "../../../shared/orders/order-events";
import { orderProjections, type ProjectionRegistry } from "../../../shared/read-model/projections";

describe("the projection registry", () => {
  it("does not compile without a projection for every event type", () => {
    // Prepare
    const { OrderCancelled: _left, ...withoutOne } = orderProjections;

    // Act
    // @ts-expect-error Property 'OrderCancelled' is missing: every event type needs a projection.
    const incomplete: ProjectionRegistry = withoutOne;

    // Assess
    expect(Object.keys(incomplete)).not.toContain("OrderCancelled");
  });

  it("does not compile with a projection typed for another event", () => {
    // Act
    const swapped: ProjectionRegistry = {
      ...orderProjections,
      // @ts-expect-error OrderShipped's projection reads OrderShipped events, not OrderCreated.
      OrderCreated: orderProjections.OrderShipped,
    };

    // Assess
    expect(swapped.OrderCreated).toBe(orderProjections.OrderShipped);
  });

  it("has one projection, with its own attribute, per event type", () => {
    // Assess
    expect(Object.keys(orderProjections).sort()).toEqual([...orderEventTypes].sort());
    const attributes = Object.values(orderProjections).map(({ attribute }) => attribute);
    expect(new Set(attributes).size).toBe(attributes.length);
  });
});

describe("the wiring's consumers", () => {
  it("does not compile without a consumer function for every event type", () => {
    // Prepare
    const { OrderShipped: _left, ...withoutOne } = consumerFunctionOf;

    // Act
    // @ts-expect-error Property 'OrderShipped' is missing: every event type needs its consumer.
    const incomplete: typeof consumerFunctionOf = withoutOne;

    // Assess
    expect(Object.keys(incomplete)).not.toContain("OrderShipped");
  });
});
