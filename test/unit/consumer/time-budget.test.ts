import { describe, expect, it } from "vitest";
import { timeBudget } from "../../../shared/consumer/time-budget";

describe("timeBudget", () => {
  it("lets records start only while more than the margin remains", () => {
    // Prepare
    let remaining = 5_001;
    const budget = timeBudget(() => remaining, 5_000);

    // Act
    const before = budget.canStart();
    remaining = 5_000;
    const at = budget.canStart();

    // Assess
    expect(before).toBe(true);
    expect(at).toBe(false);
    expect(budget.remainingMs()).toBe(5_000);
  });

  it("allows a wait only when the margin remains after it", () => {
    // Prepare
    const budget = timeBudget(() => 6_000, 5_000);

    // Assess
    expect(budget.canWait(999)).toBe(true);
    expect(budget.canWait(1_000)).toBe(false);
  });
});
