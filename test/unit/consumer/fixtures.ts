/**
 * Records, events and collaborators for the consumer's unit tests: records shaped as the
 * functions see them after decoding an MSK event, a dead-letter sender that keeps what it
 * was given, settings with test-sized delays.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import {
  type ApplyEvent,
  type BatchConsumer,
  type ConsumerSettings,
  ownedEventReader,
} from "../../../shared/consumer";
import { createEvent } from "../../../shared/events";
import { eventHeaders } from "../../../shared/kafka/headers";
import type { KafkaRecord } from "../../../shared/kafka/kafka-record";
import type {
  MessageSender,
  OutgoingMessage,
  SendReport,
} from "../../../shared/kafka/outgoing-message";
import { type OrderEvent, orderEventContracts } from "../../../shared/orders/order-events";

export const TOPIC = "order-events";

export const orderCreated = (orderId: string, customerId = "cus-1") =>
  createEvent(orderEventContracts.OrderCreated, {
    aggregateId: orderId,
    aggregateVersion: 1,
    occurredAt: new Date("2026-11-26T09:00:00.000Z"),
    data: {
      customer_id: customerId,
      items: [{ sku: "SKU-1", quantity: 2, unit_price: "10.25" }],
      total: "20.50",
      currency: "EUR",
    },
  });

export const orderShipped = (orderId: string, customerId = "cus-1") =>
  createEvent(orderEventContracts.OrderShipped, {
    aggregateId: orderId,
    aggregateVersion: 2,
    occurredAt: new Date("2026-11-26T10:00:00.000Z"),
    data: {
      customer_id: customerId,
      carrier: "DHL",
      tracking_number: "JD0001",
      shipped_at: "2026-11-26T10:00:00.000Z",
    },
  });

export interface Origin {
  readonly partition?: number;
  readonly offset: number;
  /** Defaults to the event's aggregate id; `null` for no key. */
  readonly key?: string | null;
}

/** A record whose value is the given bytes, text or JSON-serialized object. */
export const rawRecord = (value: Buffer | string | object | null, origin: Origin): KafkaRecord => ({
  topic: TOPIC,
  partition: origin.partition ?? 0,
  offset: origin.offset,
  timestamp: Date.parse("2026-11-26T09:00:00.000Z") + origin.offset,
  timestampType: "CREATE_TIME",
  key: origin.key === undefined || origin.key === null ? null : Buffer.from(origin.key),
  value:
    value === null
      ? null
      : Buffer.isBuffer(value)
        ? value
        : Buffer.from(typeof value === "string" ? value : JSON.stringify(value)),
  headers: [],
});

/** A record of an event, keyed by its aggregate id, with the headers a producer sets. */
export const eventRecord = (event: OrderEvent, origin: Origin): KafkaRecord => ({
  ...rawRecord(event, { key: event.aggregate_id, ...origin }),
  headers: Object.entries(eventHeaders(event, { source: "test" })).map(([name, value]) => ({
    name,
    value: Buffer.from(value),
  })),
});

export const silentLogger = (): Logger => new Logger({ logLevel: "SILENT" });

export const consumerSettings = (overrides: Partial<ConsumerSettings> = {}): ConsumerSettings => ({
  mode: "provisioned",
  deadLetterTopic: `${TOPIC}.dlq`,
  concurrency: 4,
  retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 40 },
  timeMarginMs: 1_000,
  // The fixtures' records are dated months before the test clock: a bound of a year leaves
  // their transient failures for Lambda. The tests of the bound set their own.
  transientMaxAgeSeconds: 365 * 24 * 3600,
  failedBatchMinMs: 0,
  ...overrides,
});

/** A dead-letter sender that keeps every send, or answers each with `answer`. */
export class RecordingSender implements MessageSender {
  readonly sends: OutgoingMessage[][] = [];

  constructor(
    private readonly answer: (messages: readonly OutgoingMessage[]) => Promise<SendReport> = async (
      messages,
    ) => ({
      acknowledgements: messages.map((message, index) => ({
        topic: message.topic,
        partition: 0,
        offset: String(index),
      })),
    }),
  ) {}

  async send(messages: readonly OutgoingMessage[]): Promise<SendReport> {
    this.sends.push([...messages]);
    return this.answer(messages);
  }
}

/** Resolves after `ms` on the real clock. */
export const delay = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** The OrderCreated consumer's core with `apply`: silent, sending nowhere, never sleeping. */
export const consumerOf = (
  apply: ApplyEvent<OrderEvent>,
  overrides: Partial<BatchConsumer<OrderEvent>> = {},
): BatchConsumer<OrderEvent> => ({
  functionName: "order-created",
  read: ownedEventReader(orderEventContracts, ["OrderCreated"]),
  apply,
  settings: consumerSettings(),
  deadLetters: new RecordingSender(),
  logger: silentLogger(),
  sleep: async () => undefined,
  ...overrides,
});
