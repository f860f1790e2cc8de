/**
 * What each order error means over HTTP: 404 for a missing order, 409 for an illegal
 * transition or a concurrent update, 422 for a reused Idempotency-Key, 503 (retry later) when
 * the table cannot take the write now.
 *
 * @example
 * ```ts
 * middy(route).use(httpProblemDetails({ classify: classifyOrderError }));
 * ```
 */
import { InvalidEventError } from "../events";
import type { ProblemClassification } from "../http/http-problem-details";
import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  IllegalTransitionError,
  OrderNotFoundError,
  VersionConflictError,
} from "./order-errors";
import { OrderStoreUnavailableError } from "./order-repository";

/** The HTTP status and title of an order error; undefined for any other error. */
export const classifyOrderError = (error: unknown): ProblemClassification | undefined => {
  if (error instanceof OrderNotFoundError) return { status: 404, title: "Order not found" };
  if (error instanceof IllegalTransitionError) return { status: 409, title: "Illegal transition" };
  if (error instanceof VersionConflictError) return { status: 409, title: "Concurrent update" };
  if (error instanceof IdempotencyKeyInProgressError) {
    return { status: 409, title: "Request in progress", headers: { "retry-after": "1" } };
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return { status: 422, title: "Idempotency-Key reused" };
  }
  if (error instanceof OrderStoreUnavailableError) {
    return { status: 503, title: "Try again", headers: { "retry-after": "1" } };
  }
  // A command whose event would break its contract: the request's fault, never a 500.
  if (error instanceof InvalidEventError) return { status: 422, title: "Unprocessable order" };
  return undefined;
};
