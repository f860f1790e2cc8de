/**
 * Creates the tables the wiring declares, on moto or any DynamoDB endpoint: keys, stream and
 * TTL as in CDK. Idempotent: an existing table is left as it is.
 *
 * @example
 * ```ts
 * const { streamArn } = await ensureTable(client, ordersDeclaration, "orders");
 * ```
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import type { TableDeclaration } from "../../wiring/types";

export interface LocalTable {
  readonly tableName: string;
  readonly streamArn?: string;
}

export const ensureTable = async (
  client: DynamoDBClient,
  declaration: TableDeclaration,
  tableName: string,
): Promise<LocalTable> => {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: declaration.partitionKey, AttributeType: "S" },
          { AttributeName: declaration.sortKey, AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: declaration.partitionKey, KeyType: "HASH" },
          { AttributeName: declaration.sortKey, KeyType: "RANGE" },
        ],
        ...(declaration.stream === undefined
          ? {}
          : { StreamSpecification: { StreamEnabled: true, StreamViewType: declaration.stream } }),
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { Enabled: true, AttributeName: declaration.timeToLiveAttribute },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  return { tableName, streamArn: described.Table?.LatestStreamArn };
};
