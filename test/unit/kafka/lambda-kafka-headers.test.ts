import { describe, expect, it } from "vitest";
import {
  headerText,
  type LambdaKafkaRecord,
  MalformedHeadersError,
  toKafkaRecord,
  toKafkaRecords,
} from "../../../shared/kafka";
import { isLambdaKafkaRecord } from "../../../shared/kafka/lambda-kafka-event";
import { lambdaKafkaRecord } from "../../support/msk-events";
import { rawRecord } from "../consumer/fixtures";

/** A Lambda record at order-events-0@1 without key or value, with these headers as sent. */
const lambdaRecord = (headers: LambdaKafkaRecord["headers"]): LambdaKafkaRecord => ({
  ...lambdaKafkaRecord(rawRecord(null, { offset: 1 })),
  headers,
});

describe("headers of a Lambda Kafka record", () => {
  it("read as the produced bytes, also when Lambda sends them signed as Java does", () => {
    // Act
    const record = toKafkaRecord(
      lambdaRecord([{ unsigned: [0, 127, 128, 255] }, { signed: [0, 127, -128, -1] }]),
    );

    // Assess
    expect(record.headers.map(({ name, value }) => [name, [...value]])).toEqual([
      ["unsigned", [0, 127, 128, 255]],
      ["signed", [0, 127, 128, 255]],
    ]);
  });

  it("keep their order and repeated names, and read as text", () => {
    // Act
    const record = toKafkaRecord(
      lambdaRecord([
        { trace: [...Buffer.from("first")] },
        { other: [] },
        { trace: [...Buffer.from("last")] },
      ]),
    );

    // Assess
    expect(record.headers.map(({ name }) => name)).toEqual(["trace", "other", "trace"]);
    expect(headerText(record, "trace")).toBe("last");
    expect(record.headers[1]?.value.length).toBe(0);
  });

  it("must come as an array: an event with any other headers fails up front, naming the record", () => {
    // Prepare
    const malformed = { ...lambdaRecord([]), headers: { trace: [48] } };

    // Assess
    expect(isLambdaKafkaRecord(malformed)).toBe(false);
    expect(() =>
      toKafkaRecords({
        eventSource: "aws:kafka",
        records: { "order-events-0": [malformed as never] },
      }),
    ).toThrow(/"order-events-0",\s*0[\s\S]*must be a Kafka record/);
  });

  it.each([
    [
      "a header value that is no array",
      [{ traceparent: [48] }, { trace: "00-abc" }],
      /header 1 \("trace"\) is not an array of bytes/,
    ],
    ["a header that is no object", [{ traceparent: [48] }, 42], /header 1 is not an object/],
    ["a header that is an array", [[48]], /header 0 is not an object/],
  ])(
    "fail taking the records out of their event, naming the record and the header, for %s",
    (_case, headers, detail) => {
      // Prepare: a hand-made event (Lambda never sends such headers)
      const event = {
        eventSource: "aws:kafka" as const,
        records: { "order-events-0": [lambdaRecord(headers)] },
      };

      // Act
      const take = () => toKafkaRecords(event);

      // Assess
      expect(take).toThrow(MalformedHeadersError);
      expect(take).toThrow(/^order-events-0@1 has malformed headers: /);
      expect(take).toThrow(detail);
    },
  );

  it("are decoded when the record is taken out, so a copy of the record keeps them", () => {
    // Prepare
    const record = toKafkaRecord({
      ...lambdaRecord([{ event_id: [...Buffer.from("e-1")] }]),
      key: Buffer.from("ord-1").toString("base64"),
    });

    // Act
    const copy = { ...record };

    // Assess
    expect(headerText(copy, "event_id")).toBe("e-1");
    expect(copy.key?.toString()).toBe("ord-1");
    expect(copy).toEqual(record);
  });
});
