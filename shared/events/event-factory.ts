/**
 * Builds valid events, so no caller assembles an envelope by hand: a fresh UUID, the
 * contract's current version, a UTC timestamp, and validation against the contract.
 */
import { randomUUID } from "node:crypto";
import type * as z from "zod/mini";
import "../config/zod-messages";
import { InvalidEventError } from "./errors";
import type { EventContract } from "./event-contract";

/**
 * What a caller says of a new event; `createEvent` fills in the rest of the envelope.
 *
 * @example
 * ```ts
 * const input: NewEvent<typeof noteAdded.data> = { aggregateId: "note-1", aggregateVersion: 1, data: { text: "hi" } };
 * ```
 */
export interface NewEvent<D extends z.core.$ZodType> {
  readonly aggregateId: string;
  readonly aggregateVersion: number;
  readonly data: z.input<D>;
  /** Defaults to now. */
  readonly occurredAt?: Date;
  /** Defaults to a fresh UUID; pass one only to rebuild a known event. */
  readonly eventId?: string;
}

/**
 * A new event of the contract's type at its current version, validated against the
 * contract; throws `InvalidEventError` naming each broken field.
 *
 * @example
 * ```ts
 * const event = createEvent(orderEventContracts.OrderShipped, {
 *   aggregateId: "ord-1",
 *   aggregateVersion: 2,
 *   data: { customer_id: "c-1", carrier: "DHL", tracking_number: "1Z", shipped_at: now },
 * });
 * ```
 */
export const createEvent = <T extends string, A extends string, D extends z.core.$ZodType>(
  contract: EventContract<T, A, D>,
  input: NewEvent<D>,
): z.output<EventContract<T, A, D>["schema"]> => {
  const candidate = {
    event_id: input.eventId ?? randomUUID(),
    event_type: contract.eventType,
    event_version: contract.version,
    aggregate_type: contract.aggregateType,
    aggregate_id: input.aggregateId,
    aggregate_version: input.aggregateVersion,
    occurred_at: (input.occurredAt ?? new Date()).toISOString(),
    data: input.data,
  };
  const parsed = contract.schema.safeParse(candidate);
  if (!parsed.success) {
    throw new InvalidEventError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  return parsed.data;
};
