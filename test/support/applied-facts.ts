/**
 * What a read-model consumer applied, as stored: an order's view item and the fact each
 * event left on it (the guard that makes an event's effect happen once).
 */
import { type AttributeValue, type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { OrderEvent } from "../../shared/orders/order-events";
import { factsOfItem, orderFactOf, orderViewKey } from "../../shared/read-model";

/** The stored view item of `orderId` (a consistent read), or undefined when there is none. */
export const storedView = async (
  client: DynamoDBClient,
  tableName: string,
  orderId: string,
): Promise<Record<string, AttributeValue> | undefined> => {
  const key = orderViewKey(orderId);
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { pk: { S: key.pk }, sk: { S: key.sk } },
      ConsistentRead: true,
    }),
  );
  return Item;
};

/** The version of the fact of `event`'s type on its order's view, or undefined when absent. */
export const appliedFactVersion = async (
  client: DynamoDBClient,
  tableName: string,
  event: OrderEvent,
): Promise<number | undefined> => {
  const item = await storedView(client, tableName, event.aggregate_id);
  if (item === undefined) return undefined;
  return factsOfItem(item)[orderFactOf(event).attribute]?.version;
};
