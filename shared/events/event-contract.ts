/**
 * An event contract: the zod schema of one event type at its current version, and the one
 * place where that type evolves: upcasters that lift an older version's payload one version
 * up, so a reader of version N accepts every version up to N.
 *
 * The envelope (see docs/architecture.md, Event contract) is the same for every type;
 * `defineEventContract` adds it around a payload schema. Unknown extra fields are tolerated
 * on read (forward compatibility); missing required fields are a permanent error.
 *
 * @example
 * ```ts
 * const orderShipped = defineEventContract({
 *   eventType: "OrderShipped",
 *   aggregateType: "Order",
 *   version: 2,
 *   data: z.looseObject({ carrier: z.string(), shipped_at: isoUtcTimestamp }),
 *   upcasters: { 1: (data, envelope) => ({ ...data, shipped_at: envelope.occurred_at }) },
 * });
 * ```
 */
import * as z from "zod/mini";
import { textSchema } from "./text";

/**
 * ISO-8601 timestamp in UTC ("Z"), e.g. "2026-11-26T09:00:00.000Z".
 *
 * @example
 * ```ts
 * isoUtcTimestamp.safeParse("2026-11-26T09:00:00+01:00").success; // false: not UTC
 * ```
 */
export const isoUtcTimestamp = z.iso.datetime({
  offset: false,
  message: "must be an ISO-8601 UTC timestamp",
});

/**
 * The envelope fields every event carries, before its payload is known. `event_id` says
 * "must be a UUID" whether it is missing, not a string or not a UUID.
 *
 * @example
 * ```ts
 * const envelope = envelopeSchema.parse(value);
 * envelope.event_type; // "OrderCreated"
 * ```
 */
export const envelopeSchema = z.looseObject({
  event_id: z.uuid({ error: "must be a UUID" }),
  event_type: z.string().check(z.minLength(1)),
  event_version: z.int().check(z.gte(1)),
  aggregate_type: z.string().check(z.minLength(1)),
  aggregate_id: textSchema(1, 256),
  aggregate_version: z.int().check(z.gte(1)),
  occurred_at: isoUtcTimestamp,
  data: z.unknown(),
});

/**
 * The envelope of an event, as {@link envelopeSchema} reads it.
 *
 * @example
 * ```ts
 * const at: Envelope["occurred_at"] = "2026-11-26T09:00:00.000Z";
 * ```
 */
export type Envelope = z.output<typeof envelopeSchema>;

/**
 * Lifts the payload of `version` to `version + 1`; gets the envelope for context.
 *
 * @example
 * ```ts
 * const addShippedAt: Upcaster = (data, envelope) => ({ ...data, shipped_at: envelope.occurred_at });
 * ```
 */
export type Upcaster = (
  data: Record<string, unknown>,
  envelope: Envelope,
) => Record<string, unknown>;

const eventSchema = <T extends string, A extends string, D extends z.core.$ZodType>(
  eventType: T,
  aggregateType: A,
  data: D,
) =>
  z.looseObject({
    ...envelopeSchema.shape,
    event_type: z.literal(eventType),
    aggregate_type: z.literal(aggregateType),
    data,
  });

/**
 * One event type's contract, as {@link defineEventContract} builds it.
 *
 * @example
 * ```ts
 * const contract: EventContract = orderEventContracts.OrderCreated;
 * contract.schema.safeParse(value).success;
 * ```
 */
export interface EventContract<
  T extends string = string,
  A extends string = string,
  D extends z.core.$ZodType = z.core.$ZodType,
> {
  readonly eventType: T;
  readonly aggregateType: A;
  /** The version this code writes and reads. */
  readonly version: number;
  /** The payload schema of the current version. */
  readonly data: D;
  /** The whole event (envelope and payload) at the current version. */
  readonly schema: ReturnType<typeof eventSchema<T, A, D>>;
  /** `upcasters[n]` turns a version-n payload into version n+1. */
  readonly upcasters: Readonly<Record<number, Upcaster>>;
}

/**
 * Defines an event type's contract: its payload schema inside the common envelope, and an
 * upcaster from each older version. Throws when an upcaster is missing or a name is empty.
 *
 * @example
 * ```ts
 * const noteAdded = defineEventContract({
 *   eventType: "NoteAdded",
 *   aggregateType: "Note",
 *   version: 1,
 *   data: z.looseObject({ text: textSchema(1, 500) }),
 * });
 * ```
 */
export const defineEventContract = <T extends string, A extends string, D extends z.core.$ZodType>(
  definition: Omit<EventContract<T, A, D>, "schema" | "upcasters"> & {
    readonly upcasters?: Readonly<Record<number, Upcaster>>;
  },
): EventContract<T, A, D> => {
  // The envelope refuses empty names, so no event could ever be read under one.
  if (definition.eventType === "" || definition.aggregateType === "") {
    throw new Error("an event contract needs a non-empty eventType and aggregateType");
  }
  for (let version = 1; version < definition.version; version += 1) {
    if (definition.upcasters?.[version] === undefined) {
      throw new Error(`${definition.eventType}: no upcaster from version ${version}`);
    }
  }
  return {
    ...definition,
    upcasters: definition.upcasters ?? {},
    schema: eventSchema(definition.eventType, definition.aggregateType, definition.data),
  };
};

/**
 * A set of contracts keyed by event type.
 *
 * @example
 * ```ts
 * const contracts = { NoteAdded: noteAdded } satisfies EventContracts;
 * ```
 */
export type EventContracts = Readonly<Record<string, EventContract>>;

/**
 * The typed event of one type of a contract set.
 *
 * @example
 * ```ts
 * type OrderShipped = EventOf<OrderEventContracts, "OrderShipped">;
 * ```
 */
export type EventOf<C extends EventContracts, T extends keyof C> = z.output<C[T]["schema"]>;

/**
 * Any event of a contract set, discriminated by `event_type`.
 *
 * @example
 * ```ts
 * const describe = (event: AnyEventOf<OrderEventContracts>) => event.event_type;
 * ```
 */
export type AnyEventOf<C extends EventContracts> = { [T in keyof C]: EventOf<C, T> }[keyof C];
