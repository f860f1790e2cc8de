/**
 * Customer statistics, kept exact by DynamoDB `ADD` on numbers (decimal, 38 digits): each
 * event adds to its own counter, and OrderCreated adds its total to the lifetime value while
 * OrderCancelled takes its total back out. Additions commute, so any arrival order gives the
 * same figures (the lifetime value may dip below zero while a cancellation is ahead of its
 * creation).
 *
 * @example
 * ```ts
 * statsChangeOf(cancelledEvent); // { customerId: "c-1", counter: "orders_cancelled", lifetimeValueDelta: "-25.00" }
 * ```
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { formatMoney, negateMoney } from "../events";
import type { OrderEvent } from "../orders/order-events";

export interface CustomerStats {
  readonly customer_id: string;
  readonly orders_placed: number;
  readonly orders_shipped: number;
  readonly orders_cancelled: number;
  /** Decimal string, e.g. "25.00". */
  readonly lifetime_value: string;
}

export type StatsCounter = "orders_placed" | "orders_shipped" | "orders_cancelled";

export interface StatsChange {
  readonly customerId: string;
  /** Grows by one. */
  readonly counter: StatsCounter;
  /** Signed decimal added to the lifetime value, when the event changes it. */
  readonly lifetimeValueDelta?: string;
}

export const statsChangeOf = (event: OrderEvent): StatsChange => {
  const customerId = event.data.customer_id;
  switch (event.event_type) {
    case "OrderCreated":
      return { customerId, counter: "orders_placed", lifetimeValueDelta: event.data.total };
    case "OrderShipped":
      return { customerId, counter: "orders_shipped" };
    case "OrderCancelled":
      return {
        customerId,
        counter: "orders_cancelled",
        lifetimeValueDelta: negateMoney(event.data.total),
      };
  }
};

const countOf = (value: AttributeValue | undefined): number => Number(value?.N ?? "0");

/** The stats as served, from the stored item (numbers read as text, so money stays exact). */
export const toCustomerStats = (
  customerId: string,
  item: Readonly<Record<string, AttributeValue>>,
): CustomerStats => ({
  customer_id: customerId,
  orders_placed: countOf(item.orders_placed),
  orders_shipped: countOf(item.orders_shipped),
  orders_cancelled: countOf(item.orders_cancelled),
  lifetime_value: formatMoney(item.lifetime_value?.N ?? "0"),
});
