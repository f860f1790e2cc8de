/**
 * The order commands as the API runs them: load, decide (pure, in `./order` and the command
 * modules), commit state and outbox item together. A create with an Idempotency-Key answers
 * a replay with the first response.
 *
 * @example
 * ```ts
 * const service = createOrderService({ repository });
 * const { order, replayed } = await service.place(request, { trace, idempotency });
 * await service.transition(shipOrder, order.order_id, { carrier: "DHL", tracking_number: "JD1" }, { trace });
 * ```
 */
import { randomUUID } from "node:crypto";
import type { EventContract } from "../events";
import type { OrderStatus, PlaceOrder, TransitionCommand } from "./commands";
import { placeOrder } from "./commands";
import { decideTransition, type Order } from "./order";
import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  OrderNotFoundError,
} from "./order-errors";
import {
  IdempotencyKeyTakenError,
  type IdempotentRequest,
  type OrderRepository,
  type TraceHeaders,
} from "./order-repository";

const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a command needs beside its request: the trace to store with its outbox item. */
export interface CommandOptions {
  readonly trace: TraceHeaders;
}

/** The order commands, each committed with its outbox item in one transaction. */
export interface OrderService {
  /** Places an order; with an Idempotency-Key, a repeat answers as the first request did. */
  place(
    request: PlaceOrder,
    options: CommandOptions & { readonly idempotency?: IdempotentRequest },
  ): Promise<{ readonly order: Order; readonly replayed: boolean }>;
  /** Runs a transition command on an existing order; answers the order's new state. */
  transition<R, C extends EventContract, To extends OrderStatus>(
    command: TransitionCommand<R, C, To>,
    orderId: string,
    request: R,
    options: CommandOptions,
  ): Promise<Order>;
  /** The order's current state; {@link OrderNotFoundError} when there is none. */
  get(orderId: string): Promise<Order>;
}

/** What the service works with; `now` and `newOrderId` are for tests. */
export interface OrderServiceDependencies {
  readonly repository: OrderRepository;
  readonly now?: () => Date;
  readonly newOrderId?: () => string;
}

/**
 * The order service over a repository.
 *
 * @example
 * ```ts
 * const orders = createOrderService({ repository: createOrderRepository(options) });
 * ```
 */
export const createOrderService = (dependencies: OrderServiceDependencies): OrderService => {
  const { repository } = dependencies;
  const now = dependencies.now ?? (() => new Date());
  const newOrderId = dependencies.newOrderId ?? randomUUID;

  const replay = async (idempotency: IdempotentRequest) => {
    const record = await repository.findIdempotencyRecord(idempotency.key);
    if (record === undefined) return undefined;
    if (record.requestHash !== idempotency.requestHash) {
      throw new IdempotencyKeyReusedError(idempotency.key);
    }
    return { order: record.order, replayed: true };
  };

  const existing = async (orderId: string): Promise<Order> => {
    // Order ids are UUIDs this service made; anything else names no order.
    if (!ORDER_ID.test(orderId)) throw new OrderNotFoundError(orderId);
    const order = await repository.load(orderId);
    if (order === undefined) throw new OrderNotFoundError(orderId);
    return order;
  };

  return {
    async place(request, { trace, idempotency }) {
      if (idempotency !== undefined) {
        const earlier = await replay(idempotency);
        if (earlier !== undefined) return earlier;
      }
      const decision = placeOrder.decide(request, { orderId: newOrderId(), now: now() });
      try {
        await repository.commit({ ...decision, expectedVersion: null, trace, idempotency });
      } catch (error) {
        // A concurrent request with the same key won the race: answer as it did.
        if (error instanceof IdempotencyKeyTakenError && idempotency !== undefined) {
          const earlier = await replay(idempotency);
          if (earlier !== undefined) return earlier;
          throw new IdempotencyKeyInProgressError(idempotency.key);
        }
        throw error;
      }
      return { order: decision.order, replayed: false };
    },
    async transition(command, orderId, request, { trace }) {
      const order = await existing(orderId);
      const decision = decideTransition(command, order, request, { now: now() });
      await repository.commit({ ...decision, expectedVersion: order.version, trace });
      return decision.order;
    },
    get: existing,
  };
};
