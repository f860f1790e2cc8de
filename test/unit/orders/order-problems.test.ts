import { describe, expect, it } from "vitest";
import { InvalidEventError } from "../../../shared/events";
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
    [new IllegalTransitionError("o-1", "SHIPPED", "cancel", "be cancelled"), 409],
    [new VersionConflictError("o-1", 1), 409],
    [new IdempotencyKeyReusedError("k"), 422],
    [new IdempotencyKeyInProgressError("k"), 409],
    [new OrderStoreUnavailableError("throttled"), 503],
    [new InvalidEventError(["data.total: too large"]), 422],
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

describe("order requests", () => {
  it("refuse items whose total no order may carry, naming items", async () => {
    // Prepare
    const { placeOrderRequestSchema } = await import("../../../shared/orders/commands");

    // Act
    const parsed = placeOrderRequestSchema.safeParse({
      customer_id: "c",
      currency: "EUR",
      items: [
        { sku: "A", quantity: 1_000_000, unit_price: "999999999999999" },
        { sku: "B", quantity: 1_000_001, unit_price: "1.00" },
      ],
    });

    // Assess
    expect(parsed.success).toBe(false);
    const paths = parsed.error?.issues.map((issue) => issue.path.join(".")) ?? [];
    expect(paths).toContain("items.1.quantity");
    expect(paths).toContain("items");
  });
});
