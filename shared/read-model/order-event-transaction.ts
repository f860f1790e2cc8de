/**
 * The one DynamoDB transaction that applies an order event to the read model, built purely:
 *
 * 0. the event's facts set on its order's view item (see `order-facts`), only if that item
 *    holds no fact of the event's type at its version or later. A second copy of an applied
 *    event, under its own `event_id` or another (a redelivery, a redrive, a replay with a
 *    new id), fails here, so the whole transaction does nothing: the effect happens once;
 * 1. the event's additions to its customer's stats (see `customer-stats`).
 *
 * Facts are never removed and the view item does not expire, so the guard lasts as long as
 * the view: no marker per event, and two items (at most 4 write units while each is under
 * 1 KB). Nothing is read first, so concurrent invocations never act on a stale read; two
 * copies of one event racing meet in DynamoDB's transaction conflict detection on the view.
 *
 * @example
 * ```ts
 * const items = orderEventTransaction(event, { tableName });
 * await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
 * ```
 */
import type { TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { OrderEvent } from "../orders/order-events";
import { lifetimeValueAttribute, type StatsChange, statsChangeOf } from "./customer-stats";
import { orderFactOf } from "./order-facts";
import { customerStatsKey, orderViewKey } from "./read-model-keys";

/** Where the order's view sits among the transaction's items (its cancellation reason). */
export const VIEW_ITEM_INDEX = 0;

/** What the transaction needs beside the event. */
export interface TransactionContext {
  readonly tableName: string;
}

const marshallOptions = { removeUndefinedValues: true } as const;

/**
 * The transaction's items for one event: view fact, stats additions.
 *
 * @example
 * ```ts
 * orderEventTransaction(event, { tableName }).length; // 2
 * ```
 */
export const orderEventTransaction = (
  event: OrderEvent,
  { tableName }: TransactionContext,
): TransactWriteItem[] => [
  { Update: viewUpdate(event, tableName) },
  { Update: statsUpdate(statsChangeOf(event), tableName) },
];

/** The event's fact set on its order's view, unless the view has it at this version or later. */
const viewUpdate = (event: OrderEvent, tableName: string) => {
  const { attribute, fact } = orderFactOf(event);
  return {
    TableName: tableName,
    Key: marshall(orderViewKey(event.aggregate_id)),
    UpdateExpression: "SET #fact = :fact, order_id = :order_id",
    // One fact per event type and order: a copy of an applied event under another
    // event_id (a replay, a redrive of a re-published item) finds its fact there already.
    ConditionExpression: "attribute_not_exists(#fact) OR #fact.#version < :version",
    ExpressionAttributeNames: { "#fact": attribute, "#version": "version" },
    ExpressionAttributeValues: marshall(
      { ":fact": fact, ":order_id": event.aggregate_id, ":version": event.aggregate_version },
      marshallOptions,
    ),
  };
};

/** The event's additions to its customer's stats: its counter, and its currency's value. */
const statsUpdate = (change: StatsChange, tableName: string) => {
  const value = change.lifetimeValue;
  return {
    TableName: tableName,
    Key: marshall(customerStatsKey(change.customerId)),
    UpdateExpression: `ADD #counter :one${value ? ", #value :value" : ""} SET customer_id = :customer_id`,
    ExpressionAttributeNames: {
      "#counter": change.counter,
      ...(value ? { "#value": lifetimeValueAttribute(value.currency) } : {}),
    },
    ExpressionAttributeValues: {
      ":one": { N: "1" },
      ":customer_id": { S: change.customerId },
      // The decimal text as DynamoDB's exact number, never through a float.
      ...(value ? { ":value": { N: value.amount } } : {}),
    },
  };
};
