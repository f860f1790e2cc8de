/**
 * The DynamoDB client of the read-model functions. The SDK waits for a response without limit
 * by default; a consumer has a time budget, so connecting and each request are bounded and a
 * hung request fails (transient, retried) while the batch still has time to answer Lambda.
 * The SDK makes one attempt: the consumer retries with its own backoff, which knows the
 * invocation's remaining time (the SDK's three attempts could outlast the time margin).
 *
 * @example
 * ```ts
 * const client = readModelClient(); // honours AWS_ENDPOINT_URL, AWS_REGION like every SDK client
 * ```
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** How long connecting to DynamoDB may take before the attempt fails (and is retried). */
export const READ_MODEL_CONNECTION_TIMEOUT_MS = 2_000;
/** How long one DynamoDB request may take. */
export const READ_MODEL_REQUEST_TIMEOUT_MS = 5_000;

/**
 * The DynamoDB client a consumer applies events with: one SDK attempt per call, bounded by
 * the timeouts above, so retries stay the consumer's own (within its time budget).
 *
 * @example
 * ```ts
 * const writer = createReadModelWriter({ client: readModelClient(), tableName });
 * ```
 */
export const readModelClient = (): DynamoDBClient =>
  new DynamoDBClient({
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: READ_MODEL_CONNECTION_TIMEOUT_MS,
      requestTimeout: READ_MODEL_REQUEST_TIMEOUT_MS,
    },
  });
