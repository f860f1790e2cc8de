import { describe, expect, it } from "vitest";
import { groupByOrderingKey, orderingKeyOf } from "../../../shared/consumer";
import { rawRecord } from "./fixtures";

describe("groupByOrderingKey", () => {
  it("groups one key's records of a partition in batch order, keys in first-seen order", () => {
    // Prepare
    const records = [
      rawRecord("{}", { partition: 0, offset: 0, key: "a" }),
      rawRecord("{}", { partition: 0, offset: 1, key: "b" }),
      rawRecord("{}", { partition: 0, offset: 2, key: "a" }),
      rawRecord("{}", { partition: 0, offset: 3, key: "c" }),
      rawRecord("{}", { partition: 0, offset: 4, key: "b" }),
    ];

    // Act
    const groups = groupByOrderingKey(records);

    // Assess
    expect(groups).toEqual([[0, 2], [1, 4], [3]]);
  });

  it("puts records without a key in one group per topic-partition", () => {
    // Prepare
    const records = [
      rawRecord("{}", { partition: 0, offset: 0, key: null }),
      rawRecord("{}", { partition: 1, offset: 0, key: null }),
      rawRecord("{}", { partition: 0, offset: 1, key: null }),
    ];

    // Act
    const groups = groupByOrderingKey(records);

    // Assess
    expect(groups).toEqual([[0, 2], [1]]);
  });

  it("keeps one key in two partitions, an empty key and no key apart", () => {
    // Prepare
    const records = [
      rawRecord("{}", { partition: 0, offset: 0, key: "a" }),
      rawRecord("{}", { partition: 1, offset: 0, key: "a" }),
      rawRecord("{}", { partition: 0, offset: 1, key: "" }),
      rawRecord("{}", { partition: 0, offset: 2, key: null }),
    ];

    // Act
    const keys = records.map(orderingKeyOf);

    // Assess
    expect(new Set(keys).size).toBe(4);
  });

  it("tells binary keys apart byte by byte", () => {
    // Prepare
    const first = { ...rawRecord("{}", { offset: 0 }), key: Buffer.from([0xff, 0x00]) };
    const second = { ...rawRecord("{}", { offset: 1 }), key: Buffer.from([0xfe, 0x00]) };

    // Assess
    expect(orderingKeyOf(first)).not.toBe(orderingKeyOf(second));
    expect(orderingKeyOf(first)).toBe(orderingKeyOf({ ...second, key: Buffer.from([0xff, 0x00]) }));
  });
});
