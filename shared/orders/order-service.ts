/**
 * The order commands as the API runs them: load, decide (pure, in `./order`), commit state
 * and outbox item together. Idempotent creates answer a replay with the first response.
 *
 * @example
 * ```ts
 * const service = createOrderService({ repository });
 * const { order, replayed } = await service.place(command, { trace, idempotency });
 * ```
 */
import { randomUUID } from "node:crypto";
import {
  type CancelOrder,
  cancelOrder,
  type Order,
  type PlaceOrder,
  placeOrder,
  type ShipOrder,
  shipOrder,
} from "./order";
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

export interface OrderService {
  place(
    command: PlaceOrder,
    options: { readonly trace: TraceHeaders; readonly idempotency?: IdempotentRequest },
  ): Promise<{ readonly order: Order; readonly replayed: boolean }>;
  ship(
    orderId: string,
    command: ShipOrder,
    options: { readonly trace: TraceHeaders },
  ): Promise<Order>;
  cancel(
    orderId: string,
    command: CancelOrder,
    options: { readonly trace: TraceHeaders },
  ): Promise<Order>;
  get(orderId: string): Promise<Order>;
}

export const createOrderService = (dependencies: {
  readonly repository: OrderRepository;
  readonly now?: () => Date;
  readonly newOrderId?: () => string;
}): OrderService => {
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
    async place(command, { trace, idempotency }) {
      if (idempotency !== undefined) {
        const earlier = await replay(idempotency);
        if (earlier !== undefined) return earlier;
      }
      const decision = placeOrder(command, { orderId: newOrderId(), now: now() });
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
    async ship(orderId, command, { trace }) {
      const order = await existing(orderId);
      const decision = shipOrder(order, command, { now: now() });
      await repository.commit({ ...decision, expectedVersion: order.version, trace });
      return decision.order;
    },
    async cancel(orderId, command, { trace }) {
      const order = await existing(orderId);
      const decision = cancelOrder(order, command, { now: now() });
      await repository.commit({ ...decision, expectedVersion: order.version, trace });
      return decision.order;
    },
    get: existing,
  };
};
