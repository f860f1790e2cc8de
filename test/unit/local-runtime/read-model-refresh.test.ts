import { describe, expect, it } from "vitest";
import { readModelToRefresh } from "../../../infra/local/demo/read-model-refresh";
import { eventRecord, orders, settledObservation, stats, views } from "./demo-fixtures";

describe("readModelToRefresh", () => {
  it("asks nothing again once every view and every customer's stats are final", () => {
    // Act
    const refresh = readModelToRefresh(settledObservation());

    // Assess
    expect(refresh).toEqual({ orderIds: [], customerIds: [] });
  });

  it("asks again for the run's views not yet as the API answered, and stats not yet exact", () => {
    // Prepare
    const partial = new Map(views);
    partial.set("o-1", { order_id: "o-1", status: "SHIPPED", version: 2, customer_id: "cus-1" });
    partial.delete("o-3");
    const behind = new Map(stats);
    behind.delete("cus-2");

    // Act
    const refresh = readModelToRefresh({ records: [], orders, views: partial, stats: behind });

    // Assess
    expect(refresh).toEqual({ orderIds: ["o-1", "o-3"], customerIds: ["cus-2"] });
  });

  it("asks for another order's view until it reaches the newest event seen of it", () => {
    // Prepare
    const records = [
      eventRecord(0, 1, { type: "OrderCreated", orderId: "o-x", version: 1 }),
      eventRecord(0, 2, { type: "OrderShipped", orderId: "o-x", version: 2 }),
    ];
    const atOne = new Map(views);
    atOne.set("o-x", { order_id: "o-x", status: "CREATED", version: 1, customer_id: "c" });
    const atTwo = new Map(views);
    atTwo.set("o-x", { order_id: "o-x", status: "SHIPPED", version: 2, customer_id: "c" });

    // Act
    const behind = readModelToRefresh({ records, orders, views: atOne, stats });
    const caughtUp = readModelToRefresh({ records, orders, views: atTwo, stats });

    // Assess
    expect(behind.orderIds).toEqual(["o-x"]);
    expect(caughtUp.orderIds).toEqual([]);
  });
});
