/**
 * The items of the read-model table (wiring: `order-read-model`, keys `pk`/`sk`, TTL
 * `expires_at`): one view item per order, one stats item per customer, and one processed
 * marker per applied event, which makes an event's effect happen at most once.
 *
 * @example
 * ```ts
 * orderViewKey("ord-1");      // { pk: "ORDER#ord-1", sk: "VIEW" }
 * processedMarkerKey(eventId); // { pk: "EVENT#<event_id>", sk: "PROCESSED" }
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

/** The key of an event's processed marker. */
export const processedMarkerKey = (eventId: string): ReadModelKey => ({
  pk: `EVENT#${eventId}`,
  sk: "PROCESSED",
});
