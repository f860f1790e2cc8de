/**
 * OrderShipped: an order left with a carrier. Version 2; version 1 had no `shipped_at`,
 * which its upcaster fills from the envelope's `occurred_at` (the moment the shipment
 * committed), so this reader accepts both.
 *
 * @example
 * ```ts
 * readEvent({ OrderShipped: orderShipped }, v1Json).data.shipped_at; // the v1 event's occurred_at
 * ```
 */
import * as z from "zod/mini";
import { defineEventContract, isoUtcTimestamp } from "../../events";
import { ORDER_AGGREGATE, orderFields } from "../order-fields";
import type { EventSample } from "./event-sample";

/** The contract of OrderShipped, version 2, with its upcaster from version 1. */
export const orderShipped = defineEventContract({
  eventType: "OrderShipped",
  aggregateType: ORDER_AGGREGATE,
  version: 2,
  data: z.looseObject({
    customer_id: orderFields.customerId,
    carrier: orderFields.carrier,
    tracking_number: orderFields.trackingNumber,
    shipped_at: isoUtcTimestamp,
  }),
  upcasters: {
    1: (data, envelope) => ({ ...data, shipped_at: data.shipped_at ?? envelope.occurred_at }),
  },
});

/** A valid OrderShipped: the created order leaves with DHL. */
export const orderShippedSample: EventSample<typeof orderShipped> = {
  aggregateVersion: 2,
  data: ({ customerId, at }) => ({
    customer_id: customerId,
    carrier: "DHL",
    tracking_number: "JD0001",
    shipped_at: at.toISOString(),
  }),
};
