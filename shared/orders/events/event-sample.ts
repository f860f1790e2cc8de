/**
 * A valid sample of one event type, declared beside its contract: `npm run event` builds
 * sample events from it, and the registry of samples (`./event-samples.ts`) is typed over
 * the contracts, so a contract without a sample is a compile error.
 *
 * @example
 * ```ts
 * const sample: EventSample<typeof orderShipped> = {
 *   aggregateVersion: 2,
 *   data: ({ customerId, at }) => ({ customer_id: customerId, carrier: "DHL", tracking_number: "JD1", shipped_at: at.toISOString() }),
 * };
 * ```
 */
import type * as z from "zod/mini";
import type { EventContract } from "../../events";

/** What a sample is about: its order, the order's customer, and when it happened. */
export interface SampleContext {
  readonly orderId: string;
  readonly customerId: string;
  readonly at: Date;
}

/** A valid event of the contract's type for any order and customer. */
export interface EventSample<C extends EventContract> {
  /** The order's version once the event applied (1 for the event that creates it). */
  readonly aggregateVersion: number;
  /** The payload, valid against the contract's `data` schema. */
  readonly data: (context: SampleContext) => z.input<C["data"]>;
}
