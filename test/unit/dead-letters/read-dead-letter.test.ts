import { describe, expect, it } from "vitest";
import {
  buildDeadLetter,
  DEAD_LETTER_HEADER,
  NotADeadLetterError,
  readDeadLetter,
  redriveMessage,
} from "../../../shared/dead-letters";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";

const original: KafkaRecord = {
  topic: "order-events",
  partition: 1,
  offset: 7,
  timestamp: 1_795_683_600_000,
  timestampType: "CREATE_TIME",
  key: Buffer.from("ord-9"),
  value: Buffer.from([0xff, 0xfe, 0x00, 0x01]),
  headers: [
    { name: "b", value: Buffer.from([0x80]) },
    { name: "a", value: Buffer.from("1") },
    { name: "b", value: Buffer.from("2") },
  ],
};

const firstFailureAt = new Date("2026-11-26T09:00:00.000Z");
const lastFailureAt = new Date("2026-11-26T09:01:00.000Z");

/** The dead letter as a consumer sees it: a record of the .dlq topic. */
const consumedDeadLetterOf = (record: KafkaRecord): KafkaRecord => {
  const deadLetter = buildDeadLetter({
    record,
    error: new RangeError("total out of range"),
    kind: "transient-exhausted",
    functionName: "order-cancelled",
    attempts: 4,
    firstFailureAt,
    lastFailureAt,
  });
  return {
    topic: deadLetter.topic,
    partition: 0,
    offset: 3,
    timestamp: lastFailureAt.getTime(),
    timestampType: "CREATE_TIME",
    key: deadLetter.key,
    value: deadLetter.value,
    headers: deadLetter.headers,
  };
};

describe("readDeadLetter", () => {
  it("gives back the original record exactly, and the failure", () => {
    // Prepare
    const consumed = consumedDeadLetterOf(original);

    // Act
    const read = readDeadLetter(consumed);

    // Assess
    expect(read.original).toEqual(original);
    expect(read.failure).toEqual({
      kind: "transient-exhausted",
      errorClass: "RangeError",
      errorMessage: "total out of range",
      functionName: "order-cancelled",
      attempts: 4,
      firstFailureAt,
      lastFailureAt,
    });
  });

  it("redrives the original unchanged to its source topic", () => {
    // Prepare
    const { original: read } = readDeadLetter(consumedDeadLetterOf(original));

    // Act
    const message = redriveMessage(read);

    // Assess
    expect(message).toEqual({
      topic: "order-events",
      key: original.key,
      value: original.value,
      headers: original.headers,
    });
  });

  it("round-trips a keyless tombstone", () => {
    // Prepare
    const tombstone: KafkaRecord = { ...original, key: null, value: null, headers: [] };

    // Act
    const read = readDeadLetter(consumedDeadLetterOf(tombstone));

    // Assess
    expect(read.original).toEqual(tombstone);
  });

  it("keeps dlq_ headers a record already carried (dead-lettered again after a redrive)", () => {
    // Prepare
    const onceDeadLettered = consumedDeadLetterOf(original);
    const redrivenThenFailed: KafkaRecord = {
      ...original,
      headers: [...original.headers, ...onceDeadLettered.headers.slice(original.headers.length)],
    };

    // Act
    const read = readDeadLetter(consumedDeadLetterOf(redrivenThenFailed));

    // Assess
    expect(read.original).toEqual(redrivenThenFailed);
  });

  it("tells a reduced letter by why its content was omitted, and gives no content back", () => {
    // Prepare
    const full = consumedDeadLetterOf(original);
    const reduced = buildDeadLetter({
      record: original,
      error: new RangeError("total out of range"),
      kind: "permanent",
      functionName: "order-cancelled",
      attempts: 1,
      firstFailureAt,
      lastFailureAt,
      contentOmitted: "ProducePermanentError: MESSAGE_TOO_LARGE",
    });

    // Act
    const read = readDeadLetter({
      key: reduced.key,
      value: reduced.value,
      headers: reduced.headers,
    });

    // Assess
    expect(read.original).toEqual({ ...original, value: null, headers: [] });
    expect(read.failure.contentOmitted).toBe("ProducePermanentError: MESSAGE_TOO_LARGE");
    expect(readDeadLetter(full).failure.contentOmitted).toBeUndefined();
  });

  it("rejects a record without dead-letter metadata, naming what is missing", () => {
    // Act
    const read = () => readDeadLetter(original);

    // Assess
    expect(read).toThrow(NotADeadLetterError);
    expect(read).toThrow(`${DEAD_LETTER_HEADER.sourceOffset}: is missing`);
  });

  it("rejects malformed metadata", () => {
    // Prepare
    const consumed = consumedDeadLetterOf(original);
    const headers = consumed.headers.map((header) =>
      header.name === DEAD_LETTER_HEADER.attempts ? { ...header, value: Buffer.from("") } : header,
    );

    // Act
    const read = () => readDeadLetter({ ...consumed, headers });

    // Assess
    expect(read).toThrow(`${DEAD_LETTER_HEADER.attempts}: must be an integer`);
  });
});
