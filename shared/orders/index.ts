/**
 * The order domain: the order aggregate, its commands (one module each, `./commands`), its
 * event contracts (one module each, `./events`, registered in `./order-events`), the service
 * that runs a command and commits its outbox item, and the typed errors with their HTTP
 * meaning.
 *
 * @example
 * ```ts
 * const orders = createOrderService({ repository: createOrderRepository(options) });
 * await orders.transition(shipOrder, orderId, { carrier: "DHL", tracking_number: "JD1" }, { trace });
 * ```
 */
export {
  type ApiRoute,
  type CreationCommand,
  cancelOrder,
  defineTransition,
  type OrderDetails,
  type OrderFieldValues,
  type OrderStatus,
  type OrderTransition,
  orderCommandRoutes,
  orderTransitions,
  type PlacementContext,
  type PlaceOrder,
  placeOrder,
  placeOrderRequestSchema,
  shipOrder,
  type TransitionCommand,
  type TransitionOutcome,
} from "./commands";
export { type Decision, decideTransition, type Order, type OrderCore } from "./order";
export {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  IllegalTransitionError,
  OrderNotFoundError,
  VersionConflictError,
} from "./order-errors";
export {
  type OrderEvent,
  type OrderEventContracts,
  type OrderEventOf,
  type OrderEventType,
  orderEventContracts,
  orderEventTypes,
} from "./order-events";
export {
  MAX_ITEMS_PER_ORDER,
  moneyLinesOf,
  ORDER_AGGREGATE,
  type OrderItem,
  orderFields,
  orderItemSchema,
  orderItems,
  totalOf,
} from "./order-fields";
export { classifyOrderError } from "./order-problems";
export {
  createOrderRepository,
  IdempotencyKeyTakenError,
  type IdempotencyRecord,
  type IdempotentRequest,
  type OrderChange,
  type OrderRepository,
  type OrderRepositoryOptions,
  OrderStoreUnavailableError,
  orderPartitionKey,
  type TraceHeaders,
} from "./order-repository";
export {
  type CommandOptions,
  createOrderService,
  type OrderService,
  type OrderServiceDependencies,
} from "./order-service";
