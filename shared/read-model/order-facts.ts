/**
 * What each order event says about its order, as stored in the order's view item: one
 * attribute per event type (its projection's `attribute`), each written whole by its own
 * event and carrying that event's `aggregate_version`. No event reads or overwrites another's
 * facts, so events applied in any order leave the same item; the view is derived from the
 * facts when read (see `order-view`).
 *
 * @example
 * ```ts
 * orderFactOf(shippedEvent);
 * // { attribute: "shipped", fact: { carrier, tracking_number, shipped_at, customer_id: "c-1", version: 2 } }
 * ```
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { OrderEvent } from "../orders/order-events";
import type { FactBase } from "./projection";
import { anyEventProjections, projectionList } from "./projections";

/** A stored fact: what its projection keeps of the event, with its customer and version. */
export type StoredFact = FactBase & Readonly<Record<string, unknown>>;

/** An order's stored facts, by attribute; a type whose event has not arrived is absent. */
export type OrderFacts = Readonly<Partial<Record<string, StoredFact>>>;

/** One event's fact and the attribute it is stored under. */
export interface OrderFact {
  readonly attribute: string;
  readonly fact: StoredFact;
}

/** The fact an event stores, by its type's projection. */
export const orderFactOf = (event: OrderEvent): OrderFact => {
  const projection = anyEventProjections[event.event_type];
  return {
    attribute: projection.attribute,
    fact: {
      ...projection.fact(event),
      customer_id: event.data.customer_id,
      version: event.aggregate_version,
    },
  };
};

/** The facts of a stored view item: every projection's attribute that is there. */
export const factsOfItem = (item: Readonly<Record<string, AttributeValue>>): OrderFacts => {
  const stored = unmarshall(item as Record<string, AttributeValue>);
  return Object.fromEntries(
    projectionList
      .filter((projection) => stored[projection.attribute] !== undefined)
      .map((projection) => [projection.attribute, stored[projection.attribute] as StoredFact]),
  );
};
