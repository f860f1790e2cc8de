import { describe, expect, it } from "vitest";
import {
  buildDeadLetter,
  CONTENT_OMITTED_HEADER,
  DEAD_LETTER_HEADER,
  DEAD_LETTER_HEADER_PREFIX,
  type FailedRecord,
  MAX_ERROR_MESSAGE_LENGTH,
  truncateText,
} from "../../../shared/dead-letters";
import { InvalidEventError } from "../../../shared/events";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";

const NOT_UTF8 = Buffer.from([0xc3, 0x28, 0xff, 0x00, 0xfe, 0x7b]);
const BINARY_HEADER = Buffer.from([0x00, 0x80, 0xff, 0x0a]);

const poison: KafkaRecord = {
  topic: "order-events",
  partition: 2,
  offset: 41,
  timestamp: 1_795_683_600_000,
  timestampType: "CREATE_TIME",
  key: Buffer.from("ord-1"),
  value: NOT_UTF8,
  headers: [
    {
      name: "traceparent",
      value: Buffer.from("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
    },
    { name: "blob", value: BINARY_HEADER },
    { name: "event_type", value: Buffer.from("OrderCreated") },
    { name: "blob", value: Buffer.from("second") },
  ],
};

const failedAt = new Date("2026-11-26T09:00:00.000Z");
const failed = (overrides: Partial<FailedRecord> = {}): FailedRecord => ({
  record: poison,
  error: new InvalidEventError(["data.total: must equal the sum"]),
  kind: "permanent",
  functionName: "order-created",
  attempts: 3,
  firstFailureAt: failedAt,
  lastFailureAt: new Date("2026-11-26T09:00:05.000Z"),
  ...overrides,
});

const text = (headers: readonly { name: string; value: Buffer }[], name: string) =>
  headers.find((header) => header.name === name)?.value.toString("utf8");

describe("buildDeadLetter", () => {
  it("goes to <source topic>.dlq keyed by the original key, with the original value bytes", () => {
    // Act
    const deadLetter = buildDeadLetter(failed());

    // Assess
    expect(deadLetter.topic).toBe("order-events.dlq");
    expect(deadLetter.key?.equals(Buffer.from("ord-1"))).toBe(true);
    expect(deadLetter.value?.equals(NOT_UTF8)).toBe(true);
  });

  it("keeps the original headers unchanged and in order, then adds the metadata", () => {
    // Act
    const deadLetter = buildDeadLetter(failed());

    // Assess
    const originals = deadLetter.headers.slice(0, poison.headers.length);
    expect(originals).toEqual(poison.headers);
    expect(originals[1]?.value.equals(BINARY_HEADER)).toBe(true);
    const metadataNames = deadLetter.headers.slice(poison.headers.length).map(({ name }) => name);
    expect(metadataNames).toEqual(Object.values(DEAD_LETTER_HEADER));
    expect(metadataNames.filter((name) => !name.startsWith(DEAD_LETTER_HEADER_PREFIX))).toEqual([]);
  });

  it("records where the record came from and why, which function, attempts and times", () => {
    // Act
    const { headers } = buildDeadLetter(failed());

    // Assess
    expect(text(headers, DEAD_LETTER_HEADER.sourceTopic)).toBe("order-events");
    expect(text(headers, DEAD_LETTER_HEADER.sourcePartition)).toBe("2");
    expect(text(headers, DEAD_LETTER_HEADER.sourceOffset)).toBe("41");
    expect(text(headers, DEAD_LETTER_HEADER.sourceTimestamp)).toBe("1795683600000");
    expect(text(headers, DEAD_LETTER_HEADER.sourceTimestampType)).toBe("CREATE_TIME");
    expect(text(headers, DEAD_LETTER_HEADER.errorClass)).toBe("InvalidEventError");
    expect(text(headers, DEAD_LETTER_HEADER.errorMessage)).toBe(
      "Event breaks its contract: data.total: must equal the sum",
    );
    expect(text(headers, DEAD_LETTER_HEADER.errorKind)).toBe("permanent");
    expect(text(headers, DEAD_LETTER_HEADER.function)).toBe("order-created");
    expect(text(headers, DEAD_LETTER_HEADER.attempts)).toBe("3");
    expect(text(headers, DEAD_LETTER_HEADER.firstFailureAt)).toBe("2026-11-26T09:00:00.000Z");
    expect(text(headers, DEAD_LETTER_HEADER.lastFailureAt)).toBe("2026-11-26T09:00:05.000Z");
  });

  it("keeps a null key and a null value (tombstone) null", () => {
    // Act
    const deadLetter = buildDeadLetter(
      failed({ record: { ...poison, key: null, value: null, headers: [] }, kind: "undecodable" }),
    );

    // Assess
    expect(deadLetter.key).toBeNull();
    expect(deadLetter.value).toBeNull();
    expect(text(deadLetter.headers, DEAD_LETTER_HEADER.errorKind)).toBe("undecodable");
  });

  it("cuts a long error message and describes non-Error throws", () => {
    // Act
    const long = buildDeadLetter(failed({ error: new Error("x".repeat(5_000)) }));
    const thrownString = buildDeadLetter(
      failed({ error: "plain text", kind: "transient-exhausted" }),
    );

    // Assess
    expect(text(long.headers, DEAD_LETTER_HEADER.errorMessage)).toHaveLength(
      MAX_ERROR_MESSAGE_LENGTH,
    );
    expect(text(thrownString.headers, DEAD_LETTER_HEADER.errorClass)).toBe("string");
    expect(text(thrownString.headers, DEAD_LETTER_HEADER.errorMessage)).toBe("plain text");
  });
});

describe("buildDeadLetter, reduced (the full letter was refused)", () => {
  it("keeps the original key and the metadata, drops the value and the original headers, and says why", () => {
    // Act
    const deadLetter = buildDeadLetter(
      failed({ contentOmitted: `ProducePermanentError: MESSAGE_TOO_LARGE ${"x".repeat(2_000)}` }),
    );

    // Assess
    expect(deadLetter.topic).toBe("order-events.dlq");
    expect(deadLetter.key?.equals(Buffer.from("ord-1"))).toBe(true);
    expect(deadLetter.value).toBeNull();
    expect(deadLetter.headers.map(({ name }) => name)).toEqual([
      ...Object.values(DEAD_LETTER_HEADER),
      CONTENT_OMITTED_HEADER,
    ]);
    expect(text(deadLetter.headers, DEAD_LETTER_HEADER.sourceOffset)).toBe("41");
    expect(text(deadLetter.headers, DEAD_LETTER_HEADER.errorClass)).toBe("InvalidEventError");
    expect(text(deadLetter.headers, CONTENT_OMITTED_HEADER)).toMatch(
      /^ProducePermanentError: MESSAGE_TOO_LARGE x+…$/,
    );
    expect(text(deadLetter.headers, CONTENT_OMITTED_HEADER)).toHaveLength(MAX_ERROR_MESSAGE_LENGTH);
  });
});

describe("truncateText", () => {
  it("never splits a character made of a surrogate pair", () => {
    // Act
    const cut = truncateText("😀😀😀😀", 3);

    // Assess
    expect(cut).toBe("😀😀…");
  });

  it("leaves short text alone", () => {
    // Assess
    expect(truncateText("short", 10)).toBe("short");
    expect(truncateText("😀😀😀", 3)).toBe("😀😀😀");
  });

  it("cuts by characters wherever a surrogate pair falls, however long the text", () => {
    // Assess
    expect(truncateText("a😀😀😀", 3)).toBe("a😀…");
    expect(truncateText("ab😀😀", 3)).toBe("ab…");
    expect(truncateText(`${"x".repeat(20_000_000)}`, 5)).toBe("xxxx…");
  });
});
