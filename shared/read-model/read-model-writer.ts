/**
 * Applies order events to the read model exactly once: each event's view fact and stats
 * additions commit in one transaction (see `orderEventTransaction`). A transaction cancelled
 * by the view's condition means the event was applied before: `duplicate`, nothing changed.
 * Conflicting transactions, throttling, timeouts and a missing table are
 * {@link ReadModelUnavailableError} (retried); DynamoDB refusing the items themselves is
 * {@link ReadModelRejectedError} (dead-lettered).
 *
 * Every event's transaction updates its customer's stats item, and DynamoDB cancels a
 * transaction that meets another in progress on one of its items (`TransactionConflict`).
 * A burst of one customer's events in one batch, run concurrently under different order
 * keys, would conflict with itself and exhaust its retries; so the writer applies one
 * customer's events one after another (`keyedTurns`), other customers' at once. Two
 * execution environments on one customer can still conflict: that stays transient, retried
 * by the consumer with backoff, then left for Lambda. An event waits for its turn at most
 * `maxTurnWaitMs` (then fails as transient too), so a hung request cannot hold the line
 * past the invocation's time budget.
 *
 * @example
 * ```ts
 * const readModel = createReadModelWriter({ client, tableName });
 * await readModel.apply(event); // "applied" | "duplicate"
 * ```
 */
import {
  type DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import type { OrderEvent } from "../orders/order-events";
import { statsChangeOf } from "./customer-stats";
import { keyedTurns } from "./keyed-turns";
import { orderEventTransaction, VIEW_ITEM_INDEX } from "./order-event-transaction";
import { READ_MODEL_REQUEST_TIMEOUT_MS } from "./read-model-client";
import { ReadModelRejectedError, ReadModelUnavailableError } from "./read-model-errors";

/** Where the writer applies events. */
export interface ReadModelWriterOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /**
   * How long an event waits for its customer's earlier events before it fails as transient;
   * by default as long as one DynamoDB request may take.
   */
  readonly maxTurnWaitMs?: number;
}

/** Applies each order event once, however many copies of it arrive. */
export interface ReadModelWriter {
  apply(event: OrderEvent): Promise<"applied" | "duplicate">;
}

/** `duplicate` for a transaction stopped by the view's fact; otherwise the error to throw. */
const classifyCancellation = (
  error: TransactionCanceledException,
  event: OrderEvent,
): "duplicate" | Error => {
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? "None");
  // The view holds this event's fact (or a later one of its type): applied before.
  if (codes[VIEW_ITEM_INDEX] === "ConditionalCheckFailed") return "duplicate";
  const message = `Applying ${event.event_type} ${event.event_id} was cancelled (${codes.join(", ")})`;
  return codes.includes("ValidationError")
    ? new ReadModelRejectedError(message, { cause: error })
    : new ReadModelUnavailableError(message, { cause: error });
};

/** Applies one event's transaction, and tells what came of it. */
const applyOnce = async (
  event: OrderEvent,
  options: ReadModelWriterOptions,
): Promise<"applied" | "duplicate"> => {
  const items = orderEventTransaction(event, { tableName: options.tableName });
  try {
    await options.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
    return "applied";
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) {
      const cause = error instanceof Error ? error.name : String(error);
      throw new ReadModelUnavailableError(
        `Applying ${event.event_type} ${event.event_id} failed (${cause})`,
        { cause: error },
      );
    }
    const outcome = classifyCancellation(error, event);
    if (outcome === "duplicate") return outcome;
    throw outcome;
  }
};

/** The writer over one read-model table. */
export const createReadModelWriter = (options: ReadModelWriterOptions): ReadModelWriter => {
  const maxWaitMs = options.maxTurnWaitMs ?? READ_MODEL_REQUEST_TIMEOUT_MS;
  // One line per customer: their stats item takes one transaction at a time.
  const turns = keyedTurns({
    maxWaitMs,
    timeoutError: (customerId) =>
      new ReadModelUnavailableError(
        `Customer ${customerId}'s earlier events were still being applied after ${maxWaitMs} ms`,
      ),
  });
  return {
    apply: (event) => turns.run(statsChangeOf(event).customerId, () => applyOnce(event, options)),
  };
};
