/**
 * DynamoDB requests per order command across the system, and write units per applied event.
 * The orders API is built as its handler builds it (`functions/orders-api/handler.ts`: the
 * order service over the repository, the read model's queries, `createOrderApi`) over a
 * client of the bench's; a typical order's commands (place, ship; place, cancel) go through
 * its request path as API Gateway events; each command's outbox item is read back from the
 * orders table and its event applied through the read-model writer, as the consumers do.
 * An SDK middleware on each part's client counts the requests it sends (one per HTTP
 * attempt). The relay sends none: Lambda reads the table's stream for it. Each item the
 * writer's transactions wrote is then read back and sized by DynamoDB's rules (moto answers
 * `ConsumedCapacity: []` for transactions, so the units cannot be read from it).
 */
import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type TransactWriteItemsCommandInput,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  ORDER_EVENTS_TOPIC,
  ORDERS_TABLE,
  READ_MODEL_TABLE,
} from "../../infra/wiring/system-wiring";
import { readEvent } from "../../shared/events";
import { type OrderEvent, orderEventContracts } from "../../shared/orders/order-events";
import { createOrderRepository, orderPartitionKey } from "../../shared/orders/order-repository";
import { createOrderService } from "../../shared/orders/order-service";
import { createOrderApi, type OrderApi } from "../../shared/orders-api";
import { OUTBOX_SORT_KEY_PREFIX } from "../../shared/outbox/outbox-item";
import { createReadModelWriter, type ReadModelWriter } from "../../shared/read-model";
import { createReadModelQueries } from "../../shared/read-model/read-model-queries";
import { apiGatewayEvent, type HttpRequest } from "../support/api-gateway-events";
import { createDeclaredTable } from "../support/declared-tables";
import { awsClientConfig, uniqueName } from "../support/local-endpoints";

/** One command's DynamoDB requests, by the part of the system that sent them. */
export interface CommandRequests {
  /** e.g. "POST /orders + Idempotency-Key" */
  readonly command: string;
  /** Each part's requests, by operation (`TransactWriteItems: 1`). */
  readonly by_function: Readonly<Record<SystemPart, Readonly<Record<string, number>>>>;
}

/** What the DynamoDB part measured. */
export interface DynamodbFigures {
  /** DynamoDB requests of the orders API and the consumers, per HTTP command. */
  readonly requests_per_command: number;
  readonly requests_per_command_by_function: Readonly<Record<SystemPart, number>>;
  /** The relay reads the stream through Lambda's event source mapping, not the SDK. */
  readonly relay_requests: "none (Lambda reads the stream)";
  readonly write_units_per_event: number;
  readonly items_per_transaction: number;
  /** Each command's requests, for the human report. */
  readonly commands: readonly CommandRequests[];
}

/** The parts of the system that send DynamoDB requests for a command. */
export type SystemPart = "orders-api" | "consumers";

const KB = 1024;
const OUTBOX_TTL_SECONDS = 7 * 24 * 3600;
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** An attribute value's size by DynamoDB's rules (names and values in UTF-8 bytes). */
const valueSize = (value: AttributeValue): number => {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^[-0.]+/, "").length / 2) + 1;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.M !== undefined) return 3 + itemSize(value.M) + Object.keys(value.M).length;
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + valueSize(v) + 1, 0);
  throw new Error(`no size rule for ${Object.keys(value).join()}`);
};

/** An item's size: each attribute's name plus its value. */
const itemSize = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value),
    0,
  );

/** A client whose requests are counted by operation, one per HTTP attempt. */
const countedClient = () => {
  const client = new DynamoDBClient(awsClientConfig);
  let counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, "");
      counts.set(operation, (counts.get(operation) ?? 0) + 1);
      return next(args);
    },
    { step: "deserialize", name: "benchRequestCounter" },
  );
  /** The counts since the last take, and a fresh start. */
  const take = (): Record<string, number> => {
    const taken = Object.fromEntries(counts);
    counts = new Map();
    return taken;
  };
  return { client, take };
};

/** The orders API as `functions/orders-api/handler.ts` builds it, over `client`. */
const ordersApi = (client: DynamoDBClient, tables: { orders: string; readModel: string }) =>
  createOrderApi({
    orders: createOrderService({
      repository: createOrderRepository({
        client: DynamoDBDocumentClient.from(client),
        tableName: tables.orders,
        topic: ORDER_EVENTS_TOPIC,
        source: "orders-api",
        outboxTtlSeconds: OUTBOX_TTL_SECONDS,
        idempotencyTtlSeconds: IDEMPOTENCY_TTL_SECONDS,
      }),
    }),
    readModel: createReadModelQueries({ client, tableName: tables.readModel }),
  });

/** Sends one request through the API; the order's id from its answer. */
const send = async (api: OrderApi, request: HttpRequest): Promise<string> => {
  const answer = await api(apiGatewayEvent(request));
  if (answer.statusCode !== 200 && answer.statusCode !== 201) {
    throw new Error(`${request.routeKey} answered ${answer.statusCode}: ${answer.body}`);
  }
  return (JSON.parse(answer.body ?? "{}") as { order_id: string }).order_id;
};

