/**
 * Customer statistics, kept exact by DynamoDB `ADD` on numbers (decimal, 38 digits): each
 * event adds one to its projection's counter, and moves the lifetime value by what its
 * projection says (OrderCreated adds its total, OrderCancelled takes it back out). Additions
 * commute, so any arrival order gives the same figures (the lifetime value may dip below zero
 * while a cancellation is ahead of its creation). The counters served are the registry's.
 *
 * @example
 * ```ts
 * statsChangeOf(cancelledEvent); // { customerId: "c-1", counter: "orders_cancelled", lifetimeValueDelta: "-25.00" }
 * ```
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { formatMoney } from "../events";
import type { OrderEvent } from "../orders/order-events";
import { anyEventProjections, projectionList, type StatsCounter } from "./projections";

export type { StatsCounter } from "./projections";

/** A customer's stats as served: one count per counter, and the lifetime value. */
export type CustomerStats = { readonly customer_id: string } & {
  readonly [C in StatsCounter]: number;
} & {
  /** Decimal string, e.g. "25.00". */
  readonly lifetime_value: string;
};

/** What one event adds to its customer's stats. */
export interface StatsChange {
  readonly customerId: string;
  /** Grows by one. */
  readonly counter: StatsCounter;
  /** Signed decimal added to the lifetime value, when the event changes it. */
  readonly lifetimeValueDelta?: string;
}

/** What the event adds to its customer's stats, by its type's projection. */
export const statsChangeOf = (event: OrderEvent): StatsChange => {
  const projection = anyEventProjections[event.event_type];
  const lifetimeValueDelta = projection.lifetimeValueDelta?.(event);
  return {
    customerId: event.data.customer_id,
    counter: projection.counter,
    ...(lifetimeValueDelta === undefined ? {} : { lifetimeValueDelta }),
  };
};

const countOf = (value: AttributeValue | undefined): number => Number(value?.N ?? "0");

/** The stats as served, from the stored item (numbers read as text, so money stays exact). */
export const toCustomerStats = (
  customerId: string,
  item: Readonly<Record<string, AttributeValue>>,
): CustomerStats =>
  // One entry per counter of the registry: `fromEntries` cannot say so in its type.
  ({
    customer_id: customerId,
    ...Object.fromEntries(
      projectionList.map(({ counter }) => [counter, countOf(item[counter])] as const),
    ),
    lifetime_value: formatMoney(item.lifetime_value?.N ?? "0"),
  }) as CustomerStats;
