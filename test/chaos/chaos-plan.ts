/**
 * The chaos run's load, decided up front and purely: each order's customer, currency, items
 * and fate (shipped, cancelled or kept), when in the run it is placed, by which client, and
 * the Idempotency-Key it is placed with (so a placement whose answer was lost can be asked
 * again without placing a second order). Each customer orders in both currencies, so every
 * customer's stats hold two lifetime values, and each customer's orders end in every way.
 *
 * @example
 * ```ts
 * const plan = planChaosLoad({ runId: "chaos-x", orders: 300, clients: 4, loadMs: 180_000, seed: 1 });
 * plan.orders[1]; // { index: 1, client: 1, dueMs: 600, customerId: "chaos-x-cus-2", currency: "EUR", ... }
 * ```
 */
import type { OrderFate, PlannedItem, PlannedOrder } from "../../infra/local/demo/demo-plan";
import { seededRandom } from "../support/seeded-random";

export const CHAOS_CURRENCIES = ["EUR", "USD"] as const;

export interface ChaosOrder extends PlannedOrder {
  readonly index: number;
  /** Which client places it, and follows it up. */
  readonly client: number;
  /** When it is placed, from the start of the load. */
  readonly dueMs: number;
  readonly idempotencyKey: string;
}

export interface ChaosLoadPlan {
  readonly customers: readonly string[];
  readonly orders: readonly ChaosOrder[];
}

export interface ChaosLoadInput {
  readonly runId: string;
  readonly orders: number;
  readonly clients: number;
  readonly loadMs: number;
  readonly seed: number;
}

const FATES: readonly OrderFate[] = ["ship", "cancel", "keep"];

/** Customers per client: enough for several customers' events to meet on one stats item. */
const CUSTOMERS_PER_CLIENT = 2;

export const planChaosLoad = ({
  runId,
  orders,
  clients,
  loadMs,
  seed,
}: ChaosLoadInput): ChaosLoadPlan => {
  const random = seededRandom(seed);
  const customerCount = Math.min(orders, clients * CUSTOMERS_PER_CLIENT);
  const customers = Array.from({ length: customerCount }, (_, n) => `${runId}-cus-${n + 1}`);
  const planned = Array.from({ length: orders }, (_, index): ChaosOrder => {
    // Round by round, each customer's orders alternate currencies and take every fate.
    const round = Math.floor(index / customers.length);
    const items: PlannedItem[] = Array.from({ length: 1 + random(3) }, () => ({
      sku: `SKU-${random(20) + 1}`,
      quantity: 1 + random(4),
      unit_price: `${1 + random(40)}.${String(random(100)).padStart(2, "0")}`,
    })).filter((item, n, all) => all.findIndex((other) => other.sku === item.sku) === n);
    return {
      index,
      client: index % clients,
      dueMs: Math.round((index * loadMs) / orders),
      customerId: customers[index % customers.length] ?? `${runId}-cus-1`,
      currency: CHAOS_CURRENCIES[round % 2] ?? "EUR",
      items,
      fate: FATES[((index % customers.length) + round) % FATES.length] ?? "keep",
      idempotencyKey: `${runId}-order-${index}`,
    };
  });
  return { customers, orders: planned };
};
