/**
 * Reads the read model for the HTTP API: an order's view (derived from its stored facts) and
 * a customer's stats, each one consistent `GetItem`. Nothing there yet is a not-found error;
 * a table that cannot answer is {@link ReadModelUnavailableError}.
 *
 * @example
 * ```ts
 * const queries = createReadModelQueries({ client, tableName });
 * await queries.orderView("ord-1"); // { order_id: "ord-1", status: "SHIPPED", version: 2, ... }
 * ```
 */
import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { type CustomerStats, toCustomerStats } from "./customer-stats";
import { factsOfItem } from "./order-facts";
import { deriveOrderView, type OrderView } from "./order-view";
import {
  CustomerStatsNotFoundError,
  OrderViewNotFoundError,
  ReadModelUnavailableError,
} from "./read-model-errors";
import { customerStatsKey, orderViewKey, type ReadModelKey } from "./read-model-keys";

/** The reads the HTTP API serves from the read model. */
export interface ReadModelQueries {
  orderView(orderId: string): Promise<OrderView>;
  customerStats(customerId: string): Promise<CustomerStats>;
}

/** Where the queries read. */
export interface ReadModelQueriesOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** Within the 128 characters the contracts allow ids (DynamoDB keys stop at 2 KB). */
const isPlausibleId = (id: string): boolean => id.length > 0 && id.length <= 128;

/** The queries over one read-model table (consistent reads). */
export const createReadModelQueries = (options: ReadModelQueriesOptions): ReadModelQueries => {
  const getItem = async (key: ReadModelKey) => {
    try {
      const { Item } = await options.client.send(
        new GetItemCommand({
          TableName: options.tableName,
          Key: marshall(key),
          ConsistentRead: true,
        }),
      );
      return Item;
    } catch (error) {
      throw new ReadModelUnavailableError(`Reading ${key.pk} failed`, { cause: error });
    }
  };
  return {
    async orderView(orderId) {
      // An id no order can have names nothing; asking DynamoDB would only fail validation.
      if (!isPlausibleId(orderId)) throw new OrderViewNotFoundError(orderId);
      const item = await getItem(orderViewKey(orderId));
      const view = item === undefined ? undefined : deriveOrderView(orderId, factsOfItem(item));
      if (view === undefined) throw new OrderViewNotFoundError(orderId);
      return view;
    },
    async customerStats(customerId) {
      if (!isPlausibleId(customerId)) throw new CustomerStatsNotFoundError(customerId);
      const item = await getItem(customerStatsKey(customerId));
      if (item === undefined) throw new CustomerStatsNotFoundError(customerId);
      return toCustomerStats(customerId, item);
    },
  };
};
