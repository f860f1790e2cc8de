/**
 * The read model: what the order events make of the orders (a view per order) and of the
 * customers (stats), applied exactly once per `event_id`, in any arrival order. Each event
 * type's contribution is its projection (`./projections`); the writer, the queries and the
 * consumer handler iterate the registry of projections.
 *
 * @example
 * ```ts
 * // functions/order-shipped/handler.ts
 * export const handler = readModelConsumerHandler("OrderShipped", "order-shipped");
 * ```
 */
export {
  type CustomerStats,
  lifetimeValueAttribute,
  type StatsChange,
  statsChangeOf,
  toCustomerStats,
} from "./customer-stats";
export {
  orderEventTransaction,
  type TransactionContext,
  VIEW_ITEM_INDEX,
} from "./order-event-transaction";
export {
  factsOfItem,
  type OrderFact,
  type OrderFacts,
  orderFactOf,
  type StoredFact,
} from "./order-facts";
export { deriveOrderView, type OrderView, type OrderViewCore } from "./order-view";
export {
  defineProjection,
  type FactBase,
  type MoneyAmount,
  type Projection,
  type ViewFields,
} from "./projection";
export {
  type AnyEventProjection,
  type OrderViewStatus,
  orderProjections,
  type ProjectionRegistry,
  type StatsCounter,
} from "./projections";
export {
  READ_MODEL_CONNECTION_TIMEOUT_MS,
  READ_MODEL_REQUEST_TIMEOUT_MS,
  readModelClient,
} from "./read-model-client";
export { readModelConsumerHandler } from "./read-model-consumer";
export {
  CustomerStatsNotFoundError,
  OrderViewNotFoundError,
  ReadModelRejectedError,
  ReadModelUnavailableError,
} from "./read-model-errors";
export {
  customerStatsKey,
  orderViewKey,
  READ_MODEL_ATTRIBUTE,
  type ReadModelKey,
} from "./read-model-keys";
export { classifyReadModelError } from "./read-model-problems";
export {
  createReadModelQueries,
  type ReadModelQueries,
  type ReadModelQueriesOptions,
} from "./read-model-queries";
export {
  createReadModelWriter,
  type ReadModelWriter,
  type ReadModelWriterOptions,
} from "./read-model-writer";
