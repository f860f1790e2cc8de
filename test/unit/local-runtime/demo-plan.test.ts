import { describe, expect, it } from "vitest";
import { newRunId, planDemo } from "../../../infra/local/demo/demo-plan";
import {
  kafkaFilterDocument,
  matchesAnyFilter,
} from "../../../infra/local/runtime/filter-patterns";
import { systemWiring } from "../../../infra/wiring/system-wiring";
import { multiplyMoney, sumMoney } from "../../../shared/events";
import { placeOrderRequestSchema } from "../../../shared/orders/commands";

const now = new Date("2026-11-26T09:00:00.000Z");
let ids = 0;
const plan = (orderCount: number) =>
  planDemo({
    runId: "demo-run1",
    orderCount,
    topic: "order-events",
    now,
    newId: () => `id-${++ids}`,
  });

const bytesOf = (text: string | Buffer | null | undefined): Buffer | null =>
  text === null || text === undefined ? null : Buffer.from(text);

describe("planDemo", () => {
  it("places orders for customers of its own, two each in turn, each customer's orders ending differently", () => {
    // Act
    const { orders, customers } = plan(6);

    // Assess
    expect(customers).toEqual(["demo-run1-cus-1", "demo-run1-cus-2", "demo-run1-cus-3"]);
    expect(orders.map((order) => [order.customerId, order.fate])).toEqual([
      ["demo-run1-cus-1", "ship"],
      ["demo-run1-cus-1", "cancel"],
      ["demo-run1-cus-2", "keep"],
      ["demo-run1-cus-2", "ship"],
      ["demo-run1-cus-3", "cancel"],
      ["demo-run1-cus-3", "keep"],
    ]);
  });

  it("names only the customers that get an order", () => {
    // Act
    const { customers } = plan(1);

    // Assess
    expect(customers).toEqual(["demo-run1-cus-1"]);
  });

  it("places orders the API accepts", () => {
    // Act
    const { orders } = plan(12);

    // Assess
    for (const order of orders) {
      const request = {
        customer_id: order.customerId,
        currency: order.currency,
        items: order.items,
      };
      expect(placeOrderRequestSchema.safeParse(request).success).toBe(true);
    }
    const first = orders[0];
    expect(
      sumMoney(first?.items.map((item) => multiplyMoney(item.unit_price, item.quantity)) ?? []),
    ).toBe("3.49");
  });

  it("writes one malformed record of each kind to the topic, each keyed by the run", () => {
    // Act
    const { malformed } = plan(6);

    // Assess
    expect(malformed.map((record) => record.label)).toEqual([
      "not JSON",
      "JSON without event_type",
      "unknown event_type",
      "tombstone",
      "OrderCreated that breaks its schema",
    ]);
    for (const { message } of malformed) {
      expect(message.topic).toBe("order-events");
      expect(String(message.key)).toMatch(/^demo-run1-/);
    }
    expect(malformed[3]?.message.value).toBeNull();
  });

  it("sends the schema violation to order-created's filter and the rest to no typed consumer", () => {
    // Prepare
    const { malformed } = plan(6);
    const consumers = systemWiring.functions.flatMap((fn) =>
      fn.trigger?.kind === "kafka" && fn.trigger.filters.length > 0 ? [fn] : [],
    );

    // Act
    const takenBy = malformed.map((record) =>
      consumers
        .filter((fn) =>
          fn.trigger?.kind === "kafka"
            ? matchesAnyFilter(
                fn.trigger.filters,
                kafkaFilterDocument(bytesOf(record.message.value)),
              )
            : false,
        )
        .map((fn) => fn.name),
    );

    // Assess
    expect(takenBy).toEqual([[], [], [], [], ["order-created"]]);
  });
});

describe("newRunId", () => {
  it("is the time in base 36 and a random tail", () => {
    // Act
    const id = newRunId(now, () => 0.123456789);

    // Assess
    expect(id).toBe(`demo-${now.getTime().toString(36)}-${(0.123456789).toString(36).slice(2, 8)}`);
  });
});
