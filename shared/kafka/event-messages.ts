/**
 * Typed events as Kafka messages: the value is the event as JSON, the key its aggregate id
 * (one order's events share a partition, in order), the headers those of `eventHeaders` (see
 * docs/architecture.md, Kafka headers), with the W3C trace context when there is one.
 */
import { type EventHeaderInput, eventHeaders, type HeaderContext } from "./headers";
import type { MessageSender, OutgoingMessage, SendReport } from "./outgoing-message";

/**
 * What an event must carry to be published; every event of `shared/events` does.
 *
 * @example
 * ```ts
 * const publishable: PublishableEvent = createEvent(orderEventContracts.OrderCreated, input);
 * ```
 */
export interface PublishableEvent extends EventHeaderInput {
  readonly aggregate_id: string;
}

/**
 * The message of one event for `topic`: keyed by its aggregate id, with its headers.
 *
 * @example
 * ```ts
 * const message = eventMessage("order-events", created, { source: "orders-api" });
 * message.key; // created.aggregate_id
 * ```
 */
export const eventMessage = (
  topic: string,
  event: PublishableEvent,
  context: HeaderContext,
): OutgoingMessage => ({
  topic,
  key: event.aggregate_id,
  value: JSON.stringify(event),
  headers: eventHeaders(event, context),
});

/**
 * Sends the events in order, all with the same header context (one invocation, one trace).
 *
 * @example
 * ```ts
 * await publishEvents(producer, "order-events", [created, shipped], {
 *   source: "orders-api",
 *   traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
 * });
 * ```
 */
export const publishEvents = (
  sender: MessageSender,
  topic: string,
  events: readonly PublishableEvent[],
  context: HeaderContext,
): Promise<SendReport> => sender.send(events.map((event) => eventMessage(topic, event, context)));
