/**
 * Reads an API Gateway HTTP API (payload 2.0) request body as JSON and validates it with a
 * zod schema: 415 for a non-JSON content type, 413 above the size limit, 400 for malformed
 * JSON or invalid fields (one message per field). See `docs/http-api.md`.
 *
 * @example
 * ```ts
 * const command = readJsonBody(event, shipOrderSchema, { maxBytes: 64 * 1024 });
 * ```
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import * as z from "zod/mini";
import "../config/zod-messages";
import {
  MalformedJsonError,
  PayloadTooLargeError,
  RequestValidationError,
  UnsupportedMediaTypeError,
} from "./http-errors";

/** The body size limit, in bytes, when a route sets none. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const isJsonContentType = (contentType: string | undefined): boolean => {
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  return mediaType === "application/json" || (mediaType?.endsWith("+json") ?? false);
};

/**
 * A request header's value by its lower-case name, whatever case the client sent it in.
 *
 * @example
 * ```ts
 * headerOf(event, "content-type"); // "application/json; charset=utf-8"
 * ```
 */
export const headerOf = (event: APIGatewayProxyEventV2, name: string): string | undefined =>
  Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

/**
 * The request body, parsed as JSON and validated by `schema`: the schema's output.
 *
 * @throws {PayloadTooLargeError} for a body above `options.maxBytes`, by default
 * {@link DEFAULT_MAX_BODY_BYTES} (413).
 * @throws {UnsupportedMediaTypeError} for a content type other than JSON (415).
 * @throws {MalformedJsonError} for a body that is not JSON (400).
 * @throws {RequestValidationError} for invalid fields, one issue each (400).
 * @example
 * ```ts
 * const command = readJsonBody(event, shipOrderSchema); // z.output<typeof shipOrderSchema>
 * ```
 */
export const readJsonBody = <S extends z.core.$ZodType>(
  event: APIGatewayProxyEventV2,
  schema: S,
  options: { readonly maxBytes?: number } = {},
): z.output<S> => {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const raw = event.body ?? "";
  const bytes = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  if (bytes.length > maxBytes) {
    throw new PayloadTooLargeError(`The body is ${bytes.length} bytes; the limit is ${maxBytes}`);
  }
  if (!isJsonContentType(headerOf(event, "content-type"))) {
    throw new UnsupportedMediaTypeError("Send the body as application/json");
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new MalformedJsonError(`The body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = z.safeParse(schema, value);
  if (!parsed.success) {
    throw new RequestValidationError(
      parsed.error.issues.map((issue) => ({
        field: issue.path.join(".") || "(body)",
        message: issue.message,
      })),
    );
  }
  return parsed.data;
};
