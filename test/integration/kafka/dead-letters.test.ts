/**
 * A poison record's dead letter on the real broker: it lands on `<topic>.dlq` with the
 * original bytes exactly (a value that is not UTF-8, a header with a binary value), its
 * metadata reads back, and redriving the original puts the same bytes back on the source topic.
 */
import { type Admin, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEAD_LETTER_HEADER,
  deadLetterTopic,
  publishDeadLetters,
  readDeadLetter,
  redriveMessage,
} from "../../../shared/dead-letters";
import { MalformedEventError } from "../../../shared/events";
import { KafkaProducer } from "../../../shared/kafka/kafka-producer";
import { headerText } from "../../../shared/kafka/kafka-record";
import { readKafkaSettings } from "../../../shared/kafka/kafka-settings";
import { createTopics, readTopic, testKafkaClient } from "../../support/kafka-topics";
import { kafkaBrokers, uniqueName } from "../../support/local-endpoints";

const NOT_UTF8 = Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe, 0x00, 0x7b, 0x22]);
const BINARY_HEADER = Buffer.from([0x00, 0x01, 0x80, 0xff, 0xc0, 0xc1]);
const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("dead letters on the real broker", () => {
  const source = uniqueName("order-events");
  const dlq = deadLetterTopic(source);
  let admin: Admin;
  const producer = new KafkaProducer(
    readKafkaSettings({ KAFKA_BROKERS: kafkaBrokers.join(","), KAFKA_CLIENT_ID: "dlq-it" }),
    { logLevel: logLevel.NOTHING },
  );

  beforeAll(async () => {
    admin = testKafkaClient().admin();
    await admin.connect();
    await createTopics(testKafkaClient(), [
      { topic: source, numPartitions: 2 },
      { topic: dlq, numPartitions: 1 },
    ]);
  });

  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [source, dlq] }).catch(() => undefined);
    await admin.disconnect();
  });

  it("parks a poison record with its original bytes and reason, and redrives it unchanged", async () => {
    // Prepare: a poison record really on the source topic, read back as a function sees it
    await producer.send([
      {
        topic: source,
        key: "ord-poison",
        value: NOT_UTF8,
        headers: [
          { name: "traceparent", value: TRACEPARENT },
          { name: "blob", value: BINARY_HEADER },
          { name: "event_type", value: "OrderCreated" },
        ],
      },
    ]);
    const [poison] = await readTopic(source);
    if (poison === undefined) throw new Error("the poison record did not arrive");
    const firstFailureAt = new Date("2026-11-26T09:00:00.000Z");
    const lastFailureAt = new Date("2026-11-26T09:00:02.500Z");

    // Act
    const report = await publishDeadLetters(producer, [
      {
        record: poison,
        error: new MalformedEventError("Value is not JSON: Unexpected token"),
        kind: "undecodable",
        functionName: "order-created",
        attempts: 1,
        firstFailureAt,
        lastFailureAt,
      },
    ]);
    const [consumed] = await readTopic(dlq);
    if (consumed === undefined) throw new Error("the dead letter did not arrive");
    const { original, failure } = readDeadLetter(consumed);

    // Assess: the dead letter itself, on <topic>.dlq keyed by the original key
    expect(report.acknowledgements).toEqual([{ topic: dlq, partition: 0, offset: "0" }]);
    expect(consumed.topic).toBe(dlq);
    expect(consumed.key?.toString()).toBe("ord-poison");
    expect(consumed.value?.equals(NOT_UTF8)).toBe(true);
    expect(headerText(consumed, DEAD_LETTER_HEADER.sourceTopic)).toBe(source);
    // Assess: the original, exactly
    expect(original).toEqual(poison);
    expect(original.value?.equals(NOT_UTF8)).toBe(true);
    expect(original.headers.map(({ name }) => name)).toEqual(["traceparent", "blob", "event_type"]);
    expect(original.headers[1]?.value.equals(BINARY_HEADER)).toBe(true);
    // Assess: why, where, who, when
    expect(failure).toEqual({
      kind: "undecodable",
      errorClass: "MalformedEventError",
      errorMessage: "Value is not JSON: Unexpected token",
      functionName: "order-created",
      attempts: 1,
      firstFailureAt,
      lastFailureAt,
    });

    // Act: redrive
    const redriven = await producer.send([redriveMessage(original)]);
    const sourceRecords = await readTopic(source);
    const again = sourceRecords.find(
      (record) => record.offset === Number(redriven.acknowledgements[0]?.offset),
    );

    // Assess: the same key, bytes and headers back on the same partition of the source topic
    expect(again).toBeDefined();
    expect(again?.partition).toBe(poison.partition);
    expect(again?.key?.equals(poison.key ?? Buffer.alloc(0))).toBe(true);
    expect(again?.value?.equals(NOT_UTF8)).toBe(true);
    expect(again?.headers).toEqual(poison.headers);
  });
});
