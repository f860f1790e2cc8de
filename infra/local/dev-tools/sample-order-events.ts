/**
 * Valid order events for sample batches, from the registry of contract samples
 * (`shared/orders/events/event-samples.ts`): one per record, of the types asked for in turn,
 * each for its own order unless one order is named.
 *
 * @example
 * ```ts
 * sampleOrderEvents(new SampleIds("s"), { types: ["OrderShipped"], records: 2 });
 * // two OrderShipped events, for two orders of the same sample customer
 * ```
 */

import { sampleOrderEvent } from "../../../shared/orders/events/event-samples";
import type { OrderEvent, OrderEventType } from "../../../shared/orders/order-events";
import type { SampleIds } from "./sample-ids";

/** Which events a sample batch carries. */
export interface SampleEventsRequest {
  /** Taken in turn, one per record. */
  readonly types: readonly OrderEventType[];
  readonly records: number;
  /** Every record's order; else record n is about the sample's order n. */
  readonly orderId?: string;
}

/** The id of the sample's order `n` (from 1): what `--order` defaults to. */
export const sampleOrderId = (ids: SampleIds, n = 1): string => ids.uuid(`order-${n}`);

/** The sample's customer: every sample order is theirs. */
export const sampleCustomerId = (ids: SampleIds): string => `cus-sample-${ids.tag("customer")}`;

/** The events, in record order. */
export const sampleOrderEvents = (ids: SampleIds, request: SampleEventsRequest): OrderEvent[] =>
  Array.from({ length: request.records }, (_, index) => {
    const eventType = request.types[index % request.types.length];
    if (eventType === undefined) throw new Error("a sample batch needs at least one event type");
    const orderId = request.orderId ?? sampleOrderId(ids, index + 1);
    return sampleOrderEvent(
      eventType,
      { orderId, customerId: sampleCustomerId(ids), at: ids.after(index) },
      ids.uuid(`event-${index + 1}-${eventType}-${orderId}`),
    );
  });
