import { type ApplyEvent, type BatchConsumer, consumeKafkaBatch } from "../../../shared/consumer";
import { HEADER, type TextHeaders } from "../../../shared/kafka/headers";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";
import type { OrderEvent } from "../../../shared/orders/order-events";
import { consumerOf, orderCreated } from "../consumer/fixtures";

/** A record as the functions see it after decoding a Lambda MSK event. */
export const kafkaRecord = (
  headers: TextHeaders = {},
  overrides: Partial<KafkaRecord> = {},
): KafkaRecord => ({
  topic: "order-events",
  partition: 2,
  offset: 41,
  timestamp: Date.parse("2026-09-01T10:00:00.000Z"),
  timestampType: "CREATE_TIME",
  key: Buffer.from("ord-1"),
  value: Buffer.from('{"event_type":"OrderCreated"}'),
  headers: Object.entries(headers).map(([name, value]) => ({ name, value: Buffer.from(value) })),
  ...overrides,
});

export const EVENT_ID = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";

export const recordHeaders = (trace: TextHeaders = {}): TextHeaders => ({
  [HEADER.eventType]: "OrderCreated",
  [HEADER.eventId]: EVENT_ID,
  ...trace,
});

/** A trace context from another service, as W3C writes it. */
export const REMOTE_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
export const REMOTE_SPAN_ID = "00f067aa0ba902b7";
export const REMOTE_TRACEPARENT = `00-${REMOTE_TRACE_ID}-${REMOTE_SPAN_ID}-01`;

/** The JSON lines among captured `write` calls, parsed: what Powertools printed. */
export const jsonLines = (writes: readonly unknown[][]): Record<string, unknown>[] =>
  writes
    .map(([chunk]) => String(chunk))
    .flatMap((text) => text.split("\n"))
    .filter((line) => line.trim().startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/**
 * `count` OrderCreated records, record n keyed `ord-<n % keys>` at offset n and sent from its
 * own trace, whose id is `traceIdOf(n)`.
 */
export const tracedOrderRecords = (
  count: number,
  keys: number,
  traceIdOf: (n: number) => string,
): KafkaRecord[] =>
  Array.from({ length: count }, (_, n) => ({
    ...kafkaRecord(recordHeaders({ traceparent: `00-${traceIdOf(n)}-${REMOTE_SPAN_ID}-01` }), {
      key: Buffer.from(`ord-${n % keys}`),
      offset: n,
    }),
    value: Buffer.from(JSON.stringify(orderCreated(`ord-${n % keys}`))),
  }));

/** Runs the OrderCreated consumer's core over `records` with `apply`, in plenty of time. */
export const consumeOrderRecords = (
  records: readonly KafkaRecord[],
  apply: ApplyEvent<OrderEvent>,
  overrides: Partial<BatchConsumer<OrderEvent>> = {},
) => consumeKafkaBatch(records, () => 60_000, consumerOf(apply, overrides));
