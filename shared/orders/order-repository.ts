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
/** Where the Idempotency-Key's record sits among the transaction's items. */
const IDEMPOTENCY_ITEM_INDEX = 2;

/** The partition of an order's items: its state and its outbox items. */
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

/** The W3C trace headers stored with an outbox item. */
export interface TraceHeaders {
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/** A create that carries an Idempotency-Key. */
export interface IdempotentRequest {
  readonly key: string;
  /** Hash of the normalized request; the same key with another hash is a misuse. */
  readonly requestHash: string;
}

/** What a key's first request stored: its hash and its answer. */
export interface IdempotencyRecord {
  readonly requestHash: string;
  /** The order as the first request created it: what every replay answers. */
  readonly order: Order;
}

/** One command's write: the new state and its event, decided on a known version. */
export interface OrderChange {
  readonly order: Order;
  /** The one event the change yields, stored whole in the outbox item. */
  readonly event: Envelope;
  /** The version the change was decided on; `null` for a new order. */
  readonly expectedVersion: number | null;
  readonly trace: TraceHeaders;
  readonly idempotency?: IdempotentRequest;
}

/** Reads and commits orders. */
export interface OrderRepository {
  load(orderId: string): Promise<Order | undefined>;
  commit(change: OrderChange): Promise<void>;
  findIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined>;
}

/** Where and how the repository writes. */
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

/** The state item's write: a new order must not exist, a changed one must be at its version. */
const stateCondition = (expectedVersion: number | null) =>
  expectedVersion === null
    ? { ConditionExpression: "attribute_not_exists(pk)" }
    : {
        ConditionExpression: "version = :expected",
        ExpressionAttributeValues: { ":expected": expectedVersion },
      };

/** The transaction's items: state, outbox item, and the Idempotency-Key's record if any. */
const transactionItems = (change: OrderChange, options: OrderRepositoryOptions, at: Date) => {
  const { order, event, expectedVersion, trace, idempotency } = change;
  const { tableName } = options;
  const pk = orderPartitionKey(order.order_id);
  const headers = eventHeaders(event, { source: options.source, ...trace, producedAt: at });
  const items = [
    {
      Put: {
        TableName: tableName,
        Item: { pk, sk: STATE_SORT_KEY, item_type: "ORDER", ...order },
        ...stateCondition(expectedVersion),
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
  ];
  if (idempotency === undefined) return items;
  const record = {
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
  return [...items, record];
};

/** What a failed commit means: a taken key, a concurrent update, or a table not answering. */
const commitError = (error: unknown, change: OrderChange): Error => {
  const { order, expectedVersion, idempotency } = change;
  if (!(error instanceof TransactionCanceledException)) {
    return new OrderStoreUnavailableError(`Writing order ${order.order_id} failed`, {
      cause: error,
    });
  }
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? "None");
  const refused = (code: string) =>
    code === "ConditionalCheckFailed" || code === "TransactionConflict";
  if (refused(codes[IDEMPOTENCY_ITEM_INDEX] ?? "")) {
    return new IdempotencyKeyTakenError(`Idempotency-Key ${idempotency?.key} is taken`);
  }
  if (codes.some(refused)) return new VersionConflictError(order.order_id, expectedVersion ?? 0);
  return new OrderStoreUnavailableError(
    `Writing order ${order.order_id} was cancelled (${codes.join(", ")})`,
    { cause: error },
  );
};

/**
 * The order repository over one DynamoDB table.
 *
 * @example
 * ```ts
 * const repository = createOrderRepository({ client, tableName: "orders", topic: "order-events", source: "orders-api", outboxTtlSeconds, idempotencyTtlSeconds });
 * ```
 */
export const createOrderRepository = (options: OrderRepositoryOptions): OrderRepository => {
  const { client, tableName } = options;
  const now = options.now ?? (() => new Date());
  const getItem = (pk: string, sk: string) =>
    client.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }));

  return {
    async commit(change) {
      const TransactItems = transactionItems(change, options, now());
      try {
        await client.send(new TransactWriteCommand({ TransactItems }));
      } catch (error) {
        throw commitError(error, change);
      }
    },
    async load(orderId) {
      const result = await read(`Reading order ${orderId}`, () =>
        getItem(orderPartitionKey(orderId), STATE_SORT_KEY),
      );
      return result.Item === undefined ? undefined : toOrder(result.Item);
    },
    async findIdempotencyRecord(key) {
      const result = await read(`Reading Idempotency-Key ${key}`, () =>
        getItem(idempotencyPartitionKey(key), IDEMPOTENCY_SORT_KEY),
      );
      if (result.Item === undefined) return undefined;
      return {
        requestHash: String(result.Item.request_hash),
        order: JSON.parse(String(result.Item.response)) as Order,
      };
    },
  };
};
