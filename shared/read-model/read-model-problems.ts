/**
 * What each read-model error means over HTTP: 404 while no event of the order or customer
 * has been applied, 503 (retry later) when the table cannot answer now.
 *
 * @example
 * ```ts
 * middy(route).use(httpProblemDetails({ classify: (error) => classifyReadModelError(error) ?? classifyOrderError(error) }));
 * ```
 */
import type { ProblemClassification } from "../http/http-problem-details";
import {
  CustomerStatsNotFoundError,
  OrderViewNotFoundError,
  ReadModelUnavailableError,
} from "./read-model-errors";

/**
 * The HTTP status of a read-model error: 404 for nothing there yet, 503 when the table
 * cannot answer; undefined for any other error.
 *
 * @example
 * ```ts
 * httpProblemDetails({ classify: (error) => classifyOrderError(error) ?? classifyReadModelError(error) });
 * ```
 */
export const classifyReadModelError = (error: unknown): ProblemClassification | undefined => {
  if (error instanceof OrderViewNotFoundError)
    return { status: 404, title: "Order view not found" };
  if (error instanceof CustomerStatsNotFoundError) {
    return { status: 404, title: "Customer stats not found" };
  }
  if (error instanceof ReadModelUnavailableError) {
    return { status: 503, title: "Try again", headers: { "retry-after": "1" } };
  }
  return undefined;
};
