/**
 * What one event type contributes to the read model: the fact it stores in its order's view
 * item, the status it gives the order when it is the order's latest event, the view fields it
 * provides, and what it adds to its customer's stats. Each event type's projection is a
 * module under `./projections/`; the registry there is typed over the event-type union, so
 * an event type without a projection is a compile error.
 *
 * @example
 * ```ts
 * export const orderShippedProjection = defineProjection<OrderEventOf<"OrderShipped">>()({
 *   attribute: "shipped",
 *   status: "SHIPPED",
 *   counter: "orders_shipped",
 *   fact: ({ data }) => ({ carrier: data.carrier, tracking_number: data.tracking_number, shipped_at: data.shipped_at }),
 *   view: (fact) => ({ carrier: fact.carrier, tracking_number: fact.tracking_number, shipped_at: fact.shipped_at }),
 * });
 * ```
 */
import type { OrderEvent } from "../orders/order-events";

/** The fields every stored fact has beside its own: its customer and its event's version. */
export interface FactBase {
  readonly customer_id: string;
  readonly version: number;
}

/** An amount of money in one currency: a signed decimal string and an ISO 4217 code. */
export interface MoneyAmount {
  readonly amount: string;
  readonly currency: string;
}

/** The view fields a fact provides (left out when undefined). */
export type ViewFields = Readonly<Record<string, unknown>>;

/** The read side of one event type. */
export interface Projection<
  E extends OrderEvent = OrderEvent,
  F extends object = object,
  S extends string = string,
  C extends string = string,
> {
  /** The view item's attribute that holds this type's fact; one per type. */
  readonly attribute: string;
  /** The order's status in the view while this type's fact has the highest version. */
  readonly status: S;
  /** The customer's counter this type's events add one to. */
  readonly counter: C;
  /** What the event says about its order, stored whole (with {@link FactBase}). */
  fact(event: E): F;
  /**
   * The view fields this fact provides. Where two facts provide one field, the projection
   * earlier in the registry wins, so the result does not depend on arrival order.
   */
  view(fact: F & FactBase): ViewFields;
  /** What the event adds to its customer's lifetime value in its currency (signed), if any. */
  lifetimeValue?(event: E): MoneyAmount;
}

/**
 * Declares the projection of event type `E`, keeping its literal status and counter so the
 * view's statuses and the stats' counters derive from the registry.
 *
 * @example
 * ```ts
 * const orderCreatedProjection = defineProjection<OrderEventOf<"OrderCreated">>()({ ... });
 * ```
 */
export const defineProjection =
  <E extends OrderEvent>() =>
  <F extends object, const S extends string, const C extends string>(
    projection: Projection<E, F, S, C>,
  ): Projection<E, F, S, C> =>
    projection;
