import { describe, expect, it } from "vitest";
import { groupByOrderingKey } from "../../../shared/consumer/key-groups";
import { toKafkaRecords } from "../../../shared/kafka";
import { mskEvent } from "../../support/msk-events";
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
      rawRecord("{}", { partition: 0, offset: 3, key: "a" }),
      rawRecord("{}", { partition: 0, offset: 4, key: "" }),
    ];

    // Act
    const groups = groupByOrderingKey(records);

    // Assess
    expect(groups).toEqual([[0, 4], [1], [2, 5], [3]]);
  });

  it("keeps one key of one topic-partition in one group when the partition comes back later", () => {
    // Prepare: partitions interleaved, and two topics with the same partition number
    const records = [
      rawRecord("{}", { partition: 0, offset: 0, key: "a" }),
      rawRecord("{}", { partition: 1, offset: 0, key: "a" }),
      rawRecord("{}", { partition: 0, offset: 1, key: "a" }),
      { ...rawRecord("{}", { partition: 0, offset: 0, key: "a" }), topic: "other-events" },
    ];

    // Act
    const groups = groupByOrderingKey(records);

    // Assess
    expect(groups).toEqual([[0, 2], [1], [3]]);
  });

  it("tells binary keys apart byte by byte", () => {
    // Prepare
    const records = [
      { ...rawRecord("{}", { offset: 0 }), key: Buffer.from([0xff, 0x00]) },
      { ...rawRecord("{}", { offset: 1 }), key: Buffer.from([0xfe, 0x00]) },
      { ...rawRecord("{}", { offset: 2 }), key: Buffer.from([0xff, 0x00]) },
    ];

    // Act
    const groups = groupByOrderingKey(records);

    // Assess
    expect(groups).toEqual([[0, 2], [1]]);
  });

  it("groups records taken out of a Lambda event by their keys' bytes", () => {
    // Prepare: Lambda's base64 keys, one of them binary, and one record without a key
    const binary = (offset: number) => ({
      ...rawRecord(null, { offset }),
      key: Buffer.from([0xff, 0x00]),
    });
    const records = toKafkaRecords(
      mskEvent([
        rawRecord(null, { offset: 0, key: "ord-1" }),
        binary(1),
        rawRecord(null, { offset: 2, key: null }),
        rawRecord(null, { offset: 3, key: "ord-1" }),
        binary(4),
      ]),
    );

    // Act
    const groups = groupByOrderingKey(records);

    // Assess: grouped as the same records built from bytes are, keys still read as bytes
    expect(groups).toEqual([[0, 3], [1, 4], [2]]);
    expect(groupByOrderingKey(records.map((record) => ({ ...record, key: record.key })))).toEqual(
      groups,
    );
    expect(records.map((record) => record.key?.toString("hex") ?? null)).toEqual([
      Buffer.from("ord-1").toString("hex"),
      "ff00",
      null,
      Buffer.from("ord-1").toString("hex"),
      "ff00",
    ]);
  });

  it("groups Lambda records by their keys' bytes when Lambda's base64 is not canonical", () => {
    // Prepare: spellings of the keys 0x41 and 0x42 that Node decodes alike, some repeated,
    // in one partition
    const spellings = ["QQ==", "QQ", "Qg", "QR==", "QQ", "Qg==", "Q Q==", "Qg"];
    const event = mskEvent(spellings.map((_, offset) => rawRecord(null, { offset, key: "A" })));
    event.records["order-events-0"]?.forEach((record, index) => {
      record.key = spellings[index];
    });
    const records = toKafkaRecords(event);

    // Act
    const groups = groupByOrderingKey(records);

    // Assess: one group per key, in offset order
    expect(groups).toEqual([
      [0, 1, 3, 4, 6],
      [2, 5, 7],
    ]);
  });
});
