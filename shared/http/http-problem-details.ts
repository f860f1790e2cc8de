/**
 * middy middleware that turns any error into an RFC 9457 problem-details response: client
 * mistakes ({@link HttpError}, or what `classify` recognises) get their 4xx status; anything
 * else is logged and answered with a 500 that reveals nothing. Every response, success or
 * error, carries the request id in `x-request-id`. The error responses: `docs/http-api.md`.
 *
 * @example
 * ```ts
 * export const handler = middy(route).use(httpProblemDetails({ classify: orderProblem, logger }));
 * ```
 */
import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { HttpError, RequestValidationError } from "./http-errors";
import { problemResponse } from "./problem-details";

/** The response header that carries API Gateway's request id, on every response. */
export const REQUEST_ID_HEADER = "x-request-id";

/** What a known error means over HTTP. */
export interface ProblemClassification {
  readonly status: number;
  readonly title: string;
  /** Added to the response, e.g. `retry-after`. */
  readonly headers?: Record<string, string>;
}

/** How {@link httpProblemDetails} recognises domain errors and where it logs the others. */
export interface HttpProblemDetailsOptions {
  /** Maps domain errors to statuses; `undefined` means "not a client error". */
  readonly classify?: (error: unknown) => ProblemClassification | undefined;
  /** Logs every error answered with a 5xx; nothing is logged without it. */
  readonly logger?: { error(message: string, ...extra: unknown[]): void };
}

type Result = APIGatewayProxyStructuredResultV2;

/** middy gives up just before Lambda's timeout with a `TimeoutError`: ours, not the client's. */
const isInvocationTimeout = (error: unknown): boolean =>
  error instanceof Error && error.name === "TimeoutError";

const INVOCATION_TIMEOUT: ProblemClassification = {
  status: 503,
  title: "Service unavailable",
  headers: { "retry-after": "1" },
};

const requestIdOf = (event: APIGatewayProxyEventV2): string =>
  event.requestContext?.requestId ?? "unknown";

/** What `error` means over HTTP; `undefined` for an error of ours, answered with a 500. */
const classificationOf = (
  error: Error | null | undefined,
  options: HttpProblemDetailsOptions,
): ProblemClassification | undefined =>
  error instanceof HttpError
    ? { status: error.status, title: error.title }
    : isInvocationTimeout(error)
      ? INVOCATION_TIMEOUT
      : options.classify?.(error);

/**
 * The middleware that answers every error as problem details and stamps `x-request-id`.
 *
 * @example
 * ```ts
 * export const handler = middy(route).use(httpProblemDetails({ classify: orderProblem, logger }));
 * // a thrown RouteNotFoundError answers 404, application/problem+json:
 * // { "type": "about:blank", "title": "Not found", "status": 404, "detail": "...", "request_id": "..." }
 * ```
 */
export const httpProblemDetails = (
  options: HttpProblemDetailsOptions = {},
): MiddlewareObj<APIGatewayProxyEventV2, Result> => {
  return {
    name: "httpProblemDetails",
    after: (request) => {
      const response = request.response;
      if (response === null || response === undefined) return;
      request.response = {
        ...response,
        headers: { ...response.headers, [REQUEST_ID_HEADER]: requestIdOf(request.event) },
      };
    },
    onError: (request) => {
      const { error, event } = request;
      const requestId = requestIdOf(event);
      const known = classificationOf(error, options);
      const instance = event.rawPath;
      if (known === undefined || known.status >= 500) {
        options.logger?.error("Request failed", error);
      }
      const response = problemResponse({
        status: known?.status ?? 500,
        title: known?.title ?? "Internal server error",
        detail:
          known === undefined
            ? `Something went wrong on our side; quote request id ${requestId}`
            : (error?.message ?? ""),
        requestId,
        instance,
        errors: error instanceof RequestValidationError ? error.issues : undefined,
        headers: { ...known?.headers, [REQUEST_ID_HEADER]: requestId },
      });
      request.response = response;
    },
  };
};
