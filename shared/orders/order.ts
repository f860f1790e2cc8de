/**
 * The order aggregate and its transitions, pure: state in, decision out. A transition checks
 * that the order's status allows it, increments the version and yields exactly one event.
 * Which commands exist, and from which statuses, is said by each command's module
 * (`./commands`); this module only applies them.
 *
 * @example
 * ```ts
 * const { order } = placeOrder.decide({ customer_id: "c-1", currency: "EUR", items }, { orderId, now });
 * const shipped = decideTransition(shipOrder, order, { carrier: "DHL", tracking_number: "JD1" }, { now });
 * shipped.order.version; // 2
 * ```
 */
import type * as z from "zod/mini";
import { createEvent, type EventContract } from "../events";
import type { OrderDetails, OrderStatus, TransitionCommand } from "./commands";
import { IllegalTransitionError } from "./order-errors";
import type { OrderEventOf, OrderEventType } from "./order-events";
import type { OrderItem } from "./order-fields";

export type { OrderDetails, OrderStatus } from "./commands";

/** What every order has, whatever happened to it since it was placed. */
export interface OrderCore {
  readonly order_id: string;
  readonly customer_id: string;
  readonly status: string;
  readonly version: number;
  readonly items: readonly OrderItem[];
  readonly total: string;
  readonly currency: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** An order's write-side state: its core, its status, and the fields its transitions set. */
export type Order = OrderCore & { readonly status: OrderStatus } & Partial<OrderDetails>;

/** A command's outcome: the order's new state and the one event that says so. */
export interface Decision<T extends OrderEventType = OrderEventType> {
  readonly order: Order;
  readonly event: OrderEventOf<T>;
}

/** The typed event a contract's schema yields. */
type EventOfContract<C extends EventContract> = z.output<C["schema"]>;

/**
 * Applies a transition to an order: refused with an {@link IllegalTransitionError} unless
 * the order's status is one the command allows; otherwise the order at its next version with
 * the command's fields, and the command's event.
 *
 * @example
 * ```ts
 * decideTransition(cancelOrder, order, { reason: "too slow" }, { now: new Date() });
 * ```
 */
export const decideTransition = <
  R,
  T extends string,
  A extends string,
  D extends z.core.$ZodType,
  To extends OrderStatus,
>(
  command: TransitionCommand<R, EventContract<T, A, D>, To>,
  order: Order,
  request: R,
  context: { readonly now: Date },
): { readonly order: Order; readonly event: EventOfContract<EventContract<T, A, D>> } => {
  if (!command.from.includes(order.status)) {
    throw new IllegalTransitionError(order.order_id, order.status, command.name, command.refusal);
  }
  const at = context.now.toISOString();
  const version = order.version + 1;
  const { data, fields } = command.decide(order, request, at);
  const event = createEvent(command.event, {
    aggregateId: order.order_id,
    aggregateVersion: version,
    occurredAt: context.now,
    data,
  });
  return {
    order: { ...order, ...fields, status: command.to, version, updated_at: at },
    event,
  };
};
