import { describe, expect, it } from "vitest";
import { READ_MODEL_TABLE, systemWiring } from "../../../infra/wiring/system-wiring";
import {
  orderEventTransaction,
  READ_MODEL_ATTRIBUTE,
  VIEW_ITEM_INDEX,
} from "../../../shared/read-model";
import { cancelled, created, shipped } from "./fixtures";

const context = { tableName: "order-read-model" };

describe("orderEventTransaction", () => {
  it("is two conditioned-or-additive Updates, the view's guard first, and puts nothing", () => {
    // Act
    const items = orderEventTransaction(created, context);

    // Assess
    expect(items).toHaveLength(2);
    expect(items.every((item) => Object.keys(item).join() === "Update")).toBe(true);
    expect(items[VIEW_ITEM_INDEX]?.Update?.Key).toEqual({
      pk: { S: "ORDER#ord-7" },
      sk: { S: "VIEW" },
    });
    expect(items[VIEW_ITEM_INDEX]?.Update?.ConditionExpression).toBe(
      "attribute_not_exists(#fact) OR #fact.#version < :version",
    );
  });

  it("sets the event's facts on the view and adds to the customer's stats, in exact decimals", () => {
    // Act
    const [view, stats] = orderEventTransaction(created, context);

    // Assess
    expect(view?.Update).toMatchObject({
      Key: { pk: { S: "ORDER#ord-7" }, sk: { S: "VIEW" } },
      UpdateExpression: "SET #fact = :fact, order_id = :order_id",
      ConditionExpression: "attribute_not_exists(#fact) OR #fact.#version < :version",
      ExpressionAttributeNames: { "#fact": "created", "#version": "version" },
    });
    expect(view?.Update?.ExpressionAttributeValues?.[":version"]).toEqual({ N: "1" });
    expect(view?.Update?.ExpressionAttributeValues?.[":fact"]?.M?.version).toEqual({ N: "1" });
    expect(stats?.Update).toMatchObject({
      Key: { pk: { S: "CUSTOMER#cus-7" }, sk: { S: "STATS" } },
      UpdateExpression: "ADD #counter :one, #value :value SET customer_id = :customer_id",
      ExpressionAttributeNames: { "#counter": "orders_placed", "#value": "lifetime_value_EUR" },
      ExpressionAttributeValues: { ":one": { N: "1" }, ":value": { N: "25.00" } },
    });
  });

  it("takes a cancelled order's total back out, and leaves the value alone on shipping", () => {
    // Act
    const cancelledStats = orderEventTransaction(cancelled, context)[1]?.Update;
    const shippedStats = orderEventTransaction(shipped, context)[1]?.Update;

    // Assess
    expect(cancelledStats?.ExpressionAttributeValues?.[":value"]).toEqual({ N: "-25.00" });
    expect(shippedStats?.UpdateExpression).toBe("ADD #counter :one SET customer_id = :customer_id");
    expect(shippedStats?.ExpressionAttributeNames).toEqual({ "#counter": "orders_shipped" });
  });

  it("uses the keys and TTL attribute the wiring declares for the read-model table", () => {
    // Prepare
    const table = systemWiring.tables.find((declared) => declared.name === READ_MODEL_TABLE);

    // Assess
    expect(table).toMatchObject({
      partitionKey: READ_MODEL_ATTRIBUTE.partitionKey,
      sortKey: READ_MODEL_ATTRIBUTE.sortKey,
      timeToLiveAttribute: READ_MODEL_ATTRIBUTE.expiresAt,
    });
  });
});
