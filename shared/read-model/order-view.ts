/**
 * The order view, derived purely from the stored facts when it is read: its status is that of
 * the fact with the highest `aggregate_version` (the order's latest known state) and its
 * version that maximum; every other field comes from the fact that knows it. So the view
 * converges on the state of the highest version whatever order the events arrived in, and
 * needs no read-modify-write. Fields no arrived event knows yet are left out (e.g. `total`
 * while only OrderShipped has arrived).
 *
 * @example
 * ```ts
 * deriveOrderView("ord-1", { created, shipped });
 * // { order_id: "ord-1", status: "SHIPPED", version: 2, customer_id, total, currency, items, carrier, ... }
 * ```
 */
import type { OrderFacts } from "./order-facts";

export type OrderViewStatus = "CREATED" | "SHIPPED" | "CANCELLED";

export interface OrderView {
  readonly order_id: string;
  readonly status: OrderViewStatus;
  readonly version: number;
  readonly customer_id: string;
  readonly total?: string;
  readonly currency?: string;
  readonly created_at?: string;
  readonly items?: readonly { sku: string; quantity: number; unit_price: string }[];
  readonly carrier?: string;
  readonly tracking_number?: string;
  readonly shipped_at?: string;
  readonly reason?: string;
  readonly cancelled_at?: string;
}

/** The facts with their statuses; on equal versions the later one wins, so the result is fixed. */
const statusesOf = (facts: OrderFacts) =>
  [
    { status: "CREATED", fact: facts.created },
    { status: "SHIPPED", fact: facts.shipped },
    { status: "CANCELLED", fact: facts.cancelled },
  ] as const;

/** The same object without its undefined fields, so they are left out rather than `null`. */
const definedOnly = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

/** The view of an order, or `undefined` before any of its events arrived. */
export const deriveOrderView = (orderId: string, facts: OrderFacts): OrderView | undefined => {
  let latest: { status: OrderViewStatus; version: number; customerId: string } | undefined;
  for (const { status, fact } of statusesOf(facts)) {
    if (fact !== undefined && (latest === undefined || fact.version >= latest.version)) {
      latest = { status, version: fact.version, customerId: fact.customer_id };
    }
  }
  if (latest === undefined) return undefined;
  const { created, shipped, cancelled } = facts;
  return definedOnly<OrderView>({
    order_id: orderId,
    status: latest.status,
    version: latest.version,
    customer_id: created?.customer_id ?? latest.customerId,
    total: created?.total ?? cancelled?.total,
    currency: created?.currency ?? cancelled?.currency,
    created_at: created?.created_at,
    items: created?.items,
    carrier: shipped?.carrier,
    tracking_number: shipped?.tracking_number,
    shipped_at: shipped?.shipped_at,
    reason: cancelled?.reason,
    cancelled_at: cancelled?.cancelled_at,
  });
};
