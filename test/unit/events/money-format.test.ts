import { describe, expect, it } from "vitest";
import {
  formatMoney,
  isSumOfProducts,
  type MoneyLine,
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

  it("stays exact when products beyond 2^53 units cancel out", () => {
    // Prepare: 10^21 units, where a Number cannot hold the 1 added to it
    const lines = [
      ["99999999999.9999", 1_000_000],
      ["0.0001", 1],
      ["99999999999.9999", -1_000_000],
    ] as const;

    // Assess
    expect(isSumOfProducts("0.0001", lines)).toBe(true);
    expect(isSumOfProducts("0", lines)).toBe(false);
  });

  it("stays exact where one product, or the running sum, passes 2^53 units on its way back", () => {
    // Prepare: 3 x 3002399751580331 = 2^53 + 1, which a Number rounds to 2^53
    const product = [
      ["900719925474.0991", -1],
      ["300239975158.0331", 3],
    ] as const;
    // 2^52 + 1 twice, then 1: 2^53 + 3, which a Number rounds to 2^53 + 4
    const sum = [
      ["450359962737.0497", 1],
      ["450359962737.0497", 1],
      ["0.0001", 1],
      ["450359962737.0497", -1],
      ["450359962737.0497", -1],
    ] as const;

    // Assess
    expect([isSumOfProducts("0.0002", product), isSumOfProducts("0.0001", product)]).toEqual([
      true,
      false,
    ]);
    expect([isSumOfProducts("0.0001", sum), isSumOfProducts("0.0002", sum)]).toEqual([true, false]);
  });

  it("agrees with the exact sum for amounts of every size, on either side of 2^53 units", () => {
    // Prepare: seeded, so a failing case can be replayed; 1 to 15 integer digits, 0 to 4
    // decimals, quantities up to a million: sums from cents to far beyond 2^53 units
    let seed = 20261126;
    const next = (below: number): number => {
      // A 32-bit linear congruential generator; its high bits are the well-mixed ones.
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % below;
    };
    const digits = (count: number): string =>
      Array.from({ length: count }, () => String(next(10))).join("");
    const amount = (): string => {
      const whole = `${1 + next(9)}${digits(next(15))}`;
      const decimals = next(5);
      return decimals === 0 ? whole : `${whole}.${digits(decimals)}`;
    };
    const quantities = [1, 2, 3, 999_999, 1_000_000];
    const cases = Array.from({ length: 2_000 }, () =>
      Array.from(
        { length: 1 + next(4) },
        (): MoneyLine => [amount(), quantities[next(quantities.length)] as number],
      ),
    );
    const oneUnitMore = (total: string) =>
      sumOfProducts([
        [total, 1],
        ["0.0001", 1],
      ]);

    // Act
    const wrong = cases.filter((lines) => {
      const exact = sumOfProducts(lines);
      return (
        !isSumOfProducts(exact, lines) ||
        isSumOfProducts(oneUnitMore(exact), lines) ||
        isSumOfProducts(exact, [...lines, ["0.0001", 1]])
      );
    });

    // Assess
    expect(wrong).toEqual([]);
  });
});
