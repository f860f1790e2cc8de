/**
 * What the demo reads back over HTTP: the orders API's answer to a command, an order's view
 * (`GET /orders/{id}/view`) and a customer's stats (`GET /customers/{id}/stats`). Only the
 * fields the demo checks are required; the read model may carry more.
 *
 * @example
 * ```ts
 * const view = orderViewSchema.parse(await response.json());
 * view.status; // "SHIPPED"
 * ```
 */
import { z } from "zod";

/** The order as the orders API answers a command: its state after that command. */
export const apiOrderSchema = z.looseObject({
  order_id: z.string().min(1),
  customer_id: z.string().min(1),
  status: z.string().min(1),
  version: z.number().int().positive(),
  total: z.string(),
  currency: z.string(),
});

export type ApiOrder = z.output<typeof apiOrderSchema>;

/** `total` and `currency` come with OrderCreated and OrderCancelled: absent until one arrives. */
export const orderViewSchema = z.looseObject({
  order_id: z.string().min(1),
  status: z.string().min(1),
  version: z.number().int().positive(),
  customer_id: z.string(),
  total: z.string().optional(),
  currency: z.string().optional(),
});

export type OrderView = z.output<typeof orderViewSchema>;

export const customerStatsSchema = z.looseObject({
  customer_id: z.string().min(1),
  orders_placed: z.number().int().nonnegative(),
  orders_shipped: z.number().int().nonnegative(),
  orders_cancelled: z.number().int().nonnegative(),
  lifetime_value: z.record(z.string(), z.string()),
});

export type CustomerStats = z.output<typeof customerStatsSchema>;
