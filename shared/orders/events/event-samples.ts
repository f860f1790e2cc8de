/**
 * The registry of order event samples: one valid sample per contract of
 * `orderEventContracts`, typed over {@link OrderEventType}, so a contract added there without
 * a sample here does not compile. `npm run event` iterates it; each sample lives beside its
 * contract.
 *
 * @example
 * ```ts
 * const event = sampleOrderEvent("OrderShipped", { orderId, customerId, at }, eventId);
 * event.data.carrier; // "DHL"
 * ```
 */
import { createEvent, type EventContract } from "../../events";
import {
  type OrderEventContracts,
  type OrderEventOf,
  type OrderEventType,
  orderEventContracts,
} from "../order-events";
import type { EventSample, SampleContext } from "./event-sample";
import { orderCancelledSample } from "./order-cancelled";
import { orderCreatedSample } from "./order-created";
import { orderShippedSample } from "./order-shipped";

/** Every order event type's sample, keyed by its `event_type`. */
export const orderEventSamples: {
  readonly [T in OrderEventType]: EventSample<OrderEventContracts[T]>;
} = {
  OrderCreated: orderCreatedSample,
  OrderShipped: orderShippedSample,
  OrderCancelled: orderCancelledSample,
};

/**
 * A valid event of the type, for the context's order, validated against its contract
 * (throws `InvalidEventError` if a sample ever breaks it).
 */
export const sampleOrderEvent = <T extends OrderEventType>(
  eventType: T,
  context: SampleContext,
  eventId: string,
): OrderEventOf<T> => {
  // Widened: TypeScript cannot pair a contract with its sample through the union of types;
  // createEvent validates the result against the contract all the same.
  const sample: EventSample<EventContract> = orderEventSamples[eventType];
  const contract: EventContract = orderEventContracts[eventType];
  return createEvent(contract, {
    aggregateId: context.orderId,
    aggregateVersion: sample.aggregateVersion,
    data: sample.data(context),
    occurredAt: context.at,
    eventId,
  }) as OrderEventOf<T>;
};
