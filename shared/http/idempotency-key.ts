/**
 * The `Idempotency-Key` request header and the hash that tells a replay from a misuse.
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

/** SHA-256 of the validated request, in its normalized form (key order as parsed). */
export const requestHash = (request: unknown): string =>
  createHash("sha256").update(JSON.stringify(request)).digest("hex");
