import { describe, expect, it } from "vitest";
import { statsChangeOf, toCustomerStats } from "../../../shared/read-model";
import { cancelled, created, shipped } from "./fixtures";

describe("statsChangeOf", () => {
  it("counts each event on its own counter and moves the lifetime value by the order's total", () => {
    // Assess
    expect(statsChangeOf(created)).toEqual({
      customerId: "cus-7",
      counter: "orders_placed",
      lifetimeValue: { amount: "25.00", currency: "EUR" },
    });
    expect(statsChangeOf(shipped)).toEqual({ customerId: "cus-7", counter: "orders_shipped" });
    expect(statsChangeOf(cancelled)).toEqual({
      customerId: "cus-7",
      counter: "orders_cancelled",
      lifetimeValue: { amount: "-25.00", currency: "EUR" },
    });
  });
});

describe("toCustomerStats", () => {
  it("serves counts as numbers and the lifetime value as a decimal string", () => {
    // Act
    const stats = toCustomerStats("cus-7", {
      orders_placed: { N: "3" },
      orders_cancelled: { N: "1" },
      lifetime_value_EUR: { N: "50" },
    });

    // Assess: the counters asked about (a new event type adds its own, served as 0 here)
    expect(stats).toMatchObject({
      customer_id: "cus-7",
      orders_placed: 3,
      orders_shipped: 0,
      orders_cancelled: 1,
      lifetime_value: { EUR: "50.00" },
    });
  });

  it.each([
    ["0.0000", "0.00"],
    ["-25.00", "-25.00"],
    ["35.2500", "35.25"],
    ["99999999999999.9999", "99999999999999.9999"],
  ])("formats a stored lifetime value of %s as %s", (stored, served) => {
    // Assess
    expect(toCustomerStats("c", { lifetime_value_EUR: { N: stored } }).lifetime_value).toEqual({
      EUR: served,
    });
  });
});
