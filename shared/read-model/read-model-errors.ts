/**
 * What can go wrong with the read model, as types: the table cannot take a write or a read
 * now (transient: retried, never dead-lettered), it refuses an event's write for good
 * (permanent: the event is dead-lettered), or there is nothing to read yet (404).
 *
 * @example
 * ```ts
 * if (error instanceof OrderViewNotFoundError) return 404;
 * ```
 */
import { PermanentError, TransientError } from "../errors";

/** Throttling, a conflicting transaction, a timeout, a missing table: may work later. */
export class ReadModelUnavailableError extends TransientError {
  override readonly name = "ReadModelUnavailableError";
}

/** DynamoDB refused the event's items themselves (e.g. too large): no retry can help. */
export class ReadModelRejectedError extends PermanentError {
  override readonly name = "ReadModelRejectedError";
}

/** No event of this order has arrived yet (or no order has this id). */
export class OrderViewNotFoundError extends Error {
  override readonly name = "OrderViewNotFoundError";

  constructor(readonly orderId: string) {
    super(`No event of order ${orderId} has been applied to the read model yet`);
  }
}

/** No event of this customer has arrived yet. */
export class CustomerStatsNotFoundError extends Error {
  override readonly name = "CustomerStatsNotFoundError";

  constructor(readonly customerId: string) {
    super(`No event of customer ${customerId} has been applied to the read model yet`);
  }
}
