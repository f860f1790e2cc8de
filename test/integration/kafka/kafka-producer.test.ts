/**
 * The producer against the real broker: typed events come back with their keys, headers and
 * per-key order; raw messages to several topics go in one send; acknowledgements name the
 * offsets the records really got; a message the broker refuses is a permanent error that says
 * how many leading messages were acknowledged.
 */
import { type Admin, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEvent } from "../../../shared/events";
import { HEADER, headerText } from "../../../shared/kafka";
import { ProducePermanentError } from "../../../shared/kafka/errors";
import { publishEvents } from "../../../shared/kafka/event-messages";
import { KafkaProducer } from "../../../shared/kafka/kafka-producer";
import { readKafkaSettings } from "../../../shared/kafka/kafka-settings";
import { orderEventContracts } from "../../../shared/orders/order-events";
import { createTopics, readTopic, testKafkaClient } from "../../support/kafka-topics";
import { kafkaBrokers, uniqueName } from "../../support/local-endpoints";

const settings = readKafkaSettings({
  KAFKA_BROKERS: kafkaBrokers.join(","),
  KAFKA_CLIENT_ID: "producer-it",
});

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const TRACESTATE = "vendor=opaque";

const orderLife = (orderId: string) => [
  createEvent(orderEventContracts.OrderCreated, {
    aggregateId: orderId,
    aggregateVersion: 1,
    data: {
      customer_id: "c-1",
      items: [{ sku: "sku-1", quantity: 2, unit_price: "5.00" }],
      total: "10.00",
      currency: "EUR",
    },
  }),
  createEvent(orderEventContracts.OrderShipped, {
    aggregateId: orderId,
    aggregateVersion: 2,
    data: {
      customer_id: "c-1",
      carrier: "DHL",
      tracking_number: `1Z-${orderId}`,
      shipped_at: "2026-11-26T09:00:00.000Z",
    },
  }),
  createEvent(orderEventContracts.OrderCancelled, {
    aggregateId: orderId,
    aggregateVersion: 3,
    data: {
      customer_id: "c-1",
      reason: "late",
      cancelled_at: "2026-11-26T10:00:00.000Z",
      total: "10.00",
      currency: "EUR",
    },
  }),
];

describe("KafkaProducer on the real broker", () => {
  const events = uniqueName("order-events");
  const other = uniqueName("other-events");
  const small = uniqueName("small-messages");
  let admin: Admin;
  const producer = new KafkaProducer(settings, { logLevel: logLevel.NOTHING });

  beforeAll(async () => {
    admin = testKafkaClient().admin();
    await admin.connect();
    await createTopics(testKafkaClient(), [
      { topic: events, numPartitions: 3 },
      { topic: other, numPartitions: 1 },
      {
        topic: small,
        numPartitions: 1,
        configEntries: [{ name: "max.message.bytes", value: "2048" }],
      },
    ]);
  });

  afterAll(async () => {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [events, other, small] }).catch(() => undefined);
    await admin.disconnect();
  });

  it("publishes typed events that come back keyed, with their headers and trace context, in per-key order", async () => {
    // Prepare
    const orders = ["ord-a", "ord-b", "ord-c", "ord-d"];
    const published = orders.flatMap(orderLife);

    // Act
    const report = await publishEvents(producer, events, published, {
      source: "orders-api",
      traceparent: TRACEPARENT,
      tracestate: TRACESTATE,
    });
    const records = await readTopic(events);

    // Assess: every event acknowledged where it really landed
    expect(report.acknowledgements).toHaveLength(published.length);
    const byEventId = new Map(
      records.map((record) => [headerText(record, HEADER.eventId), record]),
    );
    published.forEach((event, index) => {
      const record = byEventId.get(event.event_id);
      expect(record, event.event_id).toBeDefined();
      expect(report.acknowledgements[index]).toEqual({
        topic: events,
        partition: record?.partition,
        offset: String(record?.offset),
      });
      expect(record?.key?.toString()).toBe(event.aggregate_id);
      expect(JSON.parse(record?.value?.toString() ?? "null")).toEqual(event);
      expect(headerText(record ?? { headers: [] }, HEADER.eventType)).toBe(event.event_type);
      expect(headerText(record ?? { headers: [] }, HEADER.traceparent)).toBe(TRACEPARENT);
      expect(headerText(record ?? { headers: [] }, HEADER.tracestate)).toBe(TRACESTATE);
      expect(headerText(record ?? { headers: [] }, HEADER.contentType)).toBe("application/json");
    });
    // Assess: one order on one partition, its events in version order
    for (const orderId of orders) {
      const ofOrder = records
        .filter((record) => record.key?.toString() === orderId)
        .sort((left, right) => left.offset - right.offset);
      expect(new Set(ofOrder.map((record) => record.partition)).size).toBe(1);
      expect(
        ofOrder.map((record) => JSON.parse(record.value?.toString() ?? "{}").aggregate_version),
      ).toEqual([1, 2, 3]);
    }
  });

  it("sends raw prepared messages to several topics in one send, bytes and headers as given", async () => {
    // Prepare
    const binary = Buffer.from([0x00, 0xff, 0x80, 0x7f]);
    const messages = [
      { topic: other, key: "k-1", value: '{"a":1}', headers: { origin: "outbox" } },
      {
        topic: events,
        key: Buffer.from("k-2"),
        value: binary,
        headers: [{ name: "bin", value: binary }],
      },
      { topic: other, key: null, value: null },
    ];

    // Act
    const report = await producer.send(messages);
    const fromOther = await readTopic(other);

    // Assess
    expect(report.acknowledgements.map(({ topic }) => topic)).toEqual([other, events, other]);
    expect(report.acknowledgements[0]?.offset).toBe("0");
    expect(report.acknowledgements[2]?.offset).toBe("1");
    expect(fromOther[0]?.value?.toString()).toBe('{"a":1}');
    expect(headerText(fromOther[0] ?? { headers: [] }, "origin")).toBe("outbox");
    expect(fromOther[1]?.key).toBeNull();
    expect(fromOther[1]?.value).toBeNull();
  });

  it("fails a message the broker refuses permanently, naming how many leading ones were acknowledged", async () => {
    // Prepare: requests of about one message each, the third above the topic's 2 KiB limit
    const bounded = new KafkaProducer(settings, {
      maxRequestBytes: 1_000,
      logLevel: logLevel.NOTHING,
    });
    const messages = [600, 600, 4_000, 600].map((bytes, index) => ({
      topic: small,
      key: `k-${index}`,
      value: Buffer.alloc(bytes, index),
    }));

    // Act
    const error = await bounded.send(messages).catch((caught: unknown) => caught);
    await bounded.disconnect();
    const written = await readTopic(small);

    // Assess
    expect(error).toBeInstanceOf(ProducePermanentError);
    expect(error).toMatchObject({ firstUnacknowledged: 2, kafkaErrorType: "MESSAGE_TOO_LARGE" });
    expect(written.map((record) => record.key?.toString())).toEqual(["k-0", "k-1"]);
  });
});
