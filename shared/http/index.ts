/**
 * The HTTP edge of the API functions (API Gateway HTTP API, payload 2.0): JSON bodies in and
 * out, the `Idempotency-Key` header, and RFC 9457 problem details for every error, through
 * one middy middleware. The API itself: `docs/http-api.md`.
 *
 * @example
 * ```ts
 * const route = async (event: APIGatewayProxyEventV2) => {
 *   const command = readJsonBody(event, placeOrderSchema);
 *   return jsonResponse(201, await placeOrder(command, readIdempotencyKey(event)));
 * };
 * export const handler = middy(route).use(httpProblemDetails({ classify: classifyOrderError, logger }));
 * ```
 */
export {
  type FieldIssue,
  HttpError,
  MalformedJsonError,
  PayloadTooLargeError,
  RequestValidationError,
  RouteNotFoundError,
  UnsupportedMediaTypeError,
} from "./http-errors";
export {
  type HttpProblemDetailsOptions,
  httpProblemDetails,
  type ProblemClassification,
  REQUEST_ID_HEADER,
} from "./http-problem-details";
export { readIdempotencyKey, requestHash } from "./idempotency-key";
export { DEFAULT_MAX_BODY_BYTES, headerOf, readJsonBody } from "./json-request-body";
export { jsonResponse } from "./json-response";
export {
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  problemDetailsSchema,
  problemResponse,
} from "./problem-details";
