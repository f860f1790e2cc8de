/**
 * The shapes the orders API answers with, as zod schemas named for the API specification:
 * the order (its statuses from the command registry), the read model's order view (its
 * statuses from the projection registry) and customer stats (one counter per projection),
 * RFC 9457 problem details, and the `{message}` API Gateway answers with on its own. Also the
 * problems every route shares, so each route lists only its own. A new command or projection
 * changes these shapes with no edit here.
 *
 * @example
 * ```ts
 * const route = {
 *   responses: {
 *     success: { status: 200, description: "The order's new state", body: orderResponse },
 *     problems: { ...bodyProblems, 404: "Order not found", ...serviceProblems },
 *   },
 * };
 * ```
 */
import * as z from "zod/mini";
import { currencySchema, isoUtcTimestamp, moneySchema } from "../events";
import { problemDetailsSchema } from "../http/problem-details";
import { orderTransitions, placeOrder } from "../orders/commands";
import { projectionList } from "../read-model/projections";
import type { NamedSchema } from "./order-api-route";

/** A decimal string that may be negative, as a lifetime value can be for a moment. */
const signedMoney = z.string().check(z.regex(/^-?\d+(\.\d+)?$/));

const orderStatuses = [placeOrder.to, ...Object.values(orderTransitions).map(({ to }) => to)];

/** An order's write-side state; once set, the fields its transitions set (all text). */
export const orderResponse: NamedSchema = {
  name: "Order",
  schema: z
    .catchall(
      z.object({
        order_id: z.uuid(),
        customer_id: z.string(),
        status: z.enum(orderStatuses),
        version: z.int().check(z.gte(1)),
        items: z.array(
          z.object({ sku: z.string(), quantity: z.int().check(z.gte(1)), unit_price: moneySchema }),
        ),
        total: moneySchema,
        currency: currencySchema,
        created_at: isoUtcTimestamp,
        updated_at: isoUtcTimestamp,
      }),
      z.string(),
    )
    .check(
      z.describe(
        "The order as stored; once set, the fields its transitions set (carrier, shipped_at, cancel_reason, ...)",
      ),
    ),
};

const viewStatuses = projectionList.map(({ status }) => status);

/** An order as the read model's consumers have seen it; fields no applied event knows are left out. */
export const orderViewResponse: NamedSchema = {
  name: "OrderView",
  schema: z
    .catchall(
      z.object({
        order_id: z.string(),
        status: z.enum(viewStatuses),
        version: z.int().check(z.gte(1)),
        customer_id: z.string(),
      }),
      z.unknown(),
    )
    .check(z.describe("The order's view: its core, and the fields the applied events provide")),
};

/** A customer's stats: one count per projection's counter, the lifetime value per currency. */
export const customerStatsResponse: NamedSchema = {
  name: "CustomerStats",
  schema: z.object({
    customer_id: z.string(),
    ...Object.fromEntries(projectionList.map(({ counter }) => [counter, z.int().check(z.gte(0))])),
    lifetime_value: z
      .record(z.string(), signedMoney)
      .check(z.describe("Decimal strings by ISO 4217 code, never added across currencies")),
  }),
};

/** The body of every error the function answers with (`application/problem+json`). */
export const problemDetailsResponse: NamedSchema = {
  name: "ProblemDetails",
  schema: problemDetailsSchema,
};

/** What API Gateway (and the local HTTP API) answers with on its own (`application/json`). */
export const apiGatewayMessageResponse: NamedSchema = {
  name: "ApiGatewayMessage",
  schema: z.object({ message: z.string() }),
};

/**
 * What API Gateway answers on its own for a declared route, whatever the function: above its
 * payload limit, when the function fails, when it times out (the body is
 * {@link apiGatewayMessageResponse}).
 */
export const apiGatewayAnswers: Readonly<Record<number, string>> = {
  413: "Above API Gateway's 10 MB payload limit",
  500: "The function failed",
  503: "The function timed out",
};

/** The problems of a route that reads a JSON body, in the order they are checked. */
export const bodyProblems: Readonly<Record<number, string>> = {
  400: "Invalid request (each invalid field in `errors`) or Malformed JSON body",
  413: "Payload too large: the body is above 64 KiB",
  415: "Unsupported media type: the body is not sent as JSON",
};

/** The problems any route may answer with. */
export const serviceProblems: Readonly<Record<number, string>> = {
  500: "Internal server error: our fault; the detail names only the request id",
  503: "Try again (a table could not take the request now) or Service unavailable (out of time); Retry-After: 1",
};
