/**
 * What each order event says about its order, as stored in the order's view item: one
 * attribute per event type (`created`, `shipped`, `cancelled`), each written whole by its own
 * event and carrying that event's `aggregate_version`. No event reads or overwrites another's
 * facts, so events applied in any order leave the same item; the view is derived from the
 * facts when read (see `order-view`).
 *
 * @example
 * ```ts
 * orderFactOf(shippedEvent);
 * // { attribute: "shipped", fact: { customer_id, carrier, tracking_number, shipped_at, version: 2 } }
 * ```
 */
import type { OrderEvent } from "../orders/order-events";

export interface CreatedFact {
  readonly customer_id: string;
  readonly items: readonly { sku: string; quantity: number; unit_price: string }[];
  readonly total: string;
  readonly currency: string;
  readonly created_at: string;
  readonly version: number;
}

export interface ShippedFact {
  readonly customer_id: string;
  readonly carrier: string;
  readonly tracking_number: string;
  readonly shipped_at: string;
  readonly version: number;
}

export interface CancelledFact {
  readonly customer_id: string;
  readonly reason: string;
  readonly cancelled_at: string;
  readonly total: string;
  readonly currency: string;
  readonly version: number;
}

export interface OrderFacts {
  readonly created?: CreatedFact;
  readonly shipped?: ShippedFact;
  readonly cancelled?: CancelledFact;
}

export type OrderFact =
  | { readonly attribute: "created"; readonly fact: CreatedFact }
  | { readonly attribute: "shipped"; readonly fact: ShippedFact }
  | { readonly attribute: "cancelled"; readonly fact: CancelledFact };

export const orderFactOf = (event: OrderEvent): OrderFact => {
  const version = event.aggregate_version;
  switch (event.event_type) {
    case "OrderCreated": {
      const { customer_id, items, total, currency } = event.data;
      return {
        attribute: "created",
        fact: {
          customer_id,
          items: items.map(({ sku, quantity, unit_price }) => ({ sku, quantity, unit_price })),
          total,
          currency,
          created_at: event.occurred_at,
          version,
        },
      };
    }
    case "OrderShipped": {
      const { customer_id, carrier, tracking_number, shipped_at } = event.data;
      return {
        attribute: "shipped",
        fact: { customer_id, carrier, tracking_number, shipped_at, version },
      };
    }
    case "OrderCancelled": {
      const { customer_id, reason, cancelled_at, total, currency } = event.data;
      return {
        attribute: "cancelled",
        fact: { customer_id, reason, cancelled_at, total, currency, version },
      };
    }
  }
};
