/**
 * The fate of each record that entered the topic during a demo run: dead-lettered (a dead
 * letter names it), applied (an event whose order's view reached its version), or neither,
 * with the reason. Along the way it counts the run's own events as relayed from the outbox,
 * and finds the ones that never arrived and the ones that arrived twice.
 *
 * A view at a later version also counts an earlier event of its order as applied; the exact
 * customer stats (checked elsewhere) are what prove that no OrderCreated went missing.
 *
 * @example
 * ```ts
 * const outcomes = recordOutcomes(observation, deadLettersOfRun(observation).bySource);
 * outcomes.unaccounted; // ["order-events 3@41 (not JSON) is neither applied nor in ..."]
 * ```
 */
import { z } from "zod";
import { type DemoObservation, recordAt } from "./demo-observation";
import type { ApiOrder } from "./read-model-views";
import type { DeadLetterAccount } from "./run-dead-letters";

export interface RecordOutcomes {
  /** Events of the run's orders found in the topic, duplicates included. */
  readonly relayed: number;
  readonly malformed: number;
  readonly applied: number;
  readonly deadLettered: number;
  /** One line per record that is neither applied nor dead-lettered. */
  readonly unaccounted: readonly string[];
  /** The run's events the API's answers imply, as "order v2 OrderShipped". */
  readonly expectedEvents: readonly string[];
  readonly missingEvents: readonly string[];
  /** Records repeating an `event_id` already seen (the relay delivers at least once). */
  readonly duplicateEvents: number;
}

const eventIdentitySchema = z.looseObject({
  event_id: z.string(),
  event_type: z.string(),
  aggregate_id: z.string(),
  aggregate_version: z.number().int(),
});

export type EventIdentity = z.output<typeof eventIdentitySchema>;

/** The envelope fields of a record's value, when it is JSON that has them. */
export const eventIdentityOf = (value: Buffer | null): EventIdentity | undefined => {
  if (value === null) return undefined;
  try {
    const parsed = eventIdentitySchema.safeParse(JSON.parse(value.toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

const eventName = (
  event: Pick<EventIdentity, "aggregate_id" | "aggregate_version" | "event_type">,
) => `${event.aggregate_id} v${event.aggregate_version} ${event.event_type}`;

/** The event type of an order's second version, by the status the API answered. */
const SECOND_EVENT: Readonly<Record<string, string>> = {
  SHIPPED: "OrderShipped",
  CANCELLED: "OrderCancelled",
};

/** The events an order went through, judging by the API's last answer for it. */
export const expectedEventsOf = (order: ApiOrder): string[] => {
  const created = {
    aggregate_id: order.order_id,
    aggregate_version: 1,
    event_type: "OrderCreated",
  };
  const second = SECOND_EVENT[order.status];
  return order.version >= 2 && second !== undefined
    ? [
        eventName(created),
        eventName({ aggregate_id: order.order_id, aggregate_version: 2, event_type: second }),
      ]
    : [eventName(created)];
};

export const recordOutcomes = (
  observation: Pick<
    DemoObservation,
    "topic" | "deadLetterTopic" | "records" | "orders" | "malformed" | "views"
  >,
  deadLetters: ReadonlyMap<string, DeadLetterAccount>,
): RecordOutcomes => {
  const { topic, deadLetterTopic, views } = observation;
  const labels = new Map(
    observation.malformed.map((sent) => [recordAt(sent.partition, sent.offset), sent.label]),
  );
  const ourOrders = new Set(observation.orders.map((order) => order.order_id));
  const seen = new Set<string>();
  const seenIds = new Set<string>();
  const unaccounted: string[] = [];
  let relayed = 0;
  let malformed = 0;
  let duplicateEvents = 0;
  let applied = 0;
  let deadLettered = 0;

  for (const record of observation.records) {
    const source = recordAt(record.partition, record.offset);
    const label = labels.get(source);
    const event = label === undefined ? eventIdentityOf(record.value) : undefined;
    if (label !== undefined) malformed += 1;
    if (event !== undefined && ourOrders.has(event.aggregate_id)) {
      relayed += 1;
      seen.add(eventName(event));
      if (seenIds.has(event.event_id)) duplicateEvents += 1;
      seenIds.add(event.event_id);
    }

    if (deadLetters.has(source)) {
      deadLettered += 1;
      continue;
    }
    const view = event === undefined ? undefined : views.get(event.aggregate_id);
    if (event !== undefined && view !== undefined && view.version >= event.aggregate_version) {
      applied += 1;
      continue;
    }
    const what = label ?? (event === undefined ? "not an event" : eventName(event));
    const why = (() => {
      if (label !== undefined) return "the demo wrote it malformed, so it belongs there";
      if (event === undefined) return "it is not an event";
      if (view === undefined) return "its order has no view yet";
      return `its order's view is at version ${view.version}`;
    })();
    unaccounted.push(
      `${topic} ${source} (${what}) is neither applied nor in ${deadLetterTopic}: ${why}`,
    );
  }

  const expectedEvents = observation.orders.flatMap(expectedEventsOf);
  return {
    relayed,
    malformed,
    applied,
    deadLettered,
    unaccounted,
    expectedEvents,
    missingEvents: expectedEvents.filter((name) => !seen.has(name)),
    duplicateEvents,
  };
};
