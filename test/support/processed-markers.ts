/** Whether a read-model consumer recorded an event as processed: its marker item exists. */
import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { processedMarkerKey } from "../../shared/read-model";

/** True when the table holds the processed marker of `eventId` (a consistent read). */
export const processedMarkerExists = async (
  client: DynamoDBClient,
  tableName: string,
  eventId: string,
): Promise<boolean> => {
  const key = processedMarkerKey(eventId);
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { pk: { S: key.pk }, sk: { S: key.sk } },
      ConsistentRead: true,
    }),
  );
  return Item !== undefined;
};
