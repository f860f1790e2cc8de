import { describe, expect, it } from "vitest";
import { toKafkaRecord, toKafkaRecords } from "../../../shared/kafka/decode-kafka-event";
import { headerText } from "../../../shared/kafka/kafka-record";
import {
  isLambdaKafkaRecord,
  type LambdaKafkaRecord,
} from "../../../shared/kafka/lambda-kafka-event";

const lambdaRecord = (headers: LambdaKafkaRecord["headers"]): LambdaKafkaRecord => ({
  topic: "order-events",
  partition: 0,
  offset: 1,
  timestamp: 0,
  timestampType: "CREATE_TIME",
  key: null,
  value: null,
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

  it("must be arrays: an event with any other header value fails loudly, naming the record", () => {
    // Prepare
    const malformed = { ...lambdaRecord([]), headers: [{ trace: "00-abc" }] };

    // Assess
    expect(isLambdaKafkaRecord(malformed)).toBe(false);
    expect(() =>
      toKafkaRecords({
        eventSource: "aws:kafka",
        records: { "order-events-0": [malformed as never] },
      }),
    ).toThrow(/"order-events-0",\s*0[\s\S]*must be a Kafka record/);
  });
});
