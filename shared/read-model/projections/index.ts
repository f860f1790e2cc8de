/**
 * The registry of projections: every order event type's read side, keyed by its type. Typed
 * over the event-type union ({@link ProjectionRegistry}): an event type added to the
 * contracts and missing here fails to compile, naming the type. Facts, the view's status and
 * fields, and the stats' counters all iterate this registry; its order decides which fact
 * wins a field two of them provide.
 *
 * @example
 * ```ts
 * orderProjections.OrderShipped.status; // "SHIPPED"
 * ```
 */
import type { OrderEvent, OrderEventOf, OrderEventType } from "../../orders/order-events";
import type { Projection } from "../projection";
import { orderCancelledProjection } from "./order-cancelled";
import { orderCreatedProjection } from "./order-created";
import { orderShippedProjection } from "./order-shipped";

/** One projection per order event type, each typed for its own events. */
export type ProjectionRegistry = { readonly [T in OrderEventType]: Projection<OrderEventOf<T>> };

/** Every order event type's projection. */
export const orderProjections = {
  OrderCreated: orderCreatedProjection,
  OrderShipped: orderShippedProjection,
  OrderCancelled: orderCancelledProjection,
} as const satisfies ProjectionRegistry;

type Projections = typeof orderProjections;

/** The statuses an order's view can show. */
export type OrderViewStatus = Projections[OrderEventType]["status"];

/** The counters of a customer's stats. */
export type StatsCounter = Projections[OrderEventType]["counter"];

/** A projection as code that handles any event sees it. */
export type AnyEventProjection = Projection<OrderEvent, object, OrderViewStatus, StatsCounter>;

/** The registry for code that handles any event: each projection takes any order event. */
export const anyEventProjections: Readonly<Record<OrderEventType, AnyEventProjection>> =
  orderProjections;

/** The projections in registry order (the order that decides a field two facts provide). */
export const projectionList: readonly AnyEventProjection[] = Object.values(anyEventProjections);

export { orderCancelledProjection, orderCreatedProjection, orderShippedProjection };
