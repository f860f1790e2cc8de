import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { type Context, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { buildDeadLetter } from "../../../shared/dead-letters/build-dead-letter";
import { toKafkaRecord, toKafkaRecords } from "../../../shared/kafka/decode-kafka-event";
import { headerText, MalformedHeadersError } from "../../../shared/kafka/kafka-record";
import {
  isLambdaKafkaRecord,
  type LambdaKafkaRecord,
} from "../../../shared/kafka/lambda-kafka-event";
import { recordLogKeys } from "../../../shared/observability/logger";
import {
  contextFromKafkaRecord,
  deferredContextFromKafkaRecord,
} from "../../../shared/observability/trace-context";
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
  ])("fail when first read, naming the record and the header, for %s", (_case, headers, detail) => {
    // Prepare: taking the record out of its event checks no header
    const [record] = toKafkaRecords({
      eventSource: "aws:kafka",
      records: { "order-events-0": [lambdaRecord(headers)] },
    });
    if (record === undefined) throw new Error("no record");

    // Assess: every read fails the same way, none returns part of the headers
    for (let read = 0; read < 2; read += 1) {
      expect(() => record.headers).toThrow(MalformedHeadersError);
      expect(() => record.headers).toThrow(/^order-events-0@1 has malformed headers: /);
      expect(() => record.headers).toThrow(detail);
    }
  });

  it("when malformed, carry no trace context and no event id, and cannot be dead-lettered", () => {
    // Prepare: a well-formed traceparent and event id beside a malformed header
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const record = toKafkaRecord(
      lambdaRecord([
        { traceparent: [...Buffer.from(`00-${traceId}-00f067aa0ba902b7-01`)] },
        { event_id: [...Buffer.from("e-1")] },
        { broken: "x" },
      ]),
    );

    // Act
    const context = deferredContextFromKafkaRecord(record);

    // Assess: describing the record does not fail; carrying its headers on does
    expect(trace.getSpanContext(context)).toBeUndefined();
    expect(trace.getSpanContext(contextFromKafkaRecord(record))).toBeUndefined();
    expect(recordLogKeys(record)).toEqual({ topic: "order-events", partition: 0, offset: 1 });
    expect(() =>
      buildDeadLetter({
        record,
        error: new Error("poison"),
        kind: "permanent",
        functionName: "order-created",
        attempts: 1,
        firstFailureAt: new Date(0),
        lastFailureAt: new Date(0),
      }),
    ).toThrow(MalformedHeadersError);
  });

  it("are decoded when first read, once", () => {
    // Prepare: Lambda's header objects, counting every read of them
    let reads = 0;
    const counted = (header: Record<string, number[]>) =>
      new Proxy(header, {
        get: (target, name, receiver) => {
          reads += 1;
          return Reflect.get(target, name, receiver);
        },
      });
    const record = toKafkaRecord(lambdaRecord([counted({ a: [1] }), counted({ b: [2] })]));
    const readsBefore = reads;

    // Act
    const first = record.headers;
    const readsAfterFirst = reads;
    const second = record.headers;

    // Assess
    expect(readsBefore).toBe(0);
    expect(readsAfterFirst).toBeGreaterThan(0);
    expect(reads).toBe(readsAfterFirst);
    expect(second).toBe(first);
    expect(first.map(({ name }) => name)).toEqual(["a", "b"]);
  });

  it("are all a waiting trace context keeps of its record: not the value", async () => {
    // Prepare: a 1 MB record whose trace context nothing has asked for yet
    setFlagsFromString("--expose-gc");
    const collectGarbage = runInNewContext("gc") as () => void;
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const contexts: Context[] = [];
    const value = (() => {
      const record = toKafkaRecord({
        ...lambdaRecord([{ traceparent: [...Buffer.from(`00-${traceId}-00f067aa0ba902b7-01`)] }]),
        value: Buffer.alloc(1024 * 1024, "x").toString("base64"),
      });
      contexts.push(deferredContextFromKafkaRecord(record));
      return new WeakRef(record.value as Buffer);
    })();

    // Act
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage();

    // Assess
    expect(value.deref()).toBeUndefined();
    expect(trace.getSpanContext(contexts[0] as Context)?.traceId).toBe(traceId);
  });
});
