/**
 * What the read model must show at the end of a demo run, from what the API answered: each
 * order's view with the API's status, version, customer, total and currency, and each
 * customer's exact stats (orders placed, shipped, cancelled, and the lifetime value: the
 * totals of the orders not cancelled). Exact stats prove nothing was lost or applied twice.
 *
 * @example
 * ```ts
 * const { orders, customers } = readModelChecks(observation);
 * customers[0]?.matches; // true once every event of that customer's orders is applied
 * ```
 */
import { moneyEquals, sumMoney } from "../../../shared/events";
import type { DemoObservation } from "./demo-observation";
import type { ApiOrder, CustomerStats, OrderView } from "./read-model-views";

export interface OrderAccount {
  readonly orderId: string;
  readonly customerId: string;
  readonly expected: { readonly status: string; readonly version: number };
  readonly view: { readonly status: string; readonly version: number } | undefined;
  readonly matches: boolean;
}

export interface StatsFigures {
  readonly orders_placed: number;
  readonly orders_shipped: number;
  readonly orders_cancelled: number;
  /** By currency: money in different currencies is never added together. */
  readonly lifetime_value: Readonly<Record<string, string>>;
}

export interface CustomerAccount {
  readonly customerId: string;
  readonly expected: StatsFigures;
  readonly actual: StatsFigures | undefined;
  readonly matches: boolean;
}

export interface ReadModelChecks {
  readonly orders: readonly OrderAccount[];
  readonly customers: readonly CustomerAccount[];
  /** One line per order whose view is not what the API answered. */
  readonly viewProblems: readonly string[];
  /** One line per customer whose stats are not exact. */
  readonly statsProblems: readonly string[];
}

/** The lifetime value by currency: the totals of the orders not cancelled. */
const lifetimeValuesOf = (orders: readonly ApiOrder[]): Record<string, string> =>
  Object.fromEntries(
    [...Map.groupBy(orders, (order) => order.currency)].map(([currency, ofCurrency]) => [
      currency,
      sumMoney(
        ofCurrency.filter((order) => order.status !== "CANCELLED").map(({ total }) => total),
      ),
    ]),
  );

/** "EUR 12.50, JPY 1000.00". */
const describeValues = (values: Readonly<Record<string, string>>): string =>
  Object.entries(values)
    .map(([currency, amount]) => `${currency} ${amount}`)
    .join(", ") || "none";

/** Exact stats of each customer, from the API's last answer for each of their orders. */
export const expectedStatsOf = (orders: readonly ApiOrder[]): Map<string, StatsFigures> => {
  const byCustomer = Map.groupBy(orders, (order) => order.customer_id);
  return new Map(
    [...byCustomer].map(([customerId, mine]) => [
      customerId,
      {
        orders_placed: mine.length,
        orders_shipped: mine.filter((order) => order.status === "SHIPPED").length,
        orders_cancelled: mine.filter((order) => order.status === "CANCELLED").length,
        lifetime_value: lifetimeValuesOf(mine),
      },
    ]),
  );
};

const figuresOf = (stats: CustomerStats): StatsFigures => ({
  orders_placed: stats.orders_placed,
  orders_shipped: stats.orders_shipped,
  orders_cancelled: stats.orders_cancelled,
  lifetime_value: stats.lifetime_value,
});

/** Each currency's value equal as money ("12.5" is "12.50"); a missing currency is zero. */
const valuesMatch = (
  expected: Readonly<Record<string, string>>,
  actual: Readonly<Record<string, string>>,
): boolean =>
  [...new Set([...Object.keys(expected), ...Object.keys(actual)])].every((currency) =>
    moneyEquals(expected[currency] ?? "0", actual[currency] ?? "0"),
  );

/** Counts equal and lifetime values equal as money, currency by currency. */
export const statsMatch = (expected: StatsFigures, actual: StatsFigures): boolean =>
  expected.orders_placed === actual.orders_placed &&
  expected.orders_shipped === actual.orders_shipped &&
  expected.orders_cancelled === actual.orders_cancelled &&
  valuesMatch(expected.lifetime_value, actual.lifetime_value);

/** The view shows exactly the state the API answered last. */
export const viewMatches = (order: ApiOrder, view: OrderView | undefined): boolean =>
  view !== undefined &&
  view.status === order.status &&
  view.version === order.version &&
  view.customer_id === order.customer_id &&
  view.currency === order.currency &&
  view.total !== undefined &&
  moneyEquals(view.total, order.total);

const describeView = (view: Pick<OrderView, "status" | "version" | "total" | "currency">) =>
  `${view.status} v${view.version} ${view.total === undefined ? "without a total" : `${view.total} ${view.currency ?? ""}`.trim()}`;

const describeStats = (figures: StatsFigures): string =>
  `placed ${figures.orders_placed}, shipped ${figures.orders_shipped}, cancelled ${figures.orders_cancelled}, lifetime ${describeValues(figures.lifetime_value)}`;

export const readModelChecks = (
  observation: Pick<DemoObservation, "orders" | "views" | "stats">,
): ReadModelChecks => {
  const viewProblems: string[] = [];
  const statsProblems: string[] = [];
  const orders = observation.orders.map((order): OrderAccount => {
    const view = observation.views.get(order.order_id);
    const matches = viewMatches(order, view);
    if (!matches) {
      viewProblems.push(
        `order ${order.order_id}: view shows ${view === undefined ? "nothing yet" : describeView(view)}, expected ${describeView(order)}`,
      );
    }
    return {
      orderId: order.order_id,
      customerId: order.customer_id,
      expected: { status: order.status, version: order.version },
      view: view === undefined ? undefined : { status: view.status, version: view.version },
      matches,
    };
  });
  const customers = [...expectedStatsOf(observation.orders)].map(
    ([customerId, expected]): CustomerAccount => {
      const stats = observation.stats.get(customerId);
      const actual = stats === undefined ? undefined : figuresOf(stats);
      const matches = actual !== undefined && statsMatch(expected, actual);
      if (!matches) {
        statsProblems.push(
          `customer ${customerId}: stats ${actual === undefined ? "not there yet" : describeStats(actual)}; expected ${describeStats(expected)}`,
        );
      }
      return { customerId, expected, actual, matches };
    },
  );
  return { orders, customers, viewProblems, statsProblems };
};
