/**
 * What to read again from the read model while the demo waits: the run's orders whose view
 * is not yet what the API answered, the views of other orders seen in the topic that are
 * below their newest event's version, and the stats not yet exact. What is already final is
 * not asked again, so waiting costs few requests.
 *
 * @example
 * ```ts
 * const { orderIds, customerIds } = readModelToRefresh({ records, orders, views, stats });
 * ```
 */
import type { DemoObservation } from "./demo-observation";
import { expectedStatsOf, statsMatch, viewMatches } from "./read-model-checks";
import { eventIdentityOf } from "./record-outcomes";

export interface ReadModelRefresh {
  readonly orderIds: readonly string[];
  readonly customerIds: readonly string[];
}

export const readModelToRefresh = (
  observation: Pick<DemoObservation, "records" | "orders" | "views" | "stats">,
): ReadModelRefresh => {
  const ours = new Set(observation.orders.map((order) => order.order_id));
  const stale = observation.orders
    .filter((order) => !viewMatches(order, observation.views.get(order.order_id)))
    .map((order) => order.order_id);
  const others = new Map<string, number>();
  for (const record of observation.records) {
    const event = eventIdentityOf(record.value);
    if (event === undefined || ours.has(event.aggregate_id)) continue;
    const version = Math.max(event.aggregate_version, others.get(event.aggregate_id) ?? 0);
    others.set(event.aggregate_id, version);
  }
  const behind = [...others]
    .filter(([orderId, version]) => (observation.views.get(orderId)?.version ?? 0) < version)
    .map(([orderId]) => orderId);
  const orderIds = [...stale, ...behind];
  const customerIds = [...expectedStatsOf(observation.orders)]
    .filter(([customerId, expected]) => {
      const actual = observation.stats.get(customerId);
      return actual === undefined || !statsMatch(expected, actual);
    })
    .map(([customerId]) => customerId);
  return { orderIds, customerIds };
};
