import { describe, expect, it } from "vitest";
import {
  formatMoney,
  isSumOfProducts,
  multiplyMoney,
  negateMoney,
  sumMoney,
  sumOfProducts,
} from "../../../shared/events";

describe("formatMoney", () => {
  it.each([
    ["25", "25.00"],
    ["25.5", "25.50"],
    ["0.0001", "0.0001"],
    ["-0.5000", "-0.50"],
    ["-0.0000", "0.00"],
    ["007.10", "7.10"],
  ])("writes %s as %s", (amount, formatted) => {
    // Assess
    expect(formatMoney(amount)).toBe(formatted);
  });

  it("refuses text that is not a decimal of at most four places", () => {
    // Assess
    expect(() => formatMoney("1e3")).toThrow(RangeError);
    expect(() => formatMoney("1.00001")).toThrow(RangeError);
  });
});

describe("negateMoney", () => {
  it("flips the sign exactly, so a sum with the original is zero", () => {
    // Assess
    expect(negateMoney("25.00")).toBe("-25.00");
    expect(negateMoney("-2.5")).toBe("2.50");
    expect(negateMoney("0")).toBe("0.00");
    expect(sumMoney(["19.99", negateMoney("19.99")])).toBe("0.00");
  });
});

describe("sumOfProducts", () => {
  it("sums amount x quantity exactly, as sumMoney of multiplyMoney does", () => {
    // Prepare
    const lines = [
      ["19.99", 3],
      ["0.0001", 7],
      ["999999999999999.9999", 2],
    ] as const;

    // Assess
    expect(sumOfProducts(lines)).toBe(
      sumMoney(lines.map(([amount, quantity]) => multiplyMoney(amount, quantity))),
    );
    expect(
      sumOfProducts([
        ["2.10", 3],
        ["0.35", 2],
      ]),
    ).toBe("7.00");
    expect(sumOfProducts([])).toBe("0.00");
  });
});

describe("isSumOfProducts", () => {
  it("compares a total with the exact sum, whatever the total's decimal places", () => {
    // Prepare
    const lines = [
      ["19.99", 3],
      ["0.0001", 7],
      ["999999999999999.9999", 2],
    ] as const;
    const exact = sumOfProducts(lines);

    // Assess
    expect(isSumOfProducts(exact, lines)).toBe(true);
    expect(
      isSumOfProducts("7", [
        ["2.10", 3],
        ["0.35", 2],
      ]),
    ).toBe(true);
    expect(
      isSumOfProducts("7.0001", [
        ["2.10", 3],
        ["0.35", 2],
      ]),
    ).toBe(false);
    expect(isSumOfProducts("0", [])).toBe(true);
  });
});
