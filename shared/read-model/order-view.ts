/**
 * The order view, derived purely from the stored facts when it is read: its status is that of
 * the fact with the highest `aggregate_version` (the order's latest known state) and its
 * version that maximum; every other field comes from the facts that know it, the earlier
 * projection of the registry first. So the view converges on the state of the highest
 * version whatever order the events arrived in, and needs no read-modify-write. Fields no
 * arrived event knows yet are left out (e.g. `total` while only OrderShipped has arrived).
 *
 * @example
 * ```ts
 * deriveOrderView("ord-1", { created, shipped });
 * // { order_id: "ord-1", status: "SHIPPED", version: 2, customer_id, total, currency, items, carrier, ... }
 * ```
 */
import type { OrderFacts, StoredFact } from "./order-facts";
import { type OrderViewStatus, projectionList } from "./projections";

/** What every view has; the rest are the fields its facts provide. */
export interface OrderViewCore {
  readonly order_id: string;
  readonly status: OrderViewStatus;
  readonly version: number;
  readonly customer_id: string;
}

/** An order's view: its core and the fields its facts provide. */
export type OrderView = OrderViewCore & Readonly<Record<string, unknown>>;

/** The latest fact: the highest version; on equal versions the later projection wins. */
const latestOf = (facts: OrderFacts) => {
  let latest: { status: OrderViewStatus; fact: StoredFact } | undefined;
  for (const projection of projectionList) {
    const fact = facts[projection.attribute];
    if (fact !== undefined && (latest === undefined || fact.version >= latest.fact.version)) {
      latest = { status: projection.status, fact };
    }
  }
  return latest;
};

/** Every projection's view fields, the first to provide a field keeping it; undefined left out. */
const viewFieldsOf = (facts: OrderFacts): Record<string, unknown> => {
  const fields: Record<string, unknown> = {};
  for (const projection of projectionList) {
    const fact = facts[projection.attribute];
    if (fact === undefined) continue;
    fields.customer_id ??= fact.customer_id;
    for (const [name, value] of Object.entries(projection.view(fact))) {
      if (value !== undefined && fields[name] === undefined) fields[name] = value;
    }
  }
  return fields;
};

/** The view of an order, or `undefined` before any of its events arrived. */
export const deriveOrderView = (orderId: string, facts: OrderFacts): OrderView | undefined => {
  const latest = latestOf(facts);
  if (latest === undefined) return undefined;
  const { customer_id, ...fields } = viewFieldsOf(facts);
  return {
    order_id: orderId,
    status: latest.status,
    version: latest.fact.version,
    customer_id: String(customer_id),
    ...fields,
  };
};
