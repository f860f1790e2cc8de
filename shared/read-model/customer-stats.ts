/**
 * Customer statistics, kept exact by DynamoDB `ADD` on numbers (decimal, 38 digits): each
 * event adds one to its projection's counter, and moves the lifetime value in its own
 * currency by what its projection says (OrderCreated adds its total, OrderCancelled takes it
 * back out). Money in different currencies is never added together: each currency has its
 * own attribute (`lifetime_value_EUR`, ...), served as `lifetime_value: { EUR: "25.00" }`.
 * Additions commute, so any arrival order gives the same figures (a value may dip below zero
 * while a cancellation is ahead of its creation). The counters served are the registry's.
 *
 * @example
 * ```ts
 * statsChangeOf(cancelledEvent);
 * // { customerId: "c-1", counter: "orders_cancelled", lifetimeValue: { amount: "-25.00", currency: "EUR" } }
 * ```
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { formatMoney } from "../events";
import type { OrderEvent } from "../orders/order-events";
import type { MoneyAmount } from "./projection";
import { anyEventProjections, projectionList, type StatsCounter } from "./projections";

export type { StatsCounter } from "./projections";

/** A customer's stats as served: one count per counter, and the lifetime value per currency. */
export type CustomerStats = { readonly customer_id: string } & {
  readonly [C in StatsCounter]: number;
} & {
  /** Decimal strings by ISO 4217 code, e.g. `{ EUR: "25.00", JPY: "1000.00" }`. */
  readonly lifetime_value: Readonly<Record<string, string>>;
};

/** What one event adds to its customer's stats. */
export interface StatsChange {
  readonly customerId: string;
  /** Grows by one. */
  readonly counter: StatsCounter;
  /** Added to the lifetime value in its currency, when the event changes it. */
  readonly lifetimeValue?: MoneyAmount;
}

const LIFETIME_VALUE_PREFIX = "lifetime_value_";

/**
 * The stats item's attribute that holds the lifetime value in one currency.
 *
 * @example
 * ```ts
 * lifetimeValueAttribute("EUR"); // "lifetime_value_EUR"
 * ```
 */
export const lifetimeValueAttribute = (currency: string): string =>
  `${LIFETIME_VALUE_PREFIX}${currency}`;

/** What the event adds to its customer's stats, by its type's projection. */
export const statsChangeOf = (event: OrderEvent): StatsChange => {
  const projection = anyEventProjections[event.event_type];
  const lifetimeValue = projection.lifetimeValue?.(event);
  return {
    customerId: event.data.customer_id,
    counter: projection.counter,
    ...(lifetimeValue === undefined ? {} : { lifetimeValue }),
  };
};

const countOf = (value: AttributeValue | undefined): number => Number(value?.N ?? "0");

/** Every currency's lifetime value in the stored item, exact, by currency code. */
const lifetimeValuesOf = (
  item: Readonly<Record<string, AttributeValue>>,
): Record<string, string> => {
  const values: Record<string, string> = {};
  const names = Object.keys(item).filter((name) => name.startsWith(LIFETIME_VALUE_PREFIX));
  for (const name of names.sort()) {
    const stored = item[name]?.N;
    if (stored !== undefined)
      values[name.slice(LIFETIME_VALUE_PREFIX.length)] = formatMoney(stored);
  }
  return values;
};

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
    lifetime_value: lifetimeValuesOf(item),
  }) as CustomerStats;
