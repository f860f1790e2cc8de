/**
 * Errors that are the client's mistake, each with its HTTP status. They become RFC 9457
 * problem details at the edge; none of them ever turns into a 500. The statuses each route
 * answers with: `docs/http-api.md`.
 *
 * @example
 * ```ts
 * throw new RequestValidationError([{ field: "items.0.quantity", message: "must be above 0" }]);
 * ```
 */

/** One invalid field of a request, as listed in a 400's `errors`. */
export interface FieldIssue {
  /** Dotted path into the request body, e.g. "items.0.quantity". */
  readonly field: string;
  /** What is wrong with it, e.g. "must be above 0". */
  readonly message: string;
}

/**
 * A client's mistake with its HTTP status and problem title; `httpProblemDetails` answers it
 * with that status and the error's message as the detail.
 *
 * @example
 * ```ts
 * class GoneError extends HttpError {
 *   override readonly name = "GoneError";
 *   readonly status = 410;
 *   readonly title = "Gone";
 * }
 * ```
 */
export abstract class HttpError extends Error {
  /** The 4xx status to answer with. */
  abstract readonly status: number;
  /** The problem's `title`: the same for every error of the class. */
  abstract readonly title: string;
}

/** 400: the body or a header has invalid fields, each listed in the problem's `errors`. */
export class RequestValidationError extends HttpError {
  override readonly name = "RequestValidationError";
  readonly status = 400;
  readonly title = "Invalid request";

  constructor(readonly issues: readonly FieldIssue[]) {
    super(issues.map((issue) => `${issue.field}: ${issue.message}`).join("; "));
  }
}

/** 400: the body is not JSON at all. */
export class MalformedJsonError extends HttpError {
  override readonly name = "MalformedJsonError";
  readonly status = 400;
  readonly title = "Malformed JSON body";
}

/** 404: no route matches the method and path. */
export class RouteNotFoundError extends HttpError {
  override readonly name = "RouteNotFoundError";
  readonly status = 404;
  readonly title = "Not found";
}

/** 413: the body is above the route's size limit. */
export class PayloadTooLargeError extends HttpError {
  override readonly name = "PayloadTooLargeError";
  readonly status = 413;
  readonly title = "Payload too large";
}

/** 415: the body is not sent as JSON (`application/json` or `+json`). */
export class UnsupportedMediaTypeError extends HttpError {
  override readonly name = "UnsupportedMediaTypeError";
  readonly status = 415;
  readonly title = "Unsupported media type";
}
