/**
 * RFC 9457 problem details: the body of every error response (`docs/http-api.md`).
 *
 * @example
 * ```ts
 * return problemResponse({ status: 404, title: "Not found", detail: "Order o-1 does not exist",
 *   instance: "/orders/o-1", requestId });
 * ```
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import * as z from "zod/mini";
import type { FieldIssue } from "./http-errors";

/** The content type of every error response. */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The JSON body of an error response. */
export interface ProblemDetails {
  /** Always "about:blank": the status and title say what happened. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  /** What went wrong with this request, for a person to read. */
  readonly detail: string;
  /** The request's path. */
  readonly instance?: string;
  /** API Gateway's request id, also in the `x-request-id` header. */
  readonly request_id: string;
  /** One entry per invalid field, for 400s. */
  readonly errors?: readonly FieldIssue[];
}

/**
 * {@link ProblemDetails} as a schema: what the API specification says every error body is.
 *
 * @example
 * ```ts
 * problemDetailsSchema.safeParse(JSON.parse(response.body)).success; // true for any error response
 * ```
 */
export const problemDetailsSchema = z.object({
  type: z
    .string()
    .check(z.describe('Always "about:blank": the status and title say what happened')),
  title: z.string(),
  status: z.int().check(z.gte(400), z.lte(599)),
  detail: z.string().check(z.describe("What went wrong with this request, for a person to read")),
  instance: z.optional(z.string()).check(z.describe("The request's path")),
  request_id: z
    .string()
    .check(z.describe("API Gateway's request id, also in the x-request-id header")),
  errors: z
    .optional(z.array(z.object({ field: z.string(), message: z.string() })))
    .check(z.describe("One entry per invalid field (a dotted path into the body), for 400s")),
}) satisfies z.core.$ZodType<ProblemDetails>;

/**
 * An error response: the problem details as `application/problem+json`, with its status.
 *
 * @example
 * ```ts
 * problemResponse({ status: 409, title: "Conflict", detail: "Order o-1 is shipped", requestId });
 * ```
 */
export const problemResponse = (problem: {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly requestId: string;
  readonly instance?: string;
  readonly errors?: readonly FieldIssue[];
  readonly headers?: Record<string, string>;
}): APIGatewayProxyStructuredResultV2 => {
  const body: ProblemDetails = {
    type: "about:blank",
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    request_id: problem.requestId,
    ...(problem.instance === undefined ? {} : { instance: problem.instance }),
    ...(problem.errors === undefined ? {} : { errors: problem.errors }),
  };
  return {
    statusCode: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...problem.headers },
    body: JSON.stringify(body),
  };
};
