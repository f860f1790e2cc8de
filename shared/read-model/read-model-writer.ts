/**
 * Applies order events to the read model exactly once: each event's effect and its processed
 * marker commit in one transaction (see `orderEventTransaction`). A transaction cancelled by
 * the marker's condition means the event was applied before: `duplicate`, nothing changed.
 * Conflicting transactions, throttling, timeouts and a missing table are
 * {@link ReadModelUnavailableError} (retried); DynamoDB refusing the items themselves is
 * {@link ReadModelRejectedError} (dead-lettered).
 *
 * @example
 * ```ts
 * const readModel = createReadModelWriter({ client, tableName, markerTtlSeconds: 8 * 86_400 });
 * await readModel.apply(event); // "applied" | "duplicate"
 * ```
 */
import {
  type DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import type { OrderEvent } from "../orders/order-events";
import {
  MARKER_ITEM_INDEX,
  orderEventTransaction,
  VIEW_ITEM_INDEX,
} from "./order-event-transaction";
import { ReadModelRejectedError, ReadModelUnavailableError } from "./read-model-errors";

/** Where the writer applies events, and how long markers live. */
export interface ReadModelWriterOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly markerTtlSeconds: number;
  readonly now?: () => Date;
}

/** Applies order events exactly once per `event_id`. */
export interface ReadModelWriter {
  apply(event: OrderEvent): Promise<"applied" | "duplicate">;
}

/** `duplicate` for a transaction stopped by the marker; otherwise the typed error to throw. */
const classifyCancellation = (
  error: TransactionCanceledException,
  event: OrderEvent,
): "duplicate" | Error => {
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? "None");
  // Either guard says the event was applied before: by its event_id, or by its fact.
  if (codes[MARKER_ITEM_INDEX] === "ConditionalCheckFailed") return "duplicate";
  if (codes[VIEW_ITEM_INDEX] === "ConditionalCheckFailed") return "duplicate";
  const message = `Applying ${event.event_type} ${event.event_id} was cancelled (${codes.join(", ")})`;
  return codes.includes("ValidationError")
    ? new ReadModelRejectedError(message, { cause: error })
    : new ReadModelUnavailableError(message, { cause: error });
};

/** The writer over one read-model table. */
export const createReadModelWriter = (options: ReadModelWriterOptions): ReadModelWriter => {
  const now = options.now ?? (() => new Date());
  return {
    async apply(event) {
      const items = orderEventTransaction(event, {
        tableName: options.tableName,
        processedAt: now(),
        markerTtlSeconds: options.markerTtlSeconds,
      });
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
    },
  };
};
