/**
 * Errors that are the client's mistake, each with its HTTP status. They become RFC 9457
 * problem details at the edge; none of them ever turns into a 500.
 *
 * @example
 * ```ts
 * throw new RequestValidationError([{ field: "items.0.quantity", message: "must be above 0" }]);
 * ```
 */

export interface FieldIssue {
  /** Dotted path into the request body, e.g. "items.0.quantity". */
  readonly field: string;
  readonly message: string;
}

export abstract class HttpError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
}

export class RequestValidationError extends HttpError {
  override readonly name = "RequestValidationError";
  readonly status = 400;
  readonly title = "Invalid request";

  constructor(readonly issues: readonly FieldIssue[]) {
    super(issues.map((issue) => `${issue.field}: ${issue.message}`).join("; "));
  }
}

export class MalformedJsonError extends HttpError {
  override readonly name = "MalformedJsonError";
  readonly status = 400;
  readonly title = "Malformed JSON body";
}

export class RouteNotFoundError extends HttpError {
  override readonly name = "RouteNotFoundError";
  readonly status = 404;
  readonly title = "Not found";
}

export class PayloadTooLargeError extends HttpError {
  override readonly name = "PayloadTooLargeError";
  readonly status = 413;
  readonly title = "Payload too large";
}

export class UnsupportedMediaTypeError extends HttpError {
  override readonly name = "UnsupportedMediaTypeError";
  readonly status = 415;
  readonly title = "Unsupported media type";
}
