/**
 * What can go wrong with an order command, as types. The HTTP edge maps each to a status;
 * none of them is worth a retry.
 *
 * @example
 * ```ts
 * if (error instanceof IllegalTransitionError) error.currentStatus; // "SHIPPED"
 * ```
 */
import { PermanentError } from "../errors";

/** A business rule forbids this transition from the order's current status. */
export class IllegalTransitionError extends PermanentError {
  override readonly name = "IllegalTransitionError";

  /**
   * @param attempted - the command's name, e.g. "ship"
   * @param refusal - how the refusal reads after "cannot", e.g. "be shipped"
   */
  constructor(
    readonly orderId: string,
    readonly currentStatus: string,
    readonly attempted: string,
    refusal: string,
  ) {
    super(`Order ${orderId} is ${currentStatus} and cannot ${refusal}`);
  }
}

/** No order has this id. */
export class OrderNotFoundError extends PermanentError {
  override readonly name = "OrderNotFoundError";

  constructor(readonly orderId: string) {
    super(`Order ${orderId} does not exist`);
  }
}

/** Someone else changed the order between our read and our write. */
export class VersionConflictError extends PermanentError {
  override readonly name = "VersionConflictError";

  constructor(
    readonly orderId: string,
    readonly expectedVersion: number,
  ) {
    super(`Order ${orderId} changed concurrently: it is no longer at version ${expectedVersion}`);
  }
}

/** An Idempotency-Key was used before with a different request. */
export class IdempotencyKeyReusedError extends PermanentError {
  override readonly name = "IdempotencyKeyReusedError";

  constructor(readonly idempotencyKey: string) {
    super(`Idempotency-Key "${idempotencyKey}" was already used with a different request`);
  }
}

/** A request with this Idempotency-Key is still being processed; its answer is not known yet. */
export class IdempotencyKeyInProgressError extends PermanentError {
  override readonly name = "IdempotencyKeyInProgressError";

  constructor(readonly idempotencyKey: string) {
    super(`A request with Idempotency-Key "${idempotencyKey}" is in progress; retry shortly`);
  }
}
