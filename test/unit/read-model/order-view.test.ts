import { describe, expect, it } from "vitest";
import { deriveOrderView, type OrderFacts, orderFactOf } from "../../../shared/read-model";
import { cancelled, created, shipped } from "./fixtures";

const factsOf = (...events: Parameters<typeof orderFactOf>[0][]): OrderFacts =>
  Object.fromEntries(
    events.map((event) => {
      const { attribute, fact } = orderFactOf(event);
      return [attribute, fact];
    }),
  );

const permutations = <T>(items: readonly T[]): T[][] =>
  items.length <= 1
    ? [[...items]]
    : items.flatMap((item, index) =>
        permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
          item,
          ...rest,
        ]),
      );

describe("orderFactOf", () => {
  it("keeps each event's facts under its own attribute, with its version", () => {
    // Assess
    expect(orderFactOf(created)).toEqual({
      attribute: "created",
      fact: {
        customer_id: "cus-7",
        items: [
          { sku: "SKU-1", quantity: 2, unit_price: "10.25" },
          { sku: "SKU-2", quantity: 1, unit_price: "4.50" },
        ],
        total: "25.00",
        currency: "EUR",
        created_at: "2026-11-26T09:00:00.000Z",
        version: 1,
      },
    });
    expect(orderFactOf(shipped)).toEqual({
      attribute: "shipped",
      fact: {
        customer_id: "cus-7",
        carrier: "DHL",
        tracking_number: "JD0001",
        shipped_at: "2026-11-26T10:00:00.000Z",
        version: 2,
      },
    });
    expect(orderFactOf(cancelled).fact).toMatchObject({
      reason: "changed my mind",
      total: "25.00",
      version: 2,
    });
  });
});

describe("deriveOrderView", () => {
  it("serves a created order with its items, total and currency", () => {
    // Assess
    expect(deriveOrderView("ord-7", factsOf(created))).toEqual({
      order_id: "ord-7",
      status: "CREATED",
      version: 1,
      customer_id: "cus-7",
      total: "25.00",
      currency: "EUR",
      created_at: "2026-11-26T09:00:00.000Z",
      items: [
        { sku: "SKU-1", quantity: 2, unit_price: "10.25" },
        { sku: "SKU-2", quantity: 1, unit_price: "4.50" },
      ],
    });
  });

  it("takes the status and version of the highest aggregate_version, whatever arrived first", () => {
    // Act
    const views = permutations([created, shipped]).map((events) =>
      deriveOrderView("ord-7", factsOf(...events)),
    );

    // Assess
    expect(views[0]).toMatchObject({
      status: "SHIPPED",
      version: 2,
      total: "25.00",
      carrier: "DHL",
      tracking_number: "JD0001",
      shipped_at: "2026-11-26T10:00:00.000Z",
    });
    expect(views[1]).toEqual(views[0]);
  });

  it("converges over three facts in all six arrival orders", () => {
    // Prepare: a later cancellation after shipping (version 3), beyond today's rules
    const cancelledLater = { ...cancelled, aggregate_version: 3 };

    // Act
    const views = permutations([created, shipped, cancelledLater]).map((events) =>
      deriveOrderView("ord-7", factsOf(...events)),
    );

    // Assess
    expect(views).toHaveLength(6);
    expect(new Set(views.map((view) => JSON.stringify(view))).size).toBe(1);
    expect(views[0]).toMatchObject({
      status: "CANCELLED",
      version: 3,
      carrier: "DHL",
      reason: "changed my mind",
    });
  });

  it("serves what is known before OrderCreated arrives, leaving out what is not", () => {
    // Act
    const onlyShipped = deriveOrderView("ord-7", factsOf(shipped));
    const onlyCancelled = deriveOrderView("ord-7", factsOf(cancelled));

    // Assess
    expect(onlyShipped).toEqual({
      order_id: "ord-7",
      status: "SHIPPED",
      version: 2,
      customer_id: "cus-7",
      carrier: "DHL",
      tracking_number: "JD0001",
      shipped_at: "2026-11-26T10:00:00.000Z",
    });
    expect(onlyCancelled).toMatchObject({ status: "CANCELLED", total: "25.00", currency: "EUR" });
  });

  it("breaks a tie of versions the same way every time", () => {
    // Assess
    expect(deriveOrderView("ord-7", factsOf(shipped, cancelled))?.status).toBe("CANCELLED");
    expect(deriveOrderView("ord-7", factsOf(cancelled, shipped))?.status).toBe("CANCELLED");
  });

  it("has no view before any event", () => {
    // Assess
    expect(deriveOrderView("ord-7", {})).toBeUndefined();
  });
});
