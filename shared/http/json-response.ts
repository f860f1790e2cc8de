/**
 * A JSON response in API Gateway HTTP API (payload 2.0) form.
 *
 * @example
 * ```ts
 * return jsonResponse(201, order, { location: `/orders/${order.order_id}` });
 * ```
 */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/**
 * A response with `body` as JSON, `content-type: application/json`, and any extra headers.
 *
 * @example
 * ```ts
 * jsonResponse(200, { order_id: "o-1" }); // { statusCode: 200, headers: {...}, body: '{"order_id":"o-1"}' }
 * ```
 */
export const jsonResponse = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});
