import { describe, expect, it } from "vitest";
import {
  RequestValidationError,
  UnsupportedMediaTypeError,
} from "../../../shared/http/http-errors";
import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  IllegalTransitionError,
  OrderNotFoundError,
  VersionConflictError,
} from "../../../shared/orders/order-errors";
import { classifyOrderError } from "../../../shared/orders/order-problems";
import { OrderStoreUnavailableError } from "../../../shared/orders/order-repository";

describe("classifyOrderError", () => {
  it.each([
    [new OrderNotFoundError("o-1"), 404],
    [new IllegalTransitionError("o-1", "SHIPPED", "cancel"), 409],
    [new VersionConflictError("o-1", 1), 409],
    [new IdempotencyKeyReusedError("k"), 422],
    [new IdempotencyKeyInProgressError("k"), 409],
    [new OrderStoreUnavailableError("throttled"), 503],
  ])("maps %s to %i", (error, status) => {
    // Act
    const classification = classifyOrderError(error);

    // Assess
    expect(classification?.status).toBe(status);
  });

  it("asks the client to retry a 503 after a second", () => {
    // Act & Assess
    expect(classifyOrderError(new OrderStoreUnavailableError("x"))?.headers).toEqual({
      "retry-after": "1",
    });
  });

  it.each([
    new Error("bug"),
    new TypeError("x"),
    "a string",
    new RequestValidationError([]),
    new UnsupportedMediaTypeError("x"),
  ])("leaves %s to the HTTP layer or to a 500", (error) => {
    // Act & Assess
    expect(classifyOrderError(error)).toBeUndefined();
  });
});
