import { describe, expect, it } from "vitest";
import { createEvent } from "../../../shared/events";
import { eventMessage, publishEvents } from "../../../shared/kafka/event-messages";
import { HEADER } from "../../../shared/kafka/headers";
import type { MessageSender, OutgoingMessage } from "../../../shared/kafka/outgoing-message";
import { orderEventContracts } from "../../../shared/orders/order-events";

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

const shipped = createEvent(orderEventContracts.OrderShipped, {
  aggregateId: "ord-1",
  aggregateVersion: 2,
  occurredAt: new Date("2026-11-26T09:00:00.000Z"),
  data: {
    customer_id: "c-1",
    carrier: "DHL",
    tracking_number: "1Z999",
    shipped_at: "2026-11-26T09:00:00.000Z",
  },
});

describe("eventMessage", () => {
  it("keys the event's JSON by its aggregate id, with the event headers and trace context", () => {
    // Act
    const message = eventMessage("order-events", shipped, {
      source: "orders-api",
      traceparent: TRACEPARENT,
      producedAt: new Date("2026-11-26T09:00:01.000Z"),
    });

    // Assess
    expect(message.topic).toBe("order-events");
    expect(message.key).toBe("ord-1");
    expect(JSON.parse(String(message.value))).toEqual(shipped);
    expect(message.headers).toMatchObject({
      [HEADER.eventType]: "OrderShipped",
      [HEADER.eventId]: shipped.event_id,
      [HEADER.producedAt]: "2026-11-26T09:00:01.000Z",
      [HEADER.contentType]: "application/json",
      [HEADER.traceparent]: TRACEPARENT,
    });
    expect(message.headers).not.toHaveProperty(HEADER.tracestate);
  });
});

describe("publishEvents", () => {
  it("sends all events in one send, in order", async () => {
    // Prepare
    const sent: OutgoingMessage[][] = [];
    const sender: MessageSender = {
      send: async (messages) => {
        sent.push([...messages]);
        return {
          acknowledgements: messages.map((message, index) => ({
            topic: message.topic,
            partition: 0,
            offset: String(index),
          })),
        };
      },
    };
    const cancelled = createEvent(orderEventContracts.OrderCancelled, {
      aggregateId: "ord-1",
      aggregateVersion: 3,
      data: {
        customer_id: "c-1",
        reason: "changed mind",
        cancelled_at: "2026-11-26T10:00:00.000Z",
        total: "10.00",
        currency: "EUR",
      },
    });

    // Act
    const report = await publishEvents(sender, "order-events", [shipped, cancelled], {
      source: "orders-api",
    });

    // Assess
    expect(sent).toHaveLength(1);
    expect(sent[0]?.map((message) => message.key)).toEqual(["ord-1", "ord-1"]);
    expect(sent[0]?.map((message) => JSON.parse(String(message.value)).event_type)).toEqual([
      "OrderShipped",
      "OrderCancelled",
    ]);
    expect(report.acknowledgements).toHaveLength(2);
  });
});
