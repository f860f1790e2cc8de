/**
 * The reader of the unrouted function, which sees every record of the topic (its trigger has
 * no filter) and owns exactly those that no event type's filter matches (see
 * `record-ownership`). Records of routed types are their functions' business, schema
 * violations included.
 */
import { parseRecordValue } from "../kafka/decode-kafka-event";
import { RecordDecodeError } from "../kafka/record-decode-error";
import { FOREIGN_RECORD, filteredEventTypeOf } from "./record-ownership";
import type { RecordReader } from "./types";

/**
 * Reads every record no routed type's filter matches as poison: `undecodable` when the value
 * is not a JSON object, `invalid` without a string `event_type`, `unknown-type` for a type no
 * function consumes; records of `routedEventTypes` are foreign.
 *
 * @example
 * ```ts
 * const read = unroutedRecordReader(orderEventTypes);
 * read(tombstone); // { kind: "poison", error: RecordDecodeError { kind: "undecodable" } }
 * ```
 */
export const unroutedRecordReader = (routedEventTypes: readonly string[]): RecordReader<never> => {
  const routed: ReadonlySet<string> = new Set(routedEventTypes);

  return (record) => {
    const parsed = parseRecordValue(record);
    if (parsed.status === "failed") return { kind: "poison", error: parsed.error };
    const eventType = filteredEventTypeOf(parsed);
    if (eventType !== undefined && routed.has(eventType)) return FOREIGN_RECORD;
    const error =
      eventType === undefined
        ? new RecordDecodeError("invalid", record, "the value has no event_type string")
        : new RecordDecodeError(
            "unknown-type",
            record,
            `no function consumes event_type "${eventType}"`,
          );
    return { kind: "poison", error };
  };
};
