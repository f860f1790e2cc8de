/**
 * A JSON response in API Gateway HTTP API (payload 2.0) form.
 *
 * @example
 * ```ts
 * return jsonResponse(201, order, { location: `/orders/${order.order_id}` });
 * ```
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});
