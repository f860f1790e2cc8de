/**
 * The bench's yardstick for bundle size and cold start: about the smallest useful Lambda
 * handler on this stack, Powertools Logger plus one DynamoDB DocumentClient `PutCommand`.
 * `bundle-bench.ts` bundles it with the functions' own esbuild options and starts it beside
 * them; it is never deployed.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";

const logger = new Logger({ serviceName: "peer" });
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** Puts one item named by the event and logs that it did. */
export const handler = async (event: { readonly id: string }): Promise<{ readonly id: string }> => {
  await documents.send(
    new PutCommand({ TableName: process.env.TABLE_NAME, Item: { pk: event.id, sk: "peer" } }),
  );
  logger.info("Put", { id: event.id });
  return { id: event.id };
};
