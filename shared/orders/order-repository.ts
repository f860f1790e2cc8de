/**
 * Order persistence in one DynamoDB table: one TransactWriteItems per command writes the new
 * state (conditioned on the expected version, or on not existing for a new order), its
 * outbox item, and, for a create with an Idempotency-Key, the key's record. Either all of
 * them commit or none does; a concurrent update loses with a {@link VersionConflictError}.
 *
 * @example
 * ```ts
 * const orders = createOrderRepository({ client, tableName, topic: "order-events", source: "orders-api" });
 * await orders.commit({ decision, expectedVersion: 1, trace: { traceparent } });
 * ```
 */
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { TransientError } from "../errors";
import type { Envelope } from "../events";
import { eventHeaders } from "../kafka/headers";
import { toOutboxItem } from "../outbox/outbox-item";
import type { Order } from "./order";
import { VersionConflictError } from "./order-errors";

const STATE_SORT_KEY = "STATE";
const IDEMPOTENCY_SORT_KEY = "REQUEST";

export const orderPartitionKey = (orderId: string): string => `ORDER#${orderId}`;
const idempotencyPartitionKey = (key: string): string => `IDEMPOTENCY#${key}`;

/** The table could not take the write now (throttling, a transaction in progress, a timeout). */
export class OrderStoreUnavailableError extends TransientError {
  override readonly name = "OrderStoreUnavailableError";
}

/** A create with this Idempotency-Key committed before (maybe concurrently). */
export class IdempotencyKeyTakenError extends Error {
  override readonly name = "IdempotencyKeyTakenError";
}

export interface TraceHeaders {
  readonly traceparent?: string;
  readonly tracestate?: string;
}

export interface IdempotentRequest {
  readonly key: string;
  /** Hash of the normalized request; the same key with another hash is a misuse. */
  readonly requestHash: string;
}

export interface IdempotencyRecord {
  readonly requestHash: string;
  /** The order as the first request created it: what every replay answers. */
  readonly order: Order;
}

export interface OrderChange {
  readonly order: Order;
  /** The one event the change yields, stored whole in the outbox item. */
  readonly event: Envelope;
  /** The version the change was decided on; `null` for a new order. */
  readonly expectedVersion: number | null;
  readonly trace: TraceHeaders;
  readonly idempotency?: IdempotentRequest;
}

export interface OrderRepository {
  load(orderId: string): Promise<Order | undefined>;
  commit(change: OrderChange): Promise<void>;
  findIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined>;
}

export interface OrderRepositoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** The topic every outbox item names. */
  readonly topic: string;
  /** CloudEvents `source` of the produced events. */
  readonly source: string;
  readonly outboxTtlSeconds: number;
  readonly idempotencyTtlSeconds: number;
  readonly now?: () => Date;
}

const toOrder = (item: Record<string, unknown>): Order => {
  const { pk: _pk, sk: _sk, item_type: _type, ...order } = item;
  return order as unknown as Order;
};

/** A read the table could not serve now (throttled, unreachable): retry later, not a 500. */
const read = async <T>(what: string, send: () => Promise<T>): Promise<T> => {
  try {
    return await send();
  } catch (error) {
    throw new OrderStoreUnavailableError(`${what} failed`, { cause: error });
  }
};

export const createOrderRepository = (options: OrderRepositoryOptions): OrderRepository => {
  const { client, tableName } = options;
  const now = options.now ?? (() => new Date());

  const commit = async (change: OrderChange): Promise<void> => {
    const { order, event, expectedVersion, trace, idempotency } = change;
    const at = now();
    const pk = orderPartitionKey(order.order_id);
    const headers = eventHeaders(event, { source: options.source, ...trace, producedAt: at });
    const statePut =
      expectedVersion === null
        ? { ConditionExpression: "attribute_not_exists(pk)" }
        : {
            ConditionExpression: "version = :expected",
            ExpressionAttributeValues: { ":expected": expectedVersion },
          };
    const idempotencyPut = idempotency && {
      Put: {
        TableName: tableName,
        Item: {
          pk: idempotencyPartitionKey(idempotency.key),
          sk: IDEMPOTENCY_SORT_KEY,
          item_type: "IDEMPOTENCY",
          request_hash: idempotency.requestHash,
          order_id: order.order_id,
          response: JSON.stringify(order),
          expires_at: Math.floor(at.getTime() / 1000) + options.idempotencyTtlSeconds,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
    try {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: { pk, sk: STATE_SORT_KEY, item_type: "ORDER", ...order },
                ...statePut,
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: toOutboxItem(event, {
                  topic: options.topic,
                  partitionKey: pk,
                  headers,
                  now: at,
                  ttlSeconds: options.outboxTtlSeconds,
                }),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            ...(idempotencyPut ? [idempotencyPut] : []),
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) {
        throw new OrderStoreUnavailableError(`Writing order ${order.order_id} failed`, {
          cause: error,
        });
      }
      const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? "None");
      if (codes[2] === "ConditionalCheckFailed" || codes[2] === "TransactionConflict") {
        throw new IdempotencyKeyTakenError(`Idempotency-Key ${idempotency?.key} is taken`);
      }
      if (
        codes.some((code) => code === "ConditionalCheckFailed" || code === "TransactionConflict")
      ) {
        throw new VersionConflictError(order.order_id, expectedVersion ?? 0);
      }
      throw new OrderStoreUnavailableError(
        `Writing order ${order.order_id} was cancelled (${codes.join(", ")})`,
        { cause: error },
      );
    }
  };

  return {
    commit,
    async load(orderId) {
      const result = await read(`Reading order ${orderId}`, () =>
        client.send(
          new GetCommand({
            TableName: tableName,
            Key: { pk: orderPartitionKey(orderId), sk: STATE_SORT_KEY },
            ConsistentRead: true,
          }),
        ),
      );
      return result.Item === undefined ? undefined : toOrder(result.Item);
    },
    async findIdempotencyRecord(key) {
      const result = await read(`Reading Idempotency-Key ${key}`, () =>
        client.send(
          new GetCommand({
            TableName: tableName,
            Key: { pk: idempotencyPartitionKey(key), sk: IDEMPOTENCY_SORT_KEY },
            ConsistentRead: true,
          }),
        ),
      );
      if (result.Item === undefined) return undefined;
      return {
        requestHash: String(result.Item.request_hash),
        order: JSON.parse(String(result.Item.response)) as Order,
      };
    },
  };
};