/** A typical order's commands: one placed (with an Idempotency-Key) and shipped, one cancelled. */
const typicalCommands = (customerId: string): ((ids: string[]) => HttpRequest)[] => {
  const place = (key?: string) => (): HttpRequest => ({
    routeKey: "POST /orders",
    headers: key === undefined ? {} : { "idempotency-key": key },
    body: {
      customer_id: customerId,
      currency: "EUR",
      items: [{ sku: "A", quantity: 1, unit_price: "12.50" }],
    },
  });
  return [
    place(uniqueName("key")),
    ([first = ""]) => ({
      routeKey: "POST /orders/{id}/ship",
      pathParameters: { id: first },
      body: { carrier: "DHL", tracking_number: "T1" },
    }),
    place(),
    ([, second = ""]) => ({
      routeKey: "POST /orders/{id}/cancel",
      pathParameters: { id: second },
      body: { reason: "changed mind" },
    }),
  ];
};

/** The events of an order's outbox items not seen yet, in version order. */
const newEvents = async (
  reader: DynamoDBClient,
  tableName: string,
  orderId: string,
  seen: Set<string>,
): Promise<OrderEvent[]> => {
  const { Items = [] } = await reader.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :outbox)",
      ExpressionAttributeValues: {
        ":pk": { S: orderPartitionKey(orderId) },
        ":outbox": { S: OUTBOX_SORT_KEY_PREFIX },
      },
      ConsistentRead: true,
    }),
  );
  const keyOf = (item: Record<string, AttributeValue>) => `${item.pk?.S} ${item.sk?.S}`;
  const fresh = Items.filter((item) => !seen.has(keyOf(item)));
  for (const item of fresh) seen.add(keyOf(item));
  return fresh.map((item) => readEvent(orderEventContracts, item.value?.S ?? ""));
};

/** Sizes what the writer's transactions wrote: 2 write units per started KB of each item. */
const writeUnits = async (
  reader: DynamoDBClient,
  tableName: string,
  transactions: readonly TransactWriteItemsCommandInput[],
) => {
  let units = 0;
  let items = 0;
  for (const transaction of transactions) {
    for (const item of transaction.TransactItems ?? []) {
      const key = item.Update?.Key ?? item.Put?.Item;
      if (key === undefined) throw new Error("a transaction item the bench cannot size");
      const { Item } = await reader.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pk: key.pk as AttributeValue, sk: key.sk as AttributeValue },
          ConsistentRead: true,
        }),
      );
      units += 2 * Math.max(1, Math.ceil(itemSize(Item ?? {}) / KB));
      items += 1;
    }
  }
  return { units, items };
};

/** The sum of a part's counts. */
const total = (counts: Readonly<Record<string, number>>): number =>
  Object.values(counts).reduce((sum, n) => sum + n, 0);

/** A command's name in the report: its route, and whether it carries an Idempotency-Key. */
const labelOf = (request: HttpRequest): string =>
  request.headers?.["idempotency-key"] === undefined
    ? request.routeKey
    : `${request.routeKey} + Idempotency-Key`;

/** Runs the commands, each then its events applied by the writer; each command's requests. */
const runCommands = async (parts: {
  api: OrderApi;
  writer: ReadModelWriter;
  reader: DynamoDBClient;
  ordersTable: string;
  take: Record<SystemPart, () => Record<string, number>>;
}): Promise<CommandRequests[]> => {
  const ids: string[] = [];
  const seen = new Set<string>();
  const measured: CommandRequests[] = [];
  for (const command of typicalCommands(uniqueName("bench"))) {
    const request = command(ids);
    const orderId = await send(parts.api, request);
    if (!ids.includes(orderId)) ids.push(orderId);
    const api = parts.take["orders-api"]();
    for (const event of await newEvents(parts.reader, parts.ordersTable, orderId, seen)) {
      await parts.writer.apply(event);
    }
    measured.push({
      command: labelOf(request),
      by_function: { "orders-api": api, consumers: parts.take.consumers() },
    });
  }
  return measured;
};

/**
 * Runs a typical order's commands through the orders API and applies their events through
 * the read-model writer, both on moto, counting each part's DynamoDB requests.
 */
export const benchDynamodb = async (): Promise<DynamodbFigures> => {
  const reader = new DynamoDBClient(awsClientConfig);
  const api = countedClient();
  const consumers = countedClient();
  const tables = { orders: uniqueName("bench-orders"), readModel: uniqueName("bench-read-model") };
  await createDeclaredTable(reader, ORDERS_TABLE, tables.orders);
  await createDeclaredTable(reader, READ_MODEL_TABLE, tables.readModel);
  const transactions: TransactWriteItemsCommandInput[] = [];
  consumers.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "TransactWriteItemsCommand") {
        transactions.push(args.input as TransactWriteItemsCommandInput);
      }
      return next(args);
    },
    { step: "initialize", name: "benchTransactionKeeper" },
  );
  try {
    const commands = await runCommands({
      api: ordersApi(api.client, tables),
      writer: createReadModelWriter({ client: consumers.client, tableName: tables.readModel }),
      reader,
      ordersTable: tables.orders,
      take: { "orders-api": api.take, consumers: consumers.take },
    });
    const perCommand = (part: SystemPart) =>
      commands.reduce((sum, c) => sum + total(c.by_function[part]), 0) / commands.length;
    const { units, items } = await writeUnits(reader, tables.readModel, transactions);
    return {
      requests_per_command: perCommand("orders-api") + perCommand("consumers"),
      requests_per_command_by_function: {
        "orders-api": perCommand("orders-api"),
        consumers: perCommand("consumers"),
      },
      relay_requests: "none (Lambda reads the stream)",
      write_units_per_event: units / transactions.length,
      items_per_transaction: items / transactions.length,
      commands,
    };
  } finally {
    for (const client of [reader, api.client, consumers.client]) client.destroy();
  }
};
