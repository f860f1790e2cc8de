/**
 * The `Idempotency-Key` request header and the hash that tells a replay from a misuse. How a
 * replay is answered: `docs/http-api.md`.
 *
 * @example
 * ```ts
 * const key = readIdempotencyKey(event); // undefined when absent
 * const hash = requestHash(command);     // same body -> same hash
 * ```
 */
import { createHash } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { RequestValidationError } from "./http-errors";
import { headerOf } from "./json-request-body";

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * The request's `Idempotency-Key`, if it sent one: 1 to 255 visible ASCII characters.
 *
 * @throws {RequestValidationError} when the header is present but not such a key.
 * @example
 * ```ts
 * readIdempotencyKey(event); // "3f2c9a1e-order-1", or undefined without the header
 * ```
 */
export const readIdempotencyKey = (event: APIGatewayProxyEventV2): string | undefined => {
  const key = headerOf(event, "idempotency-key");
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw new RequestValidationError([
      { field: "Idempotency-Key", message: "must be 1 to 255 visible ASCII characters" },
    ]);
  }
  return key;
};

/**
 * SHA-256 of the validated request, in its normalized form (key order as parsed), as hex.
 *
 * @example
 * ```ts
 * requestHash({ customer_id: "c-1" }) === requestHash({ customer_id: "c-1" }); // true
 * ```
 */
export const requestHash = (request: unknown): string =>
  createHash("sha256").update(JSON.stringify(request)).digest("hex");
