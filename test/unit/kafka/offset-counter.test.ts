import { describe, expect, it } from "vitest";
import { offsetCounter } from "../../../shared/kafka/offset-counter";

const take = (next: () => string, count: number): string[] =>
  Array.from({ length: count }, () => next());

describe("offsetCounter", () => {
  it("counts up from the base offset", () => {
    expect(take(offsetCounter("41", 3), 3)).toEqual(["41", "42", "43"]);
  });

  it("stays exact past the largest exact number, where Number would round", () => {
    // Prepare: 2^53 - 2, then 2^53 - 1, 2^53, 2^53 + 1 (Number cannot hold 2^53 + 1)
    const base = (2n ** 53n - 2n).toString();

    // Act
    const offsets = take(offsetCounter(base, 4), 4);

    // Assess
    expect(offsets).toEqual([0n, 1n, 2n, 3n].map((step) => (2n ** 53n - 2n + step).toString()));
  });

  it("counts the largest 64-bit offsets exactly", () => {
    const base = (2n ** 63n - 3n).toString();
    expect(take(offsetCounter(base, 2), 2)).toEqual([
      (2n ** 63n - 3n).toString(),
      (2n ** 63n - 2n).toString(),
    ]);
  });
});
