/**
 * DynamoDB write units per applied event: a typical order (placed, then shipped) applied
 * through the read-model writer on moto, its transactions seen by an SDK middleware on the
 * writer's client, and each written item read back and sized by DynamoDB's rules (moto
 * answers `ConsumedCapacity: []` for transactions, so the units cannot be read from it).
 */
import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  type TransactWriteItemsCommandInput,
} from "@aws-sdk/client-dynamodb";
import { READ_MODEL_TABLE } from "../../infra/wiring/system-wiring";
import { placeOrder, shipOrder } from "../../shared/orders/commands";
import { decideTransition } from "../../shared/orders/order";
import { createReadModelWriter } from "../../shared/read-model";
import { createDeclaredTable } from "../support/declared-tables";
import { awsClientConfig, uniqueName } from "../support/local-endpoints";

/** What the DynamoDB part measured. */
export interface DynamodbFigures {
  readonly write_units_per_event: number;
  readonly requests_per_event: number;
  readonly items_per_transaction: number;
}

const KB = 1024;

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

/** A placed and shipped order of one customer: its two events. */
const typicalOrder = () => {
  const placed = placeOrder.decide(
    {
      customer_id: uniqueName("bench"),
      currency: "EUR",
      items: [{ sku: "A", quantity: 1, unit_price: "12.50" }],
    },
    { orderId: uniqueName("ord"), now: new Date() },
  );
  const shipped = decideTransition(
    shipOrder,
    placed.order,
    { carrier: "DHL", tracking_number: "T1" },
    { now: new Date() },
  );
  return [placed.event, shipped.event];
};

/**
 * Applies a typical order's events and sizes what each transaction wrote: 2 write units per
 * started KB of each item (a transactional write), per event.
 */
export const benchDynamodb = async (): Promise<DynamodbFigures> => {
  const client = new DynamoDBClient(awsClientConfig);
  const tableName = uniqueName("bench-read-model");
  await createDeclaredTable(client, READ_MODEL_TABLE, tableName);
  const transactions: TransactWriteItemsCommandInput[] = [];
  let requests = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      requests += 1;
      if (context.commandName === "TransactWriteItemsCommand") {
        transactions.push(args.input as TransactWriteItemsCommandInput);
      }
      return next(args);
    },
    { step: "initialize", name: "benchRequestCounter" },
  );
  try {
    const events = typicalOrder();
    const writer = createReadModelWriter({ client, tableName });
    for (const event of events) await writer.apply(event);
    const counted = requests;
    let units = 0;
    let items = 0;
    for (const transaction of transactions) {
      for (const item of transaction.TransactItems ?? []) {
        const key = item.Update?.Key ?? item.Put?.Item;
        if (key === undefined) throw new Error("a transaction item the bench cannot size");
        const { Item } = await client.send(
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
    return {
      write_units_per_event: units / events.length,
      requests_per_event: counted / events.length,
      items_per_transaction: items / transactions.length,
    };
  } finally {
    client.destroy();
  }
};
