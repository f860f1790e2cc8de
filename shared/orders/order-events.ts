/**
 * The registry of order event contracts: the one list of the order's event types. Each type
 * lives in its own module under `./events/` (schema, version, upcasters); the types in code
 * are inferred from these schemas, and every registry keyed by event type elsewhere (the
 * read model's projections, the wiring's consumers) is typed over {@link OrderEventType}, so
 * a type added here and missing there is a compile error naming it.
 *
 * @example
 * ```ts
 * const event = readEvent(orderEventContracts, json);
 * if (event.event_type === "OrderCreated") event.data.items[0]?.sku;
 * ```
 */
import type { AnyEventOf, EventOf } from "../events";
import { orderCancelled } from "./events/order-cancelled";
import { orderCreated } from "./events/order-created";
import { orderShipped } from "./events/order-shipped";

/** Every order event type's contract, keyed by its `event_type`. */
export const orderEventContracts = {
  OrderCreated: orderCreated,
  OrderShipped: orderShipped,
  OrderCancelled: orderCancelled,
} as const;

/** The contracts' type, for routers and readers typed over them. */
export type OrderEventContracts = typeof orderEventContracts;
/** The union of the order's event types: `"OrderCreated" | "OrderShipped" | ...`. */
export type OrderEventType = keyof OrderEventContracts;
/** The typed event of one order event type. */
export type OrderEventOf<T extends OrderEventType> = EventOf<OrderEventContracts, T>;
/** Any order event, discriminated by `event_type`. */
export type OrderEvent = AnyEventOf<OrderEventContracts>;

/** Every order event type, in the registry's order. */
export const orderEventTypes = Object.keys(orderEventContracts) as OrderEventType[];
