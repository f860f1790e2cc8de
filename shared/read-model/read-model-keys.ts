/**
 * The items of the read-model table (wiring: `order-read-model`, keys `pk`/`sk`, TTL
 * `expires_at`): one view item per order and one stats item per customer. Neither expires; an
 * event's effect happens at most once by its fact on the view (see `order-event-transaction`).
 *
 * @example
 * ```ts
 * orderViewKey("ord-1");      // { pk: "ORDER#ord-1", sk: "VIEW" }
 * ```
 */

/** Attribute names the table declares: its keys and its time-to-live attribute. */
export const READ_MODEL_ATTRIBUTE = {
  partitionKey: "pk",
  sortKey: "sk",
  expiresAt: "expires_at",
} as const;

/** The primary key of a read-model item. */
export interface ReadModelKey {
  readonly pk: string;
  readonly sk: string;
}

/** The key of an order's view item. */
export const orderViewKey = (orderId: string): ReadModelKey => ({
  pk: `ORDER#${orderId}`,
  sk: "VIEW",
});

/** The key of a customer's stats item. */
export const customerStatsKey = (customerId: string): ReadModelKey => ({
  pk: `CUSTOMER#${customerId}`,
  sk: "STATS",
});
