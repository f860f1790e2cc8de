/**
 * The order aggregate and its transitions, pure: state in, decision out. Each transition
 * checks the rules, increments the version and yields exactly one event.
 *
 * An order ships or cancels only from CREATED; a shipped order cannot be cancelled, nor a
 * cancelled one shipped.
 *
 * @example
 * ```ts
 * const { order, event } = placeOrder({ customer_id: "c-1", currency: "EUR", items }, { orderId, now });
 * const shipped = shipOrder(order, { carrier: "DHL", tracking_number: "JD1" }, { now });
 * shipped.order.version; // 2
 * ```
 */
import { createEvent } from "../events";
import { IllegalTransitionError } from "./order-errors";
import { type OrderEventOf, type OrderItem, orderEventContracts, totalOf } from "./order-events";

export type OrderStatus = "CREATED" | "SHIPPED" | "CANCELLED";

export interface Order {
  readonly order_id: string;
  readonly customer_id: string;
  readonly status: OrderStatus;
  readonly version: number;
  readonly items: readonly OrderItem[];
  readonly total: string;
  readonly currency: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly carrier?: string;
  readonly tracking_number?: string;
  readonly shipped_at?: string;
  readonly cancel_reason?: string;
  readonly cancelled_at?: string;
}

export interface PlaceOrder {
  readonly customer_id: string;
  readonly currency: string;
  readonly items: readonly OrderItem[];
}

export interface ShipOrder {
  readonly carrier: string;
  readonly tracking_number: string;
}

export interface CancelOrder {
  readonly reason: string;
}

export interface Decision<T extends keyof typeof orderEventContracts> {
  readonly order: Order;
  readonly event: OrderEventOf<T>;
}

export const placeOrder = (
  command: PlaceOrder,
  context: { readonly orderId: string; readonly now: Date },
): Decision<"OrderCreated"> => {
  const items = command.items.map(({ sku, quantity, unit_price }) => ({
    sku,
    quantity,
    unit_price,
  }));
  const total = totalOf(items);
  const event = createEvent(orderEventContracts.OrderCreated, {
    aggregateId: context.orderId,
    aggregateVersion: 1,
    occurredAt: context.now,
    data: { customer_id: command.customer_id, items, total, currency: command.currency },
  });
  const at = context.now.toISOString();
  return {
    order: {
      order_id: context.orderId,
      customer_id: command.customer_id,
      status: "CREATED",
      version: 1,
      items,
      total,
      currency: command.currency,
      created_at: at,
      updated_at: at,
    },
    event,
  };
};

const requireCreated = (order: Order, attempted: "ship" | "cancel"): void => {
  if (order.status !== "CREATED")
    throw new IllegalTransitionError(order.order_id, order.status, attempted);
};

export const shipOrder = (
  order: Order,
  command: ShipOrder,
  context: { readonly now: Date },
): Decision<"OrderShipped"> => {
  requireCreated(order, "ship");
  const at = context.now.toISOString();
  const version = order.version + 1;
  const event = createEvent(orderEventContracts.OrderShipped, {
    aggregateId: order.order_id,
    aggregateVersion: version,
    occurredAt: context.now,
    data: {
      customer_id: order.customer_id,
      carrier: command.carrier,
      tracking_number: command.tracking_number,
      shipped_at: at,
    },
  });
  return {
    order: {
      ...order,
      status: "SHIPPED",
      version,
      updated_at: at,
      carrier: command.carrier,
      tracking_number: command.tracking_number,
      shipped_at: at,
    },
    event,
  };
};

export const cancelOrder = (
  order: Order,
  command: CancelOrder,
  context: { readonly now: Date },
): Decision<"OrderCancelled"> => {
  requireCreated(order, "cancel");
  const at = context.now.toISOString();
  const version = order.version + 1;
  const event = createEvent(orderEventContracts.OrderCancelled, {
    aggregateId: order.order_id,
    aggregateVersion: version,
    occurredAt: context.now,
    data: {
      customer_id: order.customer_id,
      reason: command.reason,
      cancelled_at: at,
      total: order.total,
      currency: order.currency,
    },
  });
  return {
    order: {
      ...order,
      status: "CANCELLED",
      version,
      updated_at: at,
      cancel_reason: command.reason,
      cancelled_at: at,
    },
    event,
  };
};
