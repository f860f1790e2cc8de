/**
 * Creates a table exactly as the wiring declares it (keys, stream, TTL), under a name of the
 * test's own, on moto.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable, type LocalTable } from "../../infra/local/aws/dynamodb-tables";
import { systemWiring } from "../../infra/wiring/system-wiring";

export const createDeclaredTable = async (
  client: DynamoDBClient,
  logicalName: string,
  tableName: string,
): Promise<LocalTable> => {
  const declaration = systemWiring.tables.find((table) => table.name === logicalName);
  if (declaration === undefined) throw new Error(`the wiring declares no table ${logicalName}`);
  return ensureTable(client, declaration, tableName);
};
